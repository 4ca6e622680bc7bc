#!/usr/bin/env bash
# Benchmarks (not tests): they print numbers. Only 127.0.0.1 is contacted.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
# poppler's pdftotext is the reference for PDF text; rapidfuzz measures agreement.
if ! command -v pdftotext >/dev/null || [[ ! -x /usr/bin/time ]] || ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  packages="poppler-utils time wrk nginx"
  (apt-get install -y $packages || (apt-get update && apt-get install -y $packages)) >/dev/null
fi
python3 -c "import rapidfuzz" 2>/dev/null || python3 -m pip install --quiet rapidfuzz
cargo bench --bench ingest
cargo bench --bench pdf
cargo bench --bench summaries
cargo bench --bench claims
cargo bench --bench web
cargo bench --bench storage
cargo bench --bench webcasts
