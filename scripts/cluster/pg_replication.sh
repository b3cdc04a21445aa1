#!/usr/bin/env bash
# Idempotent: lets a streaming replica (tests/fixtures_replica.py, scripts/cluster/) copy the
# local PostgreSQL cluster. Creates the replication role, allows it to connect from 127.0.0.1
# for replication (pg_hba.conf), reloads the server when that file changed. Also sets
# `jit = off` on the application role, which PgBouncer cannot pass as a startup option
# (config/settings.py, DATABASE_POOLER). Run as root (scripts/setup.sh does).
set -euo pipefail
REPL_USER=${REPL_USER:-smreplicator}
REPL_PASSWORD=${REPL_PASSWORD:-smreplicator}
DB_USER=${DB_USER:-stadtmelder}
psql_su() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA -d postgres "$@"; }

if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname='$REPL_USER'")" != 1 ]; then
  psql_su -c "CREATE ROLE $REPL_USER REPLICATION LOGIN PASSWORD '$REPL_PASSWORD'"
fi
if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER' AND 'jit=off' = ANY(rolconfig)")" != 1 ] \
   && [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" = 1 ]; then
  psql_su -c "ALTER ROLE $DB_USER SET jit = off"
fi
hba=$(psql_su -c "SHOW hba_file")
line="host replication $REPL_USER 127.0.0.1/32 scram-sha-256"
if ! grep -qxF "$line" "$hba"; then
  # Before the file's own rules: pg_hba.conf is read top down, the first match decides.
  { echo "# stadtmelder: streaming replica on this machine (scripts/cluster/pg_replication.sh)"; echo "$line"; cat "$hba"; } > "$hba.new"
  chown --reference="$hba" "$hba.new"; chmod --reference="$hba" "$hba.new"
  mv "$hba.new" "$hba"
  psql_su -c "SELECT pg_reload_conf()" >/dev/null
fi
