#!/usr/bin/env bash
# Starts a PostgreSQL server for Sluice's store tests and prints how to reach it.
#
#   export "$(scripts/ci/postgres.sh)"          # sets SLUICE_TEST_POSTGRES_URL
#   scripts/ci/postgres.sh >> "$GITHUB_ENV"     # same, in GitHub Actions
#
# Idempotent: installs Debian's PostgreSQL only if missing, creates a dedicated cluster
# ("sluice", 127.0.0.1:5433, so it never clashes with a default cluster on 5432), starts it,
# and (re)sets the password of the role `sluice` (LOGIN CREATEDB). Runs as root with no
# standard input. Progress goes to stderr; stdout holds exactly one line:
#   SLUICE_TEST_POSTGRES_URL=postgres://sluice:<password>@127.0.0.1:5433/postgres
# Settings (environment): SLUICE_PG_PORT (5433), SLUICE_PG_CLUSTER (sluice),
# SLUICE_PG_PASSWORD (default: generated once, kept in the cluster's config directory).
set -euo pipefail

port="${SLUICE_PG_PORT:-5433}"
cluster="${SLUICE_PG_CLUSTER:-sluice}"
export DEBIAN_FRONTEND=noninteractive

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and starts a server as the postgres user)"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_createcluster >/dev/null; then
  log "installing PostgreSQL from Debian's packages"
  apt-get update -q >&2 </dev/null
  apt-get install -y -q --no-install-recommends postgresql postgresql-client >&2 </dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || die "no PostgreSQL server found under /usr/lib/postgresql after installing"

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster $version/$cluster on port $port"
  pg_createcluster "$version" "$cluster" --port "$port" -- --auth-local=peer --auth-host=scram-sha-256 >&2 </dev/null
fi

# Our settings live in a drop-in file (Debian's postgresql.conf includes conf.d/, last value
# wins), rewritten on every run so a cluster left by an older run is brought into line.
# max_connections: the tests open a pool per store and many stores at once.
conf="/etc/postgresql/$version/$cluster/conf.d/sluice.conf"
wanted="port = $port
listen_addresses = '127.0.0.1'
max_connections = 200"
conf_changed=0
if [ "$(cat "$conf" 2>/dev/null)" != "$wanted" ]; then
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$wanted" >"$conf"
  chown postgres:postgres "$conf"
  conf_changed=1
fi

status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')
if [ "$status" != online ]; then
  log "starting cluster $version/$cluster"
  pg_ctlcluster "$version" "$cluster" start >&2 </dev/null || {
    tail -n 20 "/var/log/postgresql/postgresql-$version-$cluster.log" >&2 2>/dev/null || true
    die "cluster $version/$cluster did not start (is port $port taken?)"
  }
elif [ "$conf_changed" -eq 1 ]; then
  log "restarting cluster $version/$cluster to apply settings"
  pg_ctlcluster "$version" "$cluster" restart >&2 </dev/null
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || die "PostgreSQL is not accepting connections on 127.0.0.1:$port"

# Hex only, so the password needs no escaping in a URL or in SQL.
password_file="/etc/postgresql/$version/$cluster/sluice-test-password"
if [ -n "${SLUICE_PG_PASSWORD:-}" ]; then
  password="$SLUICE_PG_PASSWORD"
elif [ -s "$password_file" ]; then
  password=$(cat "$password_file")
else
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && printf '%s' "$password" >"$password_file")
fi

runuser -u postgres -- psql -X -q -p "$port" -d postgres -v ON_ERROR_STOP=1 -v password="$password" >&2 <<'SQL'
SELECT 'CREATE ROLE sluice' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sluice') \gexec
ALTER ROLE sluice WITH LOGIN CREATEDB PASSWORD :'password';
SQL

log "ready: PostgreSQL $version, cluster $cluster, 127.0.0.1:$port, role sluice"
echo "SLUICE_TEST_POSTGRES_URL=postgres://sluice:${password}@127.0.0.1:${port}/postgres"
