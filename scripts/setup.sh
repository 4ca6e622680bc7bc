#!/usr/bin/env bash
# Installs what building and running the worker needs, skipping what is
# already present at the right version. Works with only the package registries.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

WORKER_BUILD_VERSION="0.8.7"
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

for tool in cargo rustup node npm python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: install it first" >&2; exit 1; }
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(worker-build --version 2>/dev/null || true)" != *"$WORKER_BUILD_VERSION"* ]]; then
  say "installing worker-build $WORKER_BUILD_VERSION (takes several minutes)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes several minutes)"
  # Without --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
export WASM_BINDGEN_BIN="$(command -v wasm-bindgen)"

if [[ ! -x node_modules/.bin/wrangler || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing wrangler, esbuild, binaryen and axe-core from package-lock.json"
  npm ci --no-audit --no-fund
fi

# Headless Chromium and ChromeDriver for the browser test (Debian packages).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver"
  (apt-get install -y chromium chromium-driver || (apt-get update && apt-get install -y chromium chromium-driver)) >/dev/null
fi

# espeak-ng speaks the test webcast's script and ffmpeg encodes it (and the
# fake speech model decodes what it is sent) (Debian packages).
if ! command -v espeak-ng >/dev/null || ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  say "installing espeak-ng and ffmpeg"
  (apt-get install -y --no-install-recommends espeak-ng ffmpeg \
    || (apt-get update && apt-get install -y --no-install-recommends espeak-ng ffmpeg)) >/dev/null
fi

# Real feed clients for the feed tests.
if ! python3 -c "import feedparser, icalendar, openapi_spec_validator" 2>/dev/null || ! command -v schemathesis >/dev/null; then
  say "installing feedparser, icalendar, openapi-spec-validator and schemathesis for the tests"
  python3 -m pip install --quiet --disable-pip-version-check feedparser icalendar openapi-spec-validator schemathesis
fi
# The official MCP client, for the test of the /mcp endpoint.
if ! python3 -c "import mcp.client.streamable_http" 2>/dev/null; then
  say "installing the MCP Python SDK for the tests"
  python3 -m pip install --quiet --disable-pip-version-check "mcp==2.3.0"
fi

if [[ ! -f .dev.vars ]]; then
  cp .dev.vars.example .dev.vars
  say "created .dev.vars from .dev.vars.example (local secrets)"
fi
# A .dev.vars from before email alerts lacks their secret.
if ! grep -q '^EMAIL_TOKEN_SECRET=' .dev.vars; then
  grep '^EMAIL_TOKEN_SECRET=' .dev.vars.example >> .dev.vars
  say "added EMAIL_TOKEN_SECRET to .dev.vars"
fi
