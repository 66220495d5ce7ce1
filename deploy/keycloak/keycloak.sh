#!/usr/bin/env bash
# Keycloak, the platform's identity provider, for local runs and tests.  The server
# distribution is fetched as a Maven artifact (see pom.xml) into a cache outside the
# repository and built once there; each data dir is an instance of its own (embedded H2
# database, HTTP on 127.0.0.1 only) that imports the multitrack realm at its first start.
#
# Usage: deploy/keycloak/keycloak.sh {fetch|start|stop|restart|wipe|status|foreground|issuer
#                                     |admin-credentials}
#   fetch              unpack and build the Keycloak distribution into the cache (once)
#   start              fetch if needed, start in background, wait until the realm's OpenID
#                      discovery answers; prints the issuer URL as the last stdout line
#   stop               SIGTERM, wait up to KEYCLOAK_STOP_TIMEOUT s, then SIGKILL (data kept)
#   restart            stop + start
#   wipe               stop and delete the data dir (realm, clients, users, keys)
#   status             exit 0 iff the realm's discovery document answers
#   foreground         run in the foreground (Ctrl-C to stop)
#   issuer             print the issuer URL
#   admin-credentials  print KEYCLOAK_ADMIN=... and KEYCLOAK_ADMIN_PASSWORD=... (master realm)
#
# Environment (defaults in brackets):
#   KEYCLOAK_VERSION [26.5.6]       Keycloak version fetched/run (26.5.x)
#   MULTITRACK_CACHE [~/.cache/multitrack]   cache root; server in <root>/keycloak-<version>/dist
#   KEYCLOAK_PORT [8180]            HTTP on 127.0.0.1
#   KEYCLOAK_DATA_DIR [<root>/keycloak-<version>/run-<port>]  database, log, pid file
#   KEYCLOAK_REALM_FILE [deploy/keycloak/multitrack-realm.json]  imported at the first start
#   KEYCLOAK_ADMIN [admin]          master-realm admin created at the first start of a data dir
#   KEYCLOAK_ADMIN_PASSWORD         its password; generated when unset; both kept in
#                                   <data dir>/admin.env
#   KEYCLOAK_HEAP [-Xms64m -Xmx512m] / KEYCLOAK_JVM_OPTS []   JVM options
#   KEYCLOAK_START_TIMEOUT [120] / KEYCLOAK_STOP_TIMEOUT [30]   seconds
#   MULTITRACK_OIDC_ISSUER          if set, start/foreground start nothing and print it;
#                                   status/issuer talk about it
#   JAVA_HOME / JAVA                java to use (17 or later)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$SCRIPT_DIR/pom.xml"

KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.5.6}"
if [[ ! $KEYCLOAK_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]]; then
  echo "keycloak.sh: invalid KEYCLOAK_VERSION '$KEYCLOAK_VERSION'" >&2
  exit 2
fi
CACHE_ROOT="${MULTITRACK_CACHE:-$HOME/.cache/multitrack}"
KC_CACHE="$CACHE_ROOT/keycloak-$KEYCLOAK_VERSION"
DIST="$KC_CACHE/dist"
MARKER="$KC_CACHE/.fetch-complete"
# Build-time options, fixed for every instance: the dist is built once and started --optimized.
BUILD_OPTIONS=(--db=dev-file --features=organization --health-enabled=false --metrics-enabled=false)
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
DATA_DIR="${KEYCLOAK_DATA_DIR:-$KC_CACHE/run-$KEYCLOAK_PORT}"
REALM_FILE="${KEYCLOAK_REALM_FILE:-$SCRIPT_DIR/multitrack-realm.json}"
KEYCLOAK_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx512m}"
START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KEYCLOAK_STOP_TIMEOUT:-30}"

if [[ -n ${JAVA:-} ]]; then :
elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java
fi
export JAVA # kc.sh build uses it too

# Keycloak keeps its data under <home>/data: each instance gets a home of its own whose
# program parts link to the shared, already built distribution.
INSTANCE_HOME="$DATA_DIR/home"
PID_FILE="$DATA_DIR/keycloak.pid"
LOG_FILE="$DATA_DIR/keycloak.log"
ADMIN_ENV="$DATA_DIR/admin.env"
BASE_URL="http://127.0.0.1:$KEYCLOAK_PORT"

log() { echo "keycloak.sh: $*" >&2; }
die() { echo "keycloak.sh: ERROR: $*" >&2; exit 1; }

SERVER_NAME=Keycloak SERVER_MAIN=io.quarkus.bootstrap.runner.QuarkusEntryPoint
SERVER_MARK="-Dkc.home.dir=$INSTANCE_HOME"
# shellcheck source=deploy/lib/server.sh
. "$SCRIPT_DIR/../lib/server.sh"

realm_name() {
  [[ -f $REALM_FILE ]] || die "missing realm file $REALM_FILE"
  local name
  name=$(sed -n 's/^ *"realm" *: *"\([A-Za-z0-9_-]*\)".*/\1/p' "$REALM_FILE" | head -n 1)
  [[ -n $name ]] || die "no \"realm\" name in $REALM_FILE"
  echo "$name"
}

issuer() {
  if [[ -n ${MULTITRACK_OIDC_ISSUER:-} ]]; then echo "${MULTITRACK_OIDC_ISSUER%/}"; return; fi
  echo "$BASE_URL/realms/$(realm_name)"
}

# --------------------------------------------------------------------------- fetch

is_fetched() {
  [[ -f $MARKER && -f $DIST/lib/quarkus-run.jar ]] \
    && grep -qxF "build=${BUILD_OPTIONS[*]}" "$MARKER"
}

fetch() {
  is_fetched && return 0
  mkdir -p "$KC_CACHE"
  exec 8>"$KC_CACHE/.fetch.lock" # serialize concurrent fetches of the same version
  flock 8
  if is_fetched; then
    exec 8>&-
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to fetch Keycloak $KEYCLOAK_VERSION)"
  [[ -f $POM ]] || die "missing $POM"
  local tmp="$KC_CACHE/dist.tmp.$$" t0=$SECONDS
  rm -rf "$tmp"
  log "fetching Keycloak $KEYCLOAK_VERSION with mvn into $DIST (first run only) ..."
  if ! mvn -B -q -f "$POM" dependency:unpack -Dkeycloak.version="$KEYCLOAK_VERSION" \
        -Dkeycloak.unpack.dir="$tmp" ${KEYCLOAK_MVN_ARGS:-} >"$KC_CACHE/fetch.log" 2>&1; then
    tail -n 30 "$KC_CACHE/fetch.log" >&2 || true
    rm -rf "$tmp"
    die "mvn failed to fetch Keycloak $KEYCLOAK_VERSION (full log: $KC_CACHE/fetch.log)"
  fi
  [[ -f $tmp/keycloak-$KEYCLOAK_VERSION/lib/quarkus-run.jar ]] \
    || { rm -rf "$tmp"; die "mvn succeeded but the Keycloak $KEYCLOAK_VERSION distribution is missing"; }
  rm -rf "$DIST"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$DIST"
  rm -rf "$tmp"
  # Built where it stays (the build records paths); instances then start --optimized.
  log "building the server (${BUILD_OPTIONS[*]}) ..."
  if ! "$DIST/bin/kc.sh" build "${BUILD_OPTIONS[@]}" >>"$KC_CACHE/fetch.log" 2>&1; then
    tail -n 30 "$KC_CACHE/fetch.log" >&2 || true
    die "kc.sh build failed (full log: $KC_CACHE/fetch.log)"
  fi
  printf 'version=%s\nbuild=%s\nfetched_at=%s\n' "$KEYCLOAK_VERSION" "${BUILD_OPTIONS[*]}" \
    "$(date -u +%FT%TZ)" >"$MARKER"
  log "fetched and built Keycloak $KEYCLOAK_VERSION in $((SECONDS - t0))s"
  exec 8>&-
}

# --------------------------------------------------------------------------- helpers

# The realm's discovery document names the expected issuer: the realm is imported and served.
probe() {
  local expected
  expected=$(issuer)
  curl -fsS --max-time 3 "$expected/.well-known/openid-configuration" 2>/dev/null \
    | grep -qF "\"issuer\":\"$expected\""
}

# The admin is created at the first start of a data dir only, so its credentials are kept.
ensure_admin_credentials() {
  [[ -s $ADMIN_ENV ]] && return 0
  local user=${KEYCLOAK_ADMIN:-admin} password=${KEYCLOAK_ADMIN_PASSWORD:-}
  [[ -n $password ]] || password=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  [[ $user =~ ^[A-Za-z0-9._@-]+$ ]] || die "invalid KEYCLOAK_ADMIN '$user'"
  [[ $password =~ ^[A-Za-z0-9._~+/-]{8,}$ ]] \
    || die "KEYCLOAK_ADMIN_PASSWORD must be 8 or more of A-Z a-z 0-9 . _ ~ + / -"
  (umask 077 && printf 'KEYCLOAK_ADMIN=%s\nKEYCLOAK_ADMIN_PASSWORD=%s\n' "$user" "$password" \
    >"$ADMIN_ENV")
}

admin_value() { sed -n "s/^$1=//p" "$ADMIN_ENV" | tail -n 1; }

prepare_home() {
  mkdir -p "$INSTANCE_HOME/data/import"
  local part
  for part in lib providers themes conf; do
    ln -sfn "$DIST/$part" "$INSTANCE_HOME/$part"
  done
  # --import-realm reads data/import; a realm that exists already is left as it is.
  cp -f "$REALM_FILE" "$INSTANCE_HOME/data/import/$(realm_name)-realm.json"
  ensure_admin_credentials
}

server_command() { # fills SERVER array
  local heap=() extra=()
  read -r -a heap <<<"$KEYCLOAK_HEAP"
  read -r -a extra <<<"${KEYCLOAK_JVM_OPTS:-}"
  SERVER=("$JAVA" "${heap[@]}" -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -XX:+UseG1GC
    -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8 -Djava.security.egd=file:/dev/urandom
    --add-opens=java.base/java.util=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.security=ALL-UNNAMED
    -Duser.language=en -Duser.country=US
    -Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory
    "-Dkc.home.dir=$INSTANCE_HOME" "-Djboss.server.config.dir=$DIST/conf"
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dpicocli.disable.closures=true
    "${extra[@]}"
    -cp "$DIST/lib/quarkus-run.jar" io.quarkus.bootstrap.runner.QuarkusEntryPoint
    start --optimized --http-enabled=true --http-host=127.0.0.1 "--http-port=$KEYCLOAK_PORT"
    "--hostname=$BASE_URL" --cache=local --import-realm)
}

# --------------------------------------------------------------------------- commands

cmd_start() {
  if [[ -n ${MULTITRACK_OIDC_ISSUER:-} ]]; then
    log "MULTITRACK_OIDC_ISSUER is set: using the identity provider at $(issuer), not starting one"
    issuer
    return 0
  fi
  command -v curl >/dev/null 2>&1 || die "curl not found"
  fetch
  lock_data_dir
  local pid t0=$SECONDS launched=0
  if pid=$(our_pid); then
    log "Keycloak already running (pid $pid, data $DATA_DIR)"
    echo "$pid" >"$PID_FILE"
  else
    rm -f "$PID_FILE"
    if tcp_open 127.0.0.1 "$KEYCLOAK_PORT"; then
      if probe; then
        log "a Keycloak (not from $DATA_DIR) already serves $(issuer); using it"
        issuer
        return 0
      fi
      die "port $KEYCLOAK_PORT on 127.0.0.1 is in use by something that does not serve $(issuer)"
    fi
    command -v "$JAVA" >/dev/null 2>&1 || die "java not found"
    prepare_home
    rotate_log
    echo "==== $(date -u +%FT%TZ) keycloak.sh start (Keycloak $KEYCLOAK_VERSION) ====" >>"$LOG_FILE"
    server_command
    log "starting Keycloak $KEYCLOAK_VERSION on $BASE_URL (data $DATA_DIR)"
    # own session (outlives the caller's process group); cwd = data dir for crash files
    (cd "$DATA_DIR" && KC_BOOTSTRAP_ADMIN_USERNAME=$(admin_value KEYCLOAK_ADMIN) \
      KC_BOOTSTRAP_ADMIN_PASSWORD=$(admin_value KEYCLOAK_ADMIN_PASSWORD) \
      exec setsid "${SERVER[@]}") </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
    pid=$!
    launched=1
    echo "$pid" >"$PID_FILE"
  fi

  local deadline=$((SECONDS + START_TIMEOUT))
  while ! probe; do
    if ! launched_alive "$pid"; then
      rm -f "$PID_FILE"
      log_tail 60
      die "Keycloak process $pid exited during startup (log: $LOG_FILE)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail 60
      if ((launched)); then
        log "stopping the Keycloak that failed to become ready"
        terminate "$pid" || true
        rm -f "$PID_FILE"
      fi
      die "realm discovery did not answer at $(issuer) within ${START_TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.5
  done
  if ((launched)); then
    log "Keycloak ready at $BASE_URL (pid $pid) after $((SECONDS - t0))s"
  fi
  issuer
}

cmd_wipe() { wipe_data_dir "$INSTANCE_HOME" "$ADMIN_ENV"; }

cmd_status() {
  if probe; then
    log "$(issuer) answers"
    return 0
  fi
  log "no identity provider answering at $(issuer)"
  return 1
}

cmd_foreground() {
  if [[ -n ${MULTITRACK_OIDC_ISSUER:-} ]]; then
    log "MULTITRACK_OIDC_ISSUER is set ($(issuer)); not starting Keycloak"
    return 0
  fi
  fetch
  lock_data_dir
  local pid
  if pid=$(our_pid); then die "Keycloak already running in background (pid $pid)"; fi
  prepare_home
  server_command
  echo $$ >"$PID_FILE"
  exec 9>&-
  log "running Keycloak $KEYCLOAK_VERSION in the foreground at $(issuer) (data $DATA_DIR)"
  KC_BOOTSTRAP_ADMIN_USERNAME=$(admin_value KEYCLOAK_ADMIN) \
    KC_BOOTSTRAP_ADMIN_PASSWORD=$(admin_value KEYCLOAK_ADMIN_PASSWORD) \
    exec "${SERVER[@]}"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    fetch) fetch; log "Keycloak $KEYCLOAK_VERSION in $DIST" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    wipe) cmd_wipe ;;
    status) cmd_status ;;
    foreground) cmd_foreground ;;
    issuer) issuer ;;
    admin-credentials)
      [[ -s $ADMIN_ENV ]] || die "no $ADMIN_ENV yet (start Keycloak once)"
      cat "$ADMIN_ENV" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
