#!/usr/bin/env bash
# Builds the worker (release wasm + JS shim) into build/. Called by wrangler's
# [build] command; SKIP_WORKER_BUILD=1 reuses a build made just before.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [[ "${SKIP_WORKER_BUILD:-}" == "1" && -f build/worker/shim.mjs ]]; then
  exit 0
fi
worker-build --release
