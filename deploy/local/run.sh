#!/usr/bin/env bash
# `make run`: a local broker and the four services, each its own process with its own
# SQLite database under var/. A service that exits is restarted with back-off while the
# others keep serving. Ctrl-C (or SIGTERM) stops everything it started.
#
# Environment: INVITATIONS_PORT, ENGAGEMENTS_PORT, PARTNERS_PORT, EVALUATION_PORT (8001-8004),
# MULTITRACK_HOST (127.0.0.1), MULTITRACK_VAR (var: databases, logs and pid files),
# KAFKA_BOOTSTRAP_SERVERS (an external broker: none is started).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

declare -A PORTS=(
  [invitations]="${INVITATIONS_PORT:-8001}"
  [engagements]="${ENGAGEMENTS_PORT:-8002}"
  [partners]="${PARTNERS_PORT:-8003}"
  [evaluation]="${EVALUATION_PORT:-8004}"
)
SERVICES=(invitations engagements partners evaluation)
VAR="${MULTITRACK_VAR:-var}"
HOST="${MULTITRACK_HOST:-127.0.0.1}"
# A service that stays up this long has recovered: its next crash starts the back-off afresh.
HEALTHY_RUN_SECONDS=60
MAX_RESTART_DELAY=30
supervisors=()
broker_started=""

say() { echo "run: $*" >&2; }

stop_all() {
  trap - INT TERM EXIT
  echo >&2
  say "stopping services"
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${supervisors[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $broker_started ]]; then
    say "stopping the broker"
    deploy/kafka/broker.sh stop || true
  fi
}

# Runs one service in a loop: when its process exits for any reason other than our own stop,
# it says so and starts it again after a delay that doubles up to MAX_RESTART_DELAY.
supervise() {
  local name=$1 port=$2 delay=1 child="" status started
  trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while :; do
    started=$SECONDS
    MULTITRACK_DATABASE_URL="sqlite+aiosqlite:///$VAR/$name.db" \
      "$PYTHON" -m uvicorn --factory "multitrack_${name}.main:create_app" \
      --host "$HOST" --port "$port" --log-level warning >>"$VAR/log/$name.log" 2>&1 &
    child=$!
    echo "$child" >"$VAR/run/$name.pid"
    status=0
    wait "$child" || status=$?
    (( SECONDS - started >= HEALTHY_RUN_SECONDS )) && delay=1
    say "$name exited (status $status); restarting in ${delay}s (see $VAR/log/$name.log)"
    sleep "$delay" &
    wait $! || true
    delay=$(( delay * 2 > MAX_RESTART_DELAY ? MAX_RESTART_DELAY : delay * 2 ))
  done
}

trap stop_all INT TERM EXIT

deploy/local/bootstrap.sh
# The workspace's interpreter, run directly so that the pid the supervisor holds is the
# server's own: a signal to it reaches the service, not a launcher in between.
PYTHON=$(uv run --frozen python -c 'import sys; print(sys.executable)')
if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
  KAFKA_BOOTSTRAP_SERVERS=$(deploy/kafka/broker.sh start | tail -n 1)
  broker_started=1
fi
export MULTITRACK_KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS"
mkdir -p "$VAR/log" "$VAR/run"

for name in "${SERVICES[@]}"; do
  supervise "$name" "${PORTS[$name]}" &
  supervisors+=($!)
done

for name in "${SERVICES[@]}"; do
  url="http://127.0.0.1:${PORTS[$name]}"
  for _ in $(seq 1 150); do
    curl -fsS "$url/health/live" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$url/health/live" >/dev/null 2>&1 \
    || { say "$name did not start; see $VAR/log/$name.log"; exit 1; }
done

cat <<INFO

Multitrack is running (broker ${KAFKA_BOOTSTRAP_SERVERS}); logs in $VAR/log/.
  invitations  http://127.0.0.1:${PORTS[invitations]}/docs
  engagements  http://127.0.0.1:${PORTS[engagements]}/docs
  partners     http://127.0.0.1:${PORTS[partners]}/docs
  evaluation   http://127.0.0.1:${PORTS[evaluation]}/docs
A service that exits is restarted. Ctrl-C stops everything.
INFO

# The supervisors never end on their own: this waits until Ctrl-C or SIGTERM.
wait "${supervisors[@]}" || true
