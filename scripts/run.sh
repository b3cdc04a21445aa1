#!/usr/bin/env bash
# Serves the app (gunicorn), a Celery worker and Celery beat (and, for the demo, the local FIT-Connect
# test server and reference subscriber); Ctrl-C stops them all.
# The web server is the service: if it exits, everything stops. The worker and beat are
# restarted when they die (after RESTART_DELAY seconds), so a crashed worker never takes the
# web pages down; their queued work waits in Redis and lost work is re-queued by beat.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
RESTART_DELAY=${RESTART_DELAY:-2}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$PORT}
# The demo catalogue's DCAT-AP.de contributorID (GovData's conventions K12/K13 require one; an
# ID from GovData's list, as no demo city has its own). Settings keep no default, so a real
# deployment that forgets its own ID gets the opendata.W001 warning instead of a false one.
if [ -z "${OPENDATA_CONTRIBUTOR_ID:-}" ] && ! grep -qs '^OPENDATA_CONTRIBUTOR_ID=' .env; then
  export OPENDATA_CONTRIBUTOR_ID=http://dcat-ap.de/def/contributors/govData
fi
# The citizen login: without a configured identity broker, the demo OpenID provider (served by
# this process at localhost, the portal at 127.0.0.1: two hosts keep their cookies apart).
if [ -z "${OIDC_ISSUER:-}" ] && ! grep -qs '^OIDC_ISSUER=' .env; then
  export DEMO_OIDC_PROVIDER=true OIDC_ISSUER=http://localhost:$PORT/demo-oidc
  export OIDC_CLIENT_ID=${OIDC_CLIENT_ID:-stadtmelder-demo} OIDC_CLIENT_SECRET=${OIDC_CLIENT_SECRET:-demo-secret}
  .venv/bin/python manage.py demo_oidc_provider
fi
mkdir -p var/run
pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

# supervise NAME COMMAND...: run COMMAND, start it again whenever it exits; on TERM stop it.
supervise() {
  local name=$1; shift
  local child=""
  trap 'if [ -n "$child" ]; then kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi; exit 0' TERM
  while true; do
    "$@" & child=$!
    wait "$child" && code=0 || code=$?
    child=""
    echo "run.sh: $name exited with status $code; restarting in ${RESTART_DELAY} s" >&2
    sleep "$RESTART_DELAY"
  done
}

# The local FIT-Connect test server (Zustelldienst) and the reference subscriber (a Fachverfahren
# stand-in) for the demo, restarted like the worker; state in var/fitconnect, initialised once (test
# CA, demo destination, client credentials in var/fitconnect/config.json). Only where the
# development package is present; FITCONNECT_DEV=false leaves them out.
FITCONNECT_DEV_PORT=${FITCONNECT_DEV_PORT:-8766}
export FITCONNECT_DEV_STATE=${FITCONNECT_DEV_STATE:-var/fitconnect}
export FITCONNECT_DEV_URL=http://127.0.0.1:$FITCONNECT_DEV_PORT
if [ "${FITCONNECT_DEV:-true}" = true ] && [ -d fitconnect_dev ]; then
  .venv/bin/python -m fitconnect_dev.server init --state "$FITCONNECT_DEV_STATE" >/dev/null
  # The registration office's demo destinations (Meldebescheinigung, Abmeldung) and, unless a
  # sender is configured already, the sender's configuration for the test server (exports).
  fitconnect_env=$(.venv/bin/python manage.py fitconnect_demo_destinations --state "$FITCONNECT_DEV_STATE" \
    --print-env "$FITCONNECT_DEV_URL")
  if [ -z "${FITCONNECT_SUBMISSION_API_URL:-}" ] && ! grep -qs '^FITCONNECT_SUBMISSION_API_URL=' .env; then
    eval "$fitconnect_env"
  fi
  supervise fitconnect-server .venv/bin/python -m fitconnect_dev.server --host 127.0.0.1 \
    --port "$FITCONNECT_DEV_PORT" --state "$FITCONNECT_DEV_STATE" & pids+=($!)
  supervise fitconnect-subscriber .venv/bin/python -m fitconnect_dev.subscriber \
    --state "$FITCONNECT_DEV_STATE" --server "$FITCONNECT_DEV_URL" & pids+=($!)
fi
# Metrics (health.metrics): gunicorn's and the worker's processes write theirs into one directory
# (prometheus-client's multiprocess mode), emptied at each start; /metrics from this machine only.
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-$PWD/var/run/prometheus}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
export METRICS_ALLOWED_NETWORKS=${METRICS_ALLOWED_NETWORKS:-127.0.0.1/32,::1/128}
supervise worker .venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 & pids+=($!)
supervise beat .venv/bin/celery -A config beat --loglevel=INFO --schedule var/run/celerybeat-schedule & pids+=($!)
echo "Stadtmelder on http://127.0.0.1:$PORT/  (Ctrl-C stops web, worker and beat)"
# No gunicorn access log: it would write query strings (personal data); the app logs each
# request without them (health.request_log).
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 3 --no-control-socket & web=$!
pids+=("$web")
wait "$web"
