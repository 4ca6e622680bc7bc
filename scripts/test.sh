#!/usr/bin/env bash
# The whole test suite: formatting, lints, generated files, native unit tests,
# and the end-to-end tests in workerd (which build the worker themselves).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

bash scripts/setup.sh
python3 scripts/seed_councils.py --check
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings
# Unit and integration tests; the benchmarks (tests/bench) are run by scripts/bench.sh.
cargo test --lib --tests
