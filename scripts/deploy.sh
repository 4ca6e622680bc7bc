#!/usr/bin/env bash
# Deploys both workers to Cloudflare (after `npx wrangler login`): finds or
# creates what they bind, writes the shared ids into the configs, applies the
# migrations, sets missing secrets and deploys. Again changes nothing.
# `--dry-run` prints every step and calls nothing. See scripts/deploy.py.
set -euo pipefail
source "$(dirname "$0")/env.sh"
# A deploy builds both workers: the build's tools first (skipped when present).
if [[ " $* " != *" --dry-run "* && " $* " != *" --write-ids "* ]]; then
  bash "$ROOT/scripts/setup.sh"
fi
exec python3 "$ROOT/scripts/deploy.py" "$@"
