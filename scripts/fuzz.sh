#!/usr/bin/env bash
# A short fuzz run of every parser (default 60 s each), seeded with the real
# fixtures. cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP enables them on the
# machine's stable toolchain.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
SECONDS_EACH="${1:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
for target in moderngov_xml moderngov_html cmis_html claims alert_inputs; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  case "$target" in
    cmis_html) cp tests/fixtures/cmis/*.html "$corpus/" ;;
    *) cp tests/fixtures/moderngov/* "$corpus/" ;;
  esac
  cargo fuzz run "$target" "$corpus" -- -max_total_time="$SECONDS_EACH" -max_len=262144 -rss_limit_mb=4096
done
echo "fuzzing found no crash"
