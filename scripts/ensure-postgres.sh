#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with a database for the tests.
# Starts the local cluster when it is stopped and installs PostgreSQL when it is missing.
set -euo pipefail
HOST=${PGHOST:-127.0.0.1}
PORT=${PGPORT:-5432}
DB=${AGENTAUDIT_TEST_DB:-agentaudit_test}

ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-postgres: installing PostgreSQL" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi

if ! ready; then
  echo "ensure-postgres: starting the local cluster" >&2
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "ensure-postgres: PostgreSQL does not answer on $HOST:$PORT" >&2; exit 1; }

psql_as() {
  if psql -h "$HOST" -p "$PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    psql -h "$HOST" -p "$PORT" -U postgres "$@"
  else
    su postgres -c "psql -p $PORT $(printf '%q ' "$@")"
  fi
}
if [ "$(psql_as -d postgres -Atqc "select 1 from pg_database where datname='$DB'")" != "1" ]; then
  psql_as -d postgres -qc "create database $DB"
fi
echo "ensure-postgres: postgresql://postgres@$HOST:$PORT/$DB ready" >&2
