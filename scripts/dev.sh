#!/usr/bin/env bash
# One command from a fresh machine to a running service: installs the tools,
# builds the worker, applies the D1 migrations locally (Coventry and every UK
# council are seeded), starts a local demo council site on 127.0.0.1 and
# registers it as "demo", then runs `wrangler dev` with cron testing enabled.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
PORT="${PORT:-8787}"
DEMO_PORT="${DEMO_PORT:-8790}"

bash scripts/setup.sh
bash scripts/build.sh
wrangler d1 migrations apply DB --local
# Local queues do not outlive the dev server: runs left open by an earlier
# session can never finish, so close them (deployed, the reaper does this).
wrangler d1 execute DB --local --command "UPDATE scrape_runs SET status = 'failed', \
  finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), error = 'closed when the local server restarted' \
  WHERE finished_at IS NULL" >/dev/null
cargo build --quiet --example fake_council
ADMIN_TOKEN="$(grep -E '^ADMIN_TOKEN=' .dev.vars | cut -d= -f2-)"

target/debug/examples/fake_council --port "$DEMO_PORT" &
DEMO_PID=$!
trap 'kill $DEMO_PID 2>/dev/null || true' EXIT

(
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -sf -X POST "http://127.0.0.1:$PORT/admin/councils" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"id\":\"demo\",\"name\":\"Demo Council (local fake ModernGov site)\",\"base_url\":\"http://127.0.0.1:$DEMO_PORT\"}" >/dev/null \
    && cat <<MSG

council-digest is running on http://127.0.0.1:$PORT
  scrape the demo council:  curl -X POST -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$PORT/admin/councils/demo/scrape
  scrape Coventry (needs internet): curl -X POST -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$PORT/admin/councils/coventry/scrape
  run the refresh cron:     curl 'http://127.0.0.1:$PORT/__scheduled?cron=0+*/2+*+*+*'
  scrape health:            curl -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$PORT/admin/status
  pages:                    http://127.0.0.1:$PORT/councils/demo
MSG
) &

SKIP_WORKER_BUILD=1 wrangler dev --ip 127.0.0.1 --port "$PORT" --test-scheduled
