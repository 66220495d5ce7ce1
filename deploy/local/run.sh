#!/usr/bin/env bash
# `make run`: a local broker and the four services, each its own process with its own
# SQLite database under var/. Ctrl-C stops everything it started.
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
pids=()
broker_started=""

stop_all() {
  trap - INT TERM EXIT
  echo >&2
  echo "run: stopping services" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $broker_started ]]; then
    echo "run: stopping the broker" >&2
    deploy/kafka/broker.sh stop || true
  fi
}
trap stop_all INT TERM EXIT

deploy/local/bootstrap.sh
if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
  KAFKA_BOOTSTRAP_SERVERS=$(deploy/kafka/broker.sh start | tail -n 1)
  broker_started=1
fi
export MULTITRACK_KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS"
mkdir -p var/log

for name in "${SERVICES[@]}"; do
  uv run --frozen uvicorn --factory "multitrack_${name}.main:create_app" \
    --host "${MULTITRACK_HOST:-127.0.0.1}" --port "${PORTS[$name]}" --log-level warning \
    >>"var/log/${name}.log" 2>&1 &
  pids+=($!)
done

for name in "${SERVICES[@]}"; do
  url="http://127.0.0.1:${PORTS[$name]}"
  for _ in $(seq 1 150); do
    curl -fsS "$url/health/live" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$url/health/live" >/dev/null 2>&1 \
    || { echo "run: $name did not start; see var/log/$name.log" >&2; exit 1; }
done

cat <<INFO

Multitrack is running (broker ${KAFKA_BOOTSTRAP_SERVERS}); logs in var/log/.
  invitations  http://127.0.0.1:${PORTS[invitations]}/docs
  engagements  http://127.0.0.1:${PORTS[engagements]}/docs
  partners     http://127.0.0.1:${PORTS[partners]}/docs
  evaluation   http://127.0.0.1:${PORTS[evaluation]}/docs
Ctrl-C stops everything.
INFO

wait -n "${pids[@]}" || true
echo "run: a service exited; see var/log/" >&2
