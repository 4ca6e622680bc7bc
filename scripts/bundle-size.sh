#!/usr/bin/env bash
# Validates both deployable bundles offline (wrangler deploy --dry-run) and
# prints each worker's wasm module size, raw and gzipped. The site worker's
# budget is 525 KiB gzipped (its cold start stays far under a second); the
# run fails if it is over.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
out="${1:-target/bundle}"
rm -rf "$out"
site_gz=0
for worker in site ingest; do
  config=wrangler.toml
  [[ "$worker" == site ]] && config=wrangler.site.toml
  wrangler deploy --dry-run -c "$config" --outdir "$out/$worker" --env production >/dev/null
  wasm="$(find "$out/$worker" -name '*.wasm' | head -n 1)"
  raw=$(wc -c <"$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  [[ "$worker" == site ]] && site_gz=$gz
  awk -v w="$worker" -v raw="$raw" -v gz="$gz" 'BEGIN {
    printf "%-6s worker wasm: %8d bytes raw (%7.1f KiB), %8d bytes gzipped (%7.1f KiB)\n", w, raw, raw / 1024, gz, gz / 1024
  }'
done
if (( site_gz > 525 * 1024 )); then
  echo "the site worker is over its 525 KiB gzipped budget" >&2
  exit 1
fi
