#!/usr/bin/env bash
# Builds a worker (release wasm + JS shim) into build/<worker>/: `site`,
# `ingest`, or both when no name is given. Called by each wrangler config's
# [build] command; SKIP_WORKER_BUILD=1 reuses a build made just before.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
workers=("$@")
[[ ${#workers[@]} -eq 0 ]] && workers=(site ingest)
for worker in "${workers[@]}"; do
  case "$worker" in
    site | ingest) ;;
    *) echo "build.sh: unknown worker '$worker' (site or ingest)" >&2; exit 2 ;;
  esac
  if [[ "${SKIP_WORKER_BUILD:-}" == "1" && -f "build/$worker/index.js" ]]; then
    continue
  fi
  worker-build --release --out-dir "build/$worker" --features "$worker"
done
