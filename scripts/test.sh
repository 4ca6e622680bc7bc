#!/usr/bin/env bash
# The whole test suite: formatting, lints, generated files, native unit tests,
# and the end-to-end tests in workerd (which build the worker themselves).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash scripts/setup.sh
python3 scripts/seed_councils.py --check
cargo fmt --check
cargo clippy --all-targets --all-features --quiet -- -D warnings
# Each worker is its own wasm build (src/workers).
for worker in site ingest; do
  cargo clippy --lib --target wasm32-unknown-unknown --features "$worker" --quiet -- -D warnings
done
# Unit and integration tests; the benchmarks (tests/bench) are run by scripts/bench.sh.
cargo test --lib --tests
