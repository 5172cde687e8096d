#!/bin/bash
# Entry point of Trustplane's Debian PostgreSQL image (see the Dockerfile next to it).
set -euo pipefail

: "${POSTGRES_USER:=trustplane}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
: "${POSTGRES_DATABASES:=}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi

# create the missing databases while listening on the Unix socket only, then serve
pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w -t 120 start >/dev/null
for db in $POSTGRES_DATABASES; do
  psql -v ON_ERROR_STOP=1 -q -U "$POSTGRES_USER" -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\gexec
SQL
done
pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null

# each service replica opens up to 32 reactive + 4 JDBC connections (docs/operations.md, "Scaling"): Debian's
# default of 100 is too few for the scaled Compose profile's eight replicas
exec postgres -D "$PGDATA" -c listen_addresses='*' -c max_connections="${POSTGRES_MAX_CONNECTIONS:-400}" "$@"
