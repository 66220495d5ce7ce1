#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, combined broker+controller) for
# local runs and tests.  The broker is fetched as Maven artifacts (see pom.xml)
# into a cache outside the repository; no Docker, no tarball download.
#
# Usage: deploy/kafka/broker.sh {fetch|start|stop|restart|wipe|status|foreground|topics|tool
#                                 |credentials|acls}
#   fetch            copy the Kafka runtime jars into the cache (once)
#   start            fetch if needed, start in background, wait until it answers
#                    a metadata request; prints the bootstrap address on stdout
#   stop             SIGTERM, wait up to KAFKA_STOP_TIMEOUT s, then SIGKILL (data kept)
#   restart          stop + start
#   wipe             stop and delete the data dir
#   status           exit 0 iff the broker answers a metadata request
#   foreground       run the broker in the foreground (Ctrl-C to stop)
#   topics ARGS...   org.apache.kafka.tools.TopicCommand --bootstrap-server <broker> ARGS...
#   tool CLASS ARGS  run any main class from the Kafka jars with the right classpath
#   credentials [P]  (sasl) print the principals' passwords as KAFKA_PASSWORD_<P>=... lines,
#                    or only principal P's password
#   acls             (sasl) apply acls.tsv again on the running broker (start applies a
#                    changed table by itself)
#   admin-config     (sasl) print the path of the admin's client properties (for tool ...)
#
# Environment (defaults in brackets):
#   KAFKA_VERSION [3.9.2]          Kafka version fetched/run
#   MULTITRACK_CACHE [~/.cache/multitrack]   cache root; jars in <root>/kafka-<version>/lib
#   KAFKA_SECURITY [sasl]          sasl: SASL_PLAINTEXT with SCRAM-SHA-512, StandardAuthorizer,
#                                  one principal per service plus operator (see sasl.sh, acls.tsv);
#                                  plaintext: anyone may do anything (no authentication)
#   KAFKA_PORT [9092]              client listener on 127.0.0.1
#   KAFKA_CONTROLLER_PORT [9093]   KRaft controller listener on 127.0.0.1
#   KAFKA_DATA_DIR [<root>/kafka-<version>/run-<port>, run-<port>-sasl with sasl]
#                                  logs, pid file, config, credentials.env
#   KAFKA_PASSWORD_<PRINCIPAL>     (sasl) password of ADMIN, INVITATIONS, ..., OPERATOR when a
#                                  data dir is new; generated when unset
#   KAFKA_HEAP [-Xmx512m]          broker heap options
#   KAFKA_JVM_OPTS []              extra JVM options for the broker
#   KAFKA_EXTRA_CONFIG []          extra server.properties lines (newline separated)
#   KAFKA_START_TIMEOUT [90]       seconds to wait for readiness
#   KAFKA_STOP_TIMEOUT [30]        seconds to wait for a clean exit before SIGKILL
#   KAFKA_BOOTSTRAP_SERVERS        if set, start/foreground do nothing (external broker);
#                                  status/topics talk to it
#   JAVA_HOME / JAVA               java to use
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$SCRIPT_DIR/pom.xml"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
if [[ ! $KAFKA_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]]; then
  echo "broker.sh: invalid KAFKA_VERSION '$KAFKA_VERSION'" >&2
  exit 2
fi
CACHE_ROOT="${MULTITRACK_CACHE:-$HOME/.cache/multitrack}"
KAFKA_CACHE="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIB_DIR="$KAFKA_CACHE/lib"
MARKER="$KAFKA_CACHE/.fetch-complete"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_SECURITY="${KAFKA_SECURITY:-sasl}"
case $KAFKA_SECURITY in
  plaintext) DATA_DIR="${KAFKA_DATA_DIR:-$KAFKA_CACHE/run-$KAFKA_PORT}" ;;
  sasl) DATA_DIR="${KAFKA_DATA_DIR:-$KAFKA_CACHE/run-$KAFKA_PORT-sasl}" ;;
  *) echo "broker.sh: KAFKA_SECURITY must be plaintext or sasl, not '$KAFKA_SECURITY'" >&2; exit 2 ;;
esac
KAFKA_HEAP="${KAFKA_HEAP:--Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if [[ -n ${JAVA:-} ]]; then :
elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java
fi

CONF="$DATA_DIR/server.properties"
LOG4J_CONF="$DATA_DIR/log4j.properties"
PID_FILE="$DATA_DIR/kafka.pid"
LOG_FILE="$DATA_DIR/kafka.log"
LOG_DIRS="$DATA_DIR/kraft-logs"
CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
TOOLS_LOG4J="$KAFKA_CACHE/tools-log4j.properties"
PROBE_CONF="$KAFKA_CACHE/probe.properties"
LOCAL_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

log() { echo "broker.sh: $*" >&2; }
die() { echo "broker.sh: ERROR: $*" >&2; exit 1; }

SERVER_NAME=broker SERVER_MAIN=kafka.Kafka SERVER_MARK=$CONF
# shellcheck source=deploy/lib/server.sh
. "$SCRIPT_DIR/../lib/server.sh"

# shellcheck source=deploy/kafka/sasl.sh
. "$SCRIPT_DIR/sasl.sh"
sasl() { [[ $KAFKA_SECURITY == sasl ]]; }
# The admin client settings of probes and tools: the admin's credentials when sasl.
client_config() { if sasl; then echo "$ADMIN_CLIENT_CONF"; else echo "$PROBE_CONF"; fi; }

# --------------------------------------------------------------------------- fetch

is_fetched() {
  [[ -f $MARKER && -f $LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar && -f $LIB_DIR/kafka-tools-$KAFKA_VERSION.jar ]]
}

write_tool_configs() {
  # Small helper configs that live next to the jars (rewritten each time; cheap).
  local tmp
  tmp=$(mktemp "$KAFKA_CACHE/.tmp.XXXXXX")
  cat >"$tmp" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  mv -f "$tmp" "$TOOLS_LOG4J"
  tmp=$(mktemp "$KAFKA_CACHE/.tmp.XXXXXX")
  cat >"$tmp" <<'EOF'
# admin client settings for quick readiness probes
request.timeout.ms=5000
default.api.timeout.ms=8000
socket.connection.setup.timeout.ms=2000
socket.connection.setup.timeout.max.ms=3000
reconnect.backoff.max.ms=500
EOF
  mv -f "$tmp" "$PROBE_CONF"
}

fetch() {
  if is_fetched; then
    [[ -f $TOOLS_LOG4J && -f $PROBE_CONF ]] || write_tool_configs
    return 0
  fi
  mkdir -p "$KAFKA_CACHE"
  # serialize concurrent fetches of the same version
  exec 8>"$KAFKA_CACHE/.fetch.lock"
  flock 8
  if is_fetched; then
    exec 8>&-
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to fetch Kafka $KAFKA_VERSION)"
  [[ -f $POM ]] || die "missing $POM"
  local tmp="$KAFKA_CACHE/lib.tmp.$$" t0=$SECONDS
  rm -rf "$tmp"
  log "fetching Apache Kafka $KAFKA_VERSION jars with mvn into $LIB_DIR (first run only) ..."
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
        -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime \
        -DoutputDirectory="$tmp" ${KAFKA_MVN_ARGS:-} \
        >"$KAFKA_CACHE/fetch.log" 2>&1; then
    tail -n 30 "$KAFKA_CACHE/fetch.log" >&2 || true
    rm -rf "$tmp"
    die "mvn failed to fetch Kafka $KAFKA_VERSION (full log: $KAFKA_CACHE/fetch.log)"
  fi
  [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar && -f $tmp/kafka-tools-$KAFKA_VERSION.jar ]] \
    || { rm -rf "$tmp"; die "mvn succeeded but kafka jars for $KAFKA_VERSION are missing"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  write_tool_configs
  printf 'version=%s\njars=%s\nfetched_at=%s\n' "$KAFKA_VERSION" \
    "$(find "$LIB_DIR" -name '*.jar' | wc -l)" "$(date -u +%FT%TZ)" >"$MARKER"
  log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0))s"
  exec 8>&-
}

# --------------------------------------------------------------------------- helpers

# Run a main class from the Kafka jars (quick-starting client JVM, quiet logging).
run_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$TOOLS_LOG4J" -cp "$LIB_DIR/*" "$@" 8>&- 9>&-
}

# Real readiness check: a Metadata request via the admin client (TopicCommand --list).
probe() { # bootstrap
  run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --list \
    --command-config "$(client_config)" >/dev/null 2>&1
}

probe_local() {
  tcp_open 127.0.0.1 "$KAFKA_PORT" && probe "$LOCAL_BOOTSTRAP"
}

gen_cluster_id() { # base64url(16 random bytes), like kafka-storage random-uuid
  local u
  while :; do
    u=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ ${#u} -eq 22 && $u != -* ]] && { echo "$u"; return; }
  done
}

listener_config() {
  if sasl; then
    sasl_listener_config
    return
  fi
  cat <<EOF
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
EOF
}

# A data dir keeps the security it was formatted with: SCRAM users exist only if made then.
check_security() {
  local formatted=plaintext
  [[ -f $LOG_DIRS/meta.properties ]] || return 0
  [[ -f $SECURITY_MARK ]] && formatted=$(<"$SECURITY_MARK")
  [[ $formatted == "$KAFKA_SECURITY" ]] \
    || die "$DATA_DIR was formatted with KAFKA_SECURITY=$formatted; wipe it or choose another KAFKA_DATA_DIR"
}

write_configs() {
  mkdir -p "$LOG_DIRS" "$DATA_DIR/logs"
  check_security
  if sasl; then
    ensure_credentials
    write_admin_client_config
  fi
  (umask 077 && touch "$CONF.tmp") # holds the admin's password when sasl
  cat >"$CONF.tmp" <<EOF
# generated by deploy/kafka/broker.sh -- rewritten on every start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$(listener_config)
log.dirs=$LOG_DIRS

auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.segment.bytes=16777216
log.retention.hours=168
log.retention.check.interval.ms=300000
log.cleaner.dedupe.buffer.size=16777216
EOF
  if [[ -n ${KAFKA_EXTRA_CONFIG:-} ]]; then
    printf '\n# KAFKA_EXTRA_CONFIG\n%s\n' "$KAFKA_EXTRA_CONFIG" >>"$CONF.tmp"
  fi
  mv -f "$CONF.tmp" "$CONF"
  cat >"$LOG4J_CONF" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF
}

format_storage() {
  if [[ -f $LOG_DIRS/meta.properties ]]; then
    return 0 # already formatted: keep data (format --ignore-formatted would be a no-op)
  fi
  local cid
  if [[ -s $CLUSTER_ID_FILE ]]; then cid=$(<"$CLUSTER_ID_FILE"); else cid=$(gen_cluster_id); echo "$cid" >"$CLUSTER_ID_FILE"; fi
  log "formatting KRaft storage in $LOG_DIRS (cluster id $cid)"
  local scram=()
  if sasl; then mapfile -t scram < <(scram_format_args); fi
  if ! run_tool kafka.tools.StorageTool format -t "$cid" -c "$CONF" --ignore-formatted \
        "${scram[@]}" >"$DATA_DIR/format.log" 2>&1; then
    cat "$DATA_DIR/format.log" >&2
    die "kafka-storage format failed"
  fi
  echo "$KAFKA_SECURITY" >"$SECURITY_MARK"
  if sasl; then sasl_principals >"$SCRAM_USERS"; fi
}

jvm_args() { # fills BROKER_JVM array
  local heap=() extra=()
  read -r -a heap <<<"$KAFKA_HEAP"
  read -r -a extra <<<"${KAFKA_JVM_OPTS:-}"
  BROKER_JVM=("${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J_CONF" "-Dkafka.logs.dir=$DATA_DIR/logs"
    "${extra[@]}")
}

# --------------------------------------------------------------------------- commands

cmd_start() {
  if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    log "KAFKA_BOOTSTRAP_SERVERS is set: using the broker at $KAFKA_BOOTSTRAP_SERVERS, not starting one"
    echo "$KAFKA_BOOTSTRAP_SERVERS"
    return 0
  fi
  fetch
  lock_data_dir
  check_security
  local pid t0=$SECONDS launched=0
  if pid=$(our_pid); then
    log "broker already running (pid $pid, data $DATA_DIR)"
    echo "$pid" >"$PID_FILE" # repair a lost/stale pid file
  else
    rm -f "$PID_FILE" # stale
    if tcp_open 127.0.0.1 "$KAFKA_PORT"; then
      if probe "$LOCAL_BOOTSTRAP"; then
        log "a Kafka broker (not from $DATA_DIR) already answers on $LOCAL_BOOTSTRAP; using it"
        echo "$LOCAL_BOOTSTRAP"
        return 0
      fi
      die "port $KAFKA_PORT on 127.0.0.1 is in use by something that is not a Kafka broker"
    fi
    if tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
      die "controller port $KAFKA_CONTROLLER_PORT on 127.0.0.1 is already in use (set KAFKA_CONTROLLER_PORT)"
    fi
    command -v "$JAVA" >/dev/null 2>&1 || die "java not found"
    write_configs
    format_storage
    rotate_log
    echo "==== $(date -u +%FT%TZ) broker.sh start (Kafka $KAFKA_VERSION) ====" >>"$LOG_FILE"
    jvm_args
    log "starting Kafka $KAFKA_VERSION on $LOCAL_BOOTSTRAP (controller :$KAFKA_CONTROLLER_PORT, data $DATA_DIR)"
    # own session (survives the caller's process group); cwd = data dir so
    # that JVM crash files land there
    (cd "$DATA_DIR" && exec setsid "$JAVA" "${BROKER_JVM[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$CONF") \
      </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
    pid=$!
    launched=1
    sleep 0.3
    if ! is_our_pid "$pid"; then
      local p2
      if p2=$(our_pid); then pid=$p2; fi
    fi
    echo "$pid" >"$PID_FILE"
  fi

  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! launched_alive "$pid"; then
      rm -f "$PID_FILE"
      log_tail 60
      die "broker process $pid exited during startup (log: $LOG_FILE)"
    fi
    if probe_local; then break; fi
    if ((SECONDS >= deadline)); then
      log_tail 60
      if ((launched)); then
        log "stopping the broker that failed to become ready"
        terminate "$pid" || true
        rm -f "$PID_FILE"
      fi
      die "broker did not answer a metadata request on $LOCAL_BOOTSTRAP within ${START_TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 1
  done
  if ((launched)); then
    log "broker ready on $LOCAL_BOOTSTRAP (pid $pid) after $((SECONDS - t0))s"
  fi
  if sasl; then sasl_after_start; fi
  echo "$LOCAL_BOOTSTRAP"
}

cmd_wipe() { wipe_data_dir "$CONF" "$LOG_DIRS" "$CLUSTER_ID_FILE"; }

cmd_status() {
  fetch
  local bs="${KAFKA_BOOTSTRAP_SERVERS:-$LOCAL_BOOTSTRAP}" pid=""
  if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    probe "$bs" && { log "broker at $bs answers"; return 0; }
  else
    pid=$(our_pid || true)
    if probe_local; then
      log "broker at $bs answers${pid:+ (pid $pid, data $DATA_DIR)}"
      return 0
    fi
  fi
  log "no broker answering at $bs${pid:+ (process $pid exists, still starting?)}"
  return 1
}

cmd_foreground() {
  if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    log "KAFKA_BOOTSTRAP_SERVERS is set ($KAFKA_BOOTSTRAP_SERVERS); not starting a broker"
    return 0
  fi
  fetch
  lock_data_dir
  if pid=$(our_pid); then die "broker already running in background (pid $pid)"; fi
  write_configs
  format_storage
  jvm_args
  echo $$ >"$PID_FILE"
  exec 9>&-
  if sasl; then # the ACLs need a broker that answers: applied beside it once it does
    (until probe_local; do sleep 1; done; sasl_after_start) </dev/null 8>&- &
  fi
  log "running Kafka $KAFKA_VERSION in the foreground on $LOCAL_BOOTSTRAP (data $DATA_DIR)"
  exec "$JAVA" "${BROKER_JVM[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$CONF"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    fetch) fetch; log "Kafka $KAFKA_VERSION jars in $LIB_DIR" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    wipe) cmd_wipe ;;
    status) cmd_status ;;
    foreground) cmd_foreground ;;
    topics)
      fetch
      local config=()
      [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} ]] && sasl && config=(--command-config "$ADMIN_CLIENT_CONF")
      run_tool org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "${KAFKA_BOOTSTRAP_SERVERS:-$LOCAL_BOOTSTRAP}" "${config[@]}" "$@" ;;
    credentials)
      sasl || die "credentials: the broker runs without authentication (KAFKA_SECURITY=plaintext)"
      [[ -f $CREDENTIALS ]] || die "no $CREDENTIALS yet (start the broker once)"
      if [[ $# -ge 1 ]]; then
        [[ -n $(password_of "$1") ]] || die "no principal '$1' in $CREDENTIALS"
        password_of "$1"
      else
        cat "$CREDENTIALS"
      fi ;;
    acls)
      sasl || die "acls: the broker runs without authentication (KAFKA_SECURITY=plaintext)"
      fetch
      probe_local || die "no broker answering on $LOCAL_BOOTSTRAP"
      apply_acls
      acls_fingerprint >"$ACLS_STAMP" ;;
    admin-config)
      sasl || die "admin-config: the broker runs without authentication (KAFKA_SECURITY=plaintext)"
      echo "$ADMIN_CLIENT_CONF" ;;
    tool)
      [[ $# -ge 1 ]] || die "usage: broker.sh tool MAIN_CLASS [ARGS...]"
      fetch
      run_tool "$@" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
