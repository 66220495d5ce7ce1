#!/usr/bin/env bash
# Throwaway PostgreSQL cluster on 127.0.0.1 for tests and local runs.
# Durability is switched off (fsync/full_page_writes/synchronous_commit):
# never put data you care about in it.
#
# Usage: deploy/postgres/pg.sh {start|stop|restart|wipe|status|url|createdb NAME|dropdb NAME|psql [ARGS]}
#   start          install Debian's postgresql if missing, initdb on first use,
#                  start, ensure superuser role + database "multitrack";
#                  prints the base URL postgresql://multitrack@127.0.0.1:PORT (last stdout line)
#   stop           pg_ctl stop -m fast (data kept)
#   restart        stop + start
#   wipe           stop and delete the data dir
#   status         exit 0 iff the server accepts connections
#   url            print the base URL
#   createdb NAME  create database NAME (owner multitrack) unless it exists
#                  (starts the cluster if needed); prints its URL
#   dropdb NAME    drop database NAME if it exists (WITH (FORCE))
#   psql [ARGS]    psql connected as multitrack (default db "multitrack")
#
# Environment (defaults in brackets):
#   PG_PORT [55432]                 TCP port on 127.0.0.1
#   MULTITRACK_CACHE [~/.cache/multitrack]
#   PG_DATA_DIR [<cache>/pg-<port>] cluster directory.  When running as root and
#                                   the postgres user cannot reach the default
#                                   location (e.g. /root is mode 700), the default
#                                   falls back to /var/tmp/multitrack/pg-<port>.
#   MULTITRACK_PG_URL               if set: start/stop/wipe do nothing, start and url
#                                   print it, createdb/dropdb/psql run against it
set -euo pipefail
umask 022

PG_PORT="${PG_PORT:-55432}"
[[ $PG_PORT =~ ^[0-9]+$ ]] || { echo "pg.sh: invalid PG_PORT '$PG_PORT'" >&2; exit 2; }
CACHE_ROOT="${MULTITRACK_CACHE:-$HOME/.cache/multitrack}"
ROLE=multitrack
BASE_URL="postgresql://$ROLE@127.0.0.1:$PG_PORT"
FALLBACK_DATA="/var/tmp/multitrack/pg-$PG_PORT"

log() { echo "pg.sh: $*" >&2; }
die() { echo "pg.sh: ERROR: $*" >&2; exit 1; }

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

# --------------------------------------------------------------------------- binaries

BIN=""
find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then BIN=$d; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]]; then BIN=$d; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    BIN=$(dirname "$(command -v initdb)"); return 0
  fi
  return 1
}

ensure_bin() {
  find_bin && return 0
  ((IS_ROOT)) || die "PostgreSQL server binaries not found and not root: install the 'postgresql' package"
  log "PostgreSQL server binaries not found; installing Debian package 'postgresql' ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
  find_bin || die "postgresql installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"
}

# The cluster must match the major version of the binaries that run it.
select_bin_for_cluster() {
  local v
  [[ -f $DATA/PG_VERSION ]] || return 0
  v=$(<"$DATA/PG_VERSION")
  if [[ -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then BIN=/usr/lib/postgresql/$v/bin; return 0; fi
  [[ -x $BIN/pg_ctl ]] && "$BIN/pg_ctl" --version | grep -q " $v[. ]" && return 0
  die "cluster in $DATA is PostgreSQL $v but those binaries are not installed (wipe it: pg.sh wipe)"
}

# --------------------------------------------------------------------------- user

ensure_pg_user() {
  ((IS_ROOT)) || return 0
  if ! id -u postgres >/dev/null 2>&1; then
    log "creating system user 'postgres'"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash --comment "PostgreSQL administrator" postgres
  fi
}

# run a command as the cluster owner (postgres when we are root); cwd=/ so an
# unreadable cwd (e.g. under /root) does not bother initdb/pg_ctl
as_owner() {
  if ((IS_ROOT)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

give_to_owner() { # paths...
  if ((IS_ROOT)); then chown postgres:postgres "$@"; fi
}

# --------------------------------------------------------------------------- data dir

DATA=""
owner_can_reach() { # dir (may not exist yet; missing parts will be created 0755)
  local d=$1
  while [[ ! -e $d ]]; do d=$(dirname "$d"); done
  ((IS_ROOT)) || { [[ -x $d ]]; return; }
  runuser -u postgres -- test -x "$d" 2>/dev/null
}

resolve_data() {
  if [[ -n ${PG_DATA_DIR:-} ]]; then
    DATA=$PG_DATA_DIR
    [[ $DATA == /* ]] || DATA="$PWD/$DATA"
    while [[ $DATA == */ && $DATA != / ]]; do DATA=${DATA%/}; done
    if ((IS_ROOT)) && id -u postgres >/dev/null 2>&1 && ! owner_can_reach "$(dirname "$DATA")"; then
      die "PG_DATA_DIR=$DATA is not reachable by the 'postgres' user (a parent directory is not searchable); pick another location"
    fi
    return 0
  fi
  DATA="$CACHE_ROOT/pg-$PG_PORT"
  if ((IS_ROOT)) && id -u postgres >/dev/null 2>&1 && ! owner_can_reach "$(dirname "$DATA")"; then
    DATA=$FALLBACK_DATA
  fi
}

lock() {
  local parent
  parent=$(dirname "$DATA")
  mkdir -p "$parent"
  exec 9>"$parent/.$(basename "$DATA").lock"
  flock 9
}

socket_dir() {
  local s="$DATA/.s.PGSQL.$PG_PORT"
  if ((${#s} <= 100)); then echo "$DATA"; else echo /tmp; fi
}

init_cluster() {
  if [[ -e $DATA ]] && [[ -n $(ls -A "$DATA") ]]; then
    die "$DATA exists, is not empty and is not a PostgreSQL cluster"
  fi
  mkdir -p "$DATA"
  chmod 700 "$DATA"
  give_to_owner "$DATA"
  log "initdb ($BIN) -> $DATA"
  local out
  if ! out=$(as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C --no-sync 2>&1); then
    echo "$out" >&2
    rm -rf -- "$DATA"
    die "initdb failed"
  fi
  cat >"$DATA/pg_hba.conf" <<'EOF'
# generated by deploy/postgres/pg.sh -- throwaway test cluster: trust on loopback only
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
EOF
  printf "\n# deploy/postgres/pg.sh settings (rewritten on every start)\ninclude_if_exists = 'multitrack.conf'\n" \
    >>"$DATA/postgresql.conf"
  give_to_owner "$DATA/pg_hba.conf"
}

write_runtime_conf() {
  cat >"$DATA/multitrack.conf" <<EOF
# generated by deploy/postgres/pg.sh -- throwaway cluster, durability OFF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$(socket_dir)'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
logging_collector = off
log_line_prefix = '%m [%p] '
log_min_messages = warning
timezone = 'UTC'
EOF
  give_to_owner "$DATA/multitrack.conf"
}

# pid of the live postmaster of $DATA, or fail (also detects stale postmaster.pid)
postmaster_pid() {
  local pid
  [[ -f $DATA/postmaster.pid ]] || return 1
  pid=$(head -n1 "$DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9')
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$DATA" || return 1
  echo "$pid"
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

wait_ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    ready && return 0
    sleep 1
  done
  return 1
}

psql_as() { # user db args...
  local user=$1 db=$2
  shift 2
  PGCONNECT_TIMEOUT=10 "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$user" -d "$db" "$@"
}

ensure_role_and_db() {
  psql_as postgres postgres <<EOF >/dev/null
SELECT 'CREATE ROLE $ROLE SUPERUSER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE')\gexec
SELECT 'CREATE DATABASE $ROLE OWNER $ROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$ROLE')\gexec
EOF
}

# --------------------------------------------------------------------------- commands

start_local() {
  ensure_bin
  ensure_pg_user
  resolve_data
  lock
  if [[ ! -f $DATA/PG_VERSION ]]; then
    if tcp_open "$PG_PORT"; then
      die "127.0.0.1:$PG_PORT is already in use by another process (set PG_PORT, or MULTITRACK_PG_URL to use that server)"
    fi
    init_cluster
  fi
  select_bin_for_cluster
  local pid t0=$SECONDS
  if pid=$(postmaster_pid); then
    ((${QUIET:-0})) || log "already running (pid $pid, data $DATA)"
    wait_ready || die "postmaster $pid is running but not accepting connections on 127.0.0.1:$PG_PORT"
  else
    rm -f "$DATA/postmaster.pid" # stale (if any)
    if tcp_open "$PG_PORT"; then
      die "127.0.0.1:$PG_PORT is already in use by another process (set PG_PORT, or MULTITRACK_PG_URL to use that server)"
    fi
    write_runtime_conf
    log "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data $DATA)"
    # own session so a Ctrl-C aimed at the caller does not reach the postmaster;
    # fd 9 (our lock) must not leak into the server
    if ! as_owner setsid -w "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 -s start 9>&- >&2; then
      [[ -f $DATA/server.log ]] && tail -n 30 "$DATA/server.log" >&2
      die "pg_ctl start failed (log: $DATA/server.log)"
    fi
    log "started in $((SECONDS - t0))s"
  fi
  ensure_role_and_db
}

cmd_start() {
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    log "MULTITRACK_PG_URL is set: using that server, not starting a local cluster"
    echo "$MULTITRACK_PG_URL"
    return 0
  fi
  start_local
  echo "$BASE_URL"
}

cmd_stop() {
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    log "MULTITRACK_PG_URL is set: nothing to stop"
    return 0
  fi
  resolve_data
  if [[ ! -f $DATA/PG_VERSION ]]; then
    log "not running (no cluster in $DATA)"
    return 0
  fi
  find_bin || die "PostgreSQL binaries not found"
  select_bin_for_cluster
  lock
  local pid
  if ! pid=$(postmaster_pid); then
    rm -f "$DATA/postmaster.pid"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid) ..."
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 -s stop 9>&- >&2 || {
    log "fast shutdown did not finish; sending SIGQUIT (immediate)"
    kill -QUIT "$pid" 2>/dev/null || true
    sleep 2
  }
  log "stopped"
}

cmd_wipe() {
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    log "MULTITRACK_PG_URL is set: refusing to wipe anything"
    return 0
  fi
  cmd_stop
  resolve_data
  if [[ -e $DATA ]]; then
    if [[ ! -f $DATA/PG_VERSION && -n $(ls -A "$DATA") ]]; then
      die "refusing to wipe $DATA: not a PostgreSQL cluster"
    fi
    rm -rf -- "$DATA"
    rm -f "$(dirname "$DATA")/.$(basename "$DATA").lock"
    log "wiped $DATA"
  else
    log "nothing to wipe ($DATA does not exist)"
  fi
}

# admin connection: external URL or the local cluster as $ROLE
admin_psql() {
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    local psql
    if find_bin && [[ -x $BIN/psql ]]; then psql=$BIN/psql; else psql=psql; fi
    PGCONNECT_TIMEOUT=10 "$psql" -X -q -v ON_ERROR_STOP=1 -d "$MULTITRACK_PG_URL" "$@"
  else
    psql_as "$ROLE" postgres "$@"
  fi
}

urlencode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  echo "$out"
}

db_url() { # name -> URL of that database
  local base=${MULTITRACK_PG_URL:-$BASE_URL}
  if [[ $base =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
    echo "${BASH_REMATCH[1]}/$(urlencode "$1")${BASH_REMATCH[4]}"
  else
    echo "$base"
  fi
}

cmd_createdb() {
  local name=${1:-}
  [[ -n $name ]] || die "usage: pg.sh createdb NAME"
  [[ -n ${MULTITRACK_PG_URL:-} ]] || QUIET=1 start_local
  local sql="SELECT format('CREATE DATABASE %I', :'dbname') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname')\\gexec"
  local err
  if ! err=$(admin_psql -v dbname="$name" <<<"$sql" 2>&1 >/dev/null); then
    # lost a race with a concurrent createdb?
    if [[ $(admin_psql -tA -v dbname="$name" <<<"SELECT 1 FROM pg_database WHERE datname = :'dbname'" 2>/dev/null) != 1 ]]; then
      echo "$err" >&2
      die "could not create database '$name'"
    fi
  fi
  log "database '$name' ready"
  db_url "$name"
}

cmd_dropdb() {
  local name=${1:-}
  [[ -n $name ]] || die "usage: pg.sh dropdb NAME"
  if [[ -z ${MULTITRACK_PG_URL:-} ]]; then ensure_bin; fi
  admin_psql -v dbname="$name" <<<"SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'dbname')\\gexec" >/dev/null
  log "database '$name' dropped (if it existed)"
}

cmd_status() {
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    admin_psql -tA -c 'SELECT 1' >/dev/null 2>&1 && { log "server at MULTITRACK_PG_URL answers"; return 0; }
    log "server at MULTITRACK_PG_URL does not answer"
    return 1
  fi
  find_bin || { log "PostgreSQL not installed"; return 1; }
  if ready; then log "accepting connections on 127.0.0.1:$PG_PORT"; return 0; fi
  log "not accepting connections on 127.0.0.1:$PG_PORT"
  return 1
}

cmd_psql() {
  local psql=psql
  if find_bin && [[ -x $BIN/psql ]]; then psql=$BIN/psql; fi
  if [[ -n ${MULTITRACK_PG_URL:-} ]]; then
    exec "$psql" -X -d "$MULTITRACK_PG_URL" "$@"
  fi
  [[ -n $BIN ]] || die "PostgreSQL not installed"
  exec "$psql" -X -h 127.0.0.1 -p "$PG_PORT" -U "$ROLE" -d "${PGDATABASE:-$ROLE}" "$@"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; exec 9>&-; cmd_start ;;
    wipe) cmd_wipe ;;
    status) cmd_status ;;
    url) echo "${MULTITRACK_PG_URL:-$BASE_URL}" ;;
    createdb) cmd_createdb "$@" ;;
    dropdb) cmd_dropdb "$@" ;;
    psql) cmd_psql "$@" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
