#!/usr/bin/env bash
# Benchmarks (not tests): they print numbers. Only 127.0.0.1 is contacted.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
cargo bench --bench ingest
