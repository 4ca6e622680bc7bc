#!/usr/bin/env bash
# Validates the deployable bundle offline (wrangler deploy --dry-run) and prints
# the wasm module's size, raw and gzipped.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
out="${1:-target/bundle}"
rm -rf "$out"
wrangler deploy --dry-run --outdir "$out" --env production >/dev/null
wasm="$(find "$out" -name '*.wasm' | head -n 1)"
raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
awk -v out="$out" -v raw="$raw" -v gz="$gz" 'BEGIN {
  printf "bundle: %s\nwasm raw:     %8d bytes (%.2f MiB)\nwasm gzipped: %8d bytes (%.2f MiB)\n", out, raw, raw / 1048576, gz, gz / 1048576
}'
