#!/usr/bin/env bash
# One command from a fresh machine to a running service: installs the tools,
# builds both workers, applies the D1 migrations locally (Coventry and every UK
# council are seeded), starts a local demo council site on 127.0.0.1 and
# registers it as "demo", then runs `wrangler dev` for the site worker (PORT)
# and the ingest worker (INGEST_PORT, with cron testing) on one local state.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
PORT="${PORT:-8787}"
INGEST_PORT="${INGEST_PORT:-8788}"
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
# The ingest worker: crons, queues and admin routes.
SKIP_WORKER_BUILD=1 wrangler dev -c wrangler.toml --ip 127.0.0.1 --port "$INGEST_PORT" --inspector-port 9230 \
  --test-scheduled --show-interactive-dev-session=false --var "PUBLIC_ORIGIN:http://127.0.0.1:$PORT" &
INGEST_PID=$!
trap 'kill $DEMO_PID $INGEST_PID 2>/dev/null || true' EXIT
# The site worker starts once the ingest worker answers: two runtimes opening
# the same local state at the same moment can fail to start.
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$INGEST_PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

(
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$INGEST_PORT/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -sf --retry 5 --retry-all-errors --retry-delay 1 -X POST "http://127.0.0.1:$INGEST_PORT/admin/councils" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"id\":\"demo\",\"name\":\"Demo Council (local fake ModernGov site)\",\"base_url\":\"http://127.0.0.1:$DEMO_PORT\"}" >/dev/null \
    && cat <<MSG

council-digest is running: the site on http://127.0.0.1:$PORT, ingestion on http://127.0.0.1:$INGEST_PORT
  scrape the demo council:  curl -X POST -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$INGEST_PORT/admin/councils/demo/scrape
  scrape Coventry (needs internet): curl -X POST -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$INGEST_PORT/admin/councils/coventry/scrape
  run the refresh cron:     curl 'http://127.0.0.1:$INGEST_PORT/__scheduled?cron=0+*/2+*+*+*'
  scrape health:            curl -H 'Authorization: Bearer $ADMIN_TOKEN' http://127.0.0.1:$INGEST_PORT/admin/status
  pages:                    http://127.0.0.1:$PORT/councils/demo
MSG
) &

# The site worker: pages, API, feeds and search.
SKIP_WORKER_BUILD=1 wrangler dev -c wrangler.site.toml --ip 127.0.0.1 --port "$PORT" --inspector-port 9229
