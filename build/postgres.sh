#!/usr/bin/env bash
# A private PostgreSQL cluster for the DATABASE_URL tests. Idempotent; needs root on Debian.
#   build/postgres.sh start   install postgresql if missing, create and start the cluster, print the URL (last line)
#   build/postgres.sh stop    stop the cluster
#   build/postgres.sh url     print the URL
#   build/postgres.sh fresh NAME   (after start) drop and recreate database NAME owned by the app's role, print its URL
# FLYIO_PG_DIR (default /tmp/flyio-sdk-pg) holds the cluster; FLYIO_PG_PORT (default 55432) is its port on 127.0.0.1 (and ::1).
set -euo pipefail

PG_DIR="${FLYIO_PG_DIR:-/tmp/flyio-sdk-pg}"
PG_PORT="${FLYIO_PG_PORT:-55432}"
PG_DATA="$PG_DIR/data"
PG_USER="flyio_app"
PG_DB="flyio_app_db"
# URL-special characters on purpose: @ : / % # ? & = ; and a double quote.
PG_PASSWORD='fly@pg:p/ss%w0rd#?&=;"x'
PG_PASSWORD_ENCODED='fly%40pg%3Ap%2Fss%25w0rd%23%3F%26%3D%3B%22x'

url() {
  echo "postgres://$PG_USER:$PG_PASSWORD_ENCODED@127.0.0.1:$PG_PORT/$PG_DB?sslmode=disable"
}

bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_postgres() {
  runuser -u postgres -- "$@"
}

install_postgres() {
  if bin_dir >/dev/null; then
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q postgresql >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    apt-get install -y -q postgresql >/dev/null
  fi
  bin_dir >/dev/null || { echo "error: postgresql was installed but initdb was not found" >&2; exit 1; }
}

start() {
  if [ "$(id -u)" != "0" ]; then
    echo "error: build/postgres.sh start needs root (it installs postgresql and runs initdb as the postgres user)" >&2
    exit 1
  fi
  install_postgres
  local bin
  bin="$(bin_dir)"
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DIR"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1,::1 -p $PG_PORT -k $PG_DIR" start >/dev/null \
      || { cat "$PG_DIR/server.log" >&2; exit 1; }
  fi
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres)
  local sql_password="${PG_PASSWORD//\'/\'\'}"
  as_postgres "${psql[@]}" -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
        CREATE ROLE $PG_USER LOGIN PASSWORD '$sql_password';
      ELSE
        ALTER ROLE $PG_USER LOGIN PASSWORD '$sql_password';
      END IF;
    END \$\$;"
  if [ "$(as_postgres "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    as_postgres "${psql[@]}" -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
  fi
  url
}

stop() {
  local bin
  bin="$(bin_dir || true)"
  if [ -n "$bin" ] && [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  fi
  echo "stopped"
}

# An empty database of its own, so a rehearsal's release command has migrations to apply every time.
fresh() {
  local name="$1" bin
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "error: database name '$name' must be lower-case letters, digits and _" >&2; exit 2; }
  bin="$(bin_dir)"
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres)
  as_postgres "${psql[@]}" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name OWNER $PG_USER"
  echo "postgres://$PG_USER:$PG_PASSWORD_ENCODED@127.0.0.1:$PG_PORT/$name?sslmode=disable"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  fresh) fresh "${2:?usage: $0 fresh NAME}" ;;
  *) echo "usage: $0 start|stop|url|fresh NAME" >&2; exit 2 ;;
esac
