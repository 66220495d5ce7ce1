#!/usr/bin/env bash
# `make run`: the identity provider (Keycloak, realm multitrack), a closed Kafka broker
# (SASL/SCRAM, ACLs) and the four services, each its own process with its own SQLite database
# under var/, logged in to the broker as its own principal and accepting the realm's tokens;
# then the console in front of them (people sign in to it through the identity provider).
# Provisions the demo consortium and writes its credentials to var/credentials.json. A service
# that exits is restarted with back-off while the others keep serving. Ctrl-C (or SIGTERM)
# stops everything it started.
#
# Environment: INVITATIONS_PORT, ENGAGEMENTS_PORT, PARTNERS_PORT, EVALUATION_PORT (8001-8004),
# CONSOLE_PORT (8080),
# MULTITRACK_HOST (127.0.0.1), MULTITRACK_VAR (var: databases, logs, pid files, credentials),
# MULTITRACK_OIDC_ISSUER (an identity provider to use, none is started; provisioning then needs
# KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD), KEYCLOAK_PORT (8180),
# KAFKA_BOOTSTRAP_SERVERS (a broker to use, none is started), KAFKA_SECURITY (sasl, or
# plaintext for an open broker), KAFKA_PASSWORD_<PRINCIPAL> (with an external closed broker:
# the password of each service's principal and of OPERATOR), KAFKA_PORT (9092).
set -euo pipefail
# Job control: each background job gets a process group of its own, so Ctrl-C (SIGINT to the
# terminal's foreground group) reaches this script alone, which stops the services in order,
# instead of the services too, which their supervisors would then restart.
set -m
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

declare -A PORTS=(
  [invitations]="${INVITATIONS_PORT:-8001}"
  [engagements]="${ENGAGEMENTS_PORT:-8002}"
  [partners]="${PARTNERS_PORT:-8003}"
  [evaluation]="${EVALUATION_PORT:-8004}"
)
SERVICES=(invitations engagements partners evaluation)
CONSOLE_PORT="${CONSOLE_PORT:-8080}"
# The console's live feed reads the partner feed as partner systems do: as their principal.
declare -A PRINCIPAL_OF=([console]=partner)
OPERATOR=operator
VAR="${MULTITRACK_VAR:-var}"
HOST="${MULTITRACK_HOST:-127.0.0.1}"
CREDENTIALS_FILE="$VAR/credentials.json"
KAFKA_SECURITY="${KAFKA_SECURITY:-sasl}"
export KAFKA_SECURITY
# A service that stays up this long has recovered: its next crash starts the back-off afresh.
HEALTHY_RUN_SECONDS=60
MAX_RESTART_DELAY=30
supervisors=()
declare -A SCRIPTS=([identity provider]=deploy/keycloak/keycloak.sh [broker]=deploy/kafka/broker.sh)
declare -A STARTING=() PASSWORDS=()
started=() # the servers this run started, stopped again at the end

say() { echo "run: $*" >&2; }
die() { say "$*"; exit 1; }

stop_all() {
  trap - INT TERM EXIT
  echo >&2
  say "stopping services"
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${supervisors[@]}"; do wait "$pid" 2>/dev/null || true; done
  for server in "${started[@]}"; do
    say "stopping the $server"
    "${SCRIPTS[$server]}" stop || true
  done
}

password_var() { echo "KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$1")"; }

# The broker password of a principal: the local broker's, or the environment's.
kafka_password() {
  if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    deploy/kafka/broker.sh credentials "$1"
  else
    local var
    var=$(password_var "$1")
    [[ -n ${!var:-} ]] || die "KAFKA_BOOTSTRAP_SERVERS names a closed broker: set $var"
    echo "${!var}"
  fi
}

# Runs one service in a loop: when its process exits for any reason other than our own stop,
# it says so and starts it again after a delay that doubles up to MAX_RESTART_DELAY.
supervise() {
  local name=$1 port=$2 delay=1 child="" status started_at main=$$
  local principal=${PRINCIPAL_OF[$name]:-$name}
  trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  export MULTITRACK_DATABASE_URL="sqlite+aiosqlite:///$VAR/$name.db"
  if [[ $KAFKA_SECURITY == sasl ]]; then
    export MULTITRACK_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT MULTITRACK_KAFKA_USERNAME="$principal"
    export MULTITRACK_KAFKA_PASSWORD="${PASSWORDS[$principal]:-}"
  fi
  while :; do
    started_at=$SECONDS
    "$PYTHON" -m uvicorn --factory "multitrack_${name}.main:create_app" \
      --host "$HOST" --port "$port" --log-level warning --timeout-graceful-shutdown 10 \
      >>"$VAR/log/$name.log" 2>&1 &
    child=$!
    echo "$child" >"$VAR/run/$name.pid"
    status=0
    wait "$child" || status=$?
    kill -0 "$main" 2>/dev/null || exit 0 # this script was killed: nothing to restart for
    (( SECONDS - started_at >= HEALTHY_RUN_SECONDS )) && delay=1
    say "$name exited (status $status); restarting in ${delay}s (see $VAR/log/$name.log)"
    sleep "$delay" &
    wait $! || true
    delay=$(( delay * 2 > MAX_RESTART_DELAY ? MAX_RESTART_DELAY : delay * 2 ))
  done
}

# Starts a local server in the background unless one already answers (then it is used, and
# left running at the end). Its address, the script's last stdout line, goes to
# $VAR/run/<server>.address; its pid to STARTING[<server>].
start_server() { # identity provider|broker
  local server=$1
  if "${SCRIPTS[$server]}" status >/dev/null 2>&1; then
    say "the $server already runs: using it (it stays up after Ctrl-C)"
  else
    started+=("$server")
  fi
  "${SCRIPTS[$server]}" start >"$VAR/run/${server// /-}.address" &
  STARTING[$server]=$!
}

# Waits (in this shell, whose child it is) for start_server's start; its address in ADDRESS.
address_of() { # server
  wait "${STARTING[$1]}" || die "the $1 did not start (see the lines above)"
  ADDRESS=$(tail -n 1 "$VAR/run/${1// /-}.address")
}

trap stop_all INT TERM EXIT

deploy/local/bootstrap.sh
# The workspace's interpreter, run directly so that the pid the supervisor holds is the
# server's own: a signal to it reaches the service, not a launcher in between.
PYTHON=$(uv run --frozen python -c 'import sys; print(sys.executable)')
mkdir -p "$VAR/log" "$VAR/run"

# Keycloak and the broker start side by side, unless the environment names them.
ISSUER=${MULTITRACK_OIDC_ISSUER:-}
BOOTSTRAP=${KAFKA_BOOTSTRAP_SERVERS:-}
ADMIN_HINT=""
if [[ -n $ISSUER ]]; then
  [[ -n ${KEYCLOAK_ADMIN_PASSWORD:-} ]] \
    || die "MULTITRACK_OIDC_ISSUER is set: KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD must name its admin"
else
  deploy/keycloak/keycloak.sh fetch
  start_server "identity provider"
  ADMIN_HINT=" (its admin: KEYCLOAK_PORT=${KEYCLOAK_PORT:-8180} deploy/keycloak/keycloak.sh admin-credentials)"
fi
if [[ -z $BOOTSTRAP ]]; then
  deploy/kafka/broker.sh fetch
  start_server broker
fi
if [[ -z $ISSUER ]]; then address_of "identity provider"; ISSUER=$ADDRESS; fi
if [[ -z $BOOTSTRAP ]]; then address_of broker; BOOTSTRAP=$ADDRESS; fi
ISSUER=${ISSUER%/}
export MULTITRACK_OIDC_ISSUER="$ISSUER" MULTITRACK_KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP"
# Local mode: webhooks may go over http to a receiver on this machine; subscriptions' signing
# secrets are encrypted with a key kept in $VAR.
[[ -s $VAR/webhook-secret-key ]] || "$PYTHON" -c \
  'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >"$VAR/webhook-secret-key"
export MULTITRACK_WEBHOOK_ALLOW_LOOPBACK_HTTP=true
MULTITRACK_WEBHOOK_SECRET_KEY=$(<"$VAR/webhook-secret-key")
export MULTITRACK_WEBHOOK_SECRET_KEY
if [[ $KAFKA_SECURITY == sasl ]]; then
  for principal in "${SERVICES[@]}" "$OPERATOR"; do
    PASSWORDS[$principal]=$(kafka_password "$principal")
  done
  PASSWORDS[partner]=$(kafka_password partner 2>/dev/null) || PASSWORDS[partner]=""
fi

# The demo consortium: members, their clients and people; the operator's broker login.
(
  if [[ -z ${KEYCLOAK_ADMIN_PASSWORD:-} ]]; then
    while IFS= read -r line; do export "${line?}"; done < <(deploy/keycloak/keycloak.sh admin-credentials)
  fi
  if [[ $KAFKA_SECURITY == sasl ]]; then
    export "$(password_var "$OPERATOR")=${PASSWORDS[$OPERATOR]}"
  fi
  "$PYTHON" -m multitrack_shared.testing.consortium --issuer "$ISSUER" demo \
    --out "$CREDENTIALS_FILE" --console-url "http://127.0.0.1:$CONSOLE_PORT" --kafka-bootstrap "$BOOTSTRAP" --kafka-principal "$OPERATOR"
) || die "could not provision the demo consortium in $ISSUER"

for name in "${SERVICES[@]}"; do
  supervise "$name" "${PORTS[$name]}" &
  supervisors+=($!)
done

# The console calls the four services with the signed-in person's token; it has no database
# and reads no broker of its own.
export MULTITRACK_CONSOLE_PUBLIC_URL="http://127.0.0.1:$CONSOLE_PORT"
for name in "${SERVICES[@]}"; do
  export "MULTITRACK_${name^^}_URL=http://127.0.0.1:${PORTS[$name]}"
done
PORTS[console]=$CONSOLE_PORT
FEED_BROKER=$BOOTSTRAP
if [[ $KAFKA_SECURITY == sasl && -z ${PASSWORDS[partner]:-} ]]; then
  say "no password of the broker's partner principal (KAFKA_PASSWORD_PARTNER): the console's live feed is off"
  FEED_BROKER=""
fi
MULTITRACK_KAFKA_BOOTSTRAP_SERVERS=$FEED_BROKER supervise console "$CONSOLE_PORT" &
supervisors+=($!)

# Up to two minutes each: five Python servers importing at once on a busy two-core machine
# can take far longer than the few seconds one takes alone.
for name in "${SERVICES[@]}" console; do
  url="http://127.0.0.1:${PORTS[$name]}"
  for _ in $(seq 1 600); do
    curl -fsS "$url/health/live" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$url/health/live" >/dev/null 2>&1 \
    || { say "$name did not start; see $VAR/log/$name.log"; exit 1; }
done

cat <<INFO

Multitrack is running; logs in $VAR/log/.
  console      http://127.0.0.1:${CONSOLE_PORT}/  (sign in as a person of $CREDENTIALS_FILE)
  invitations  http://127.0.0.1:${PORTS[invitations]}/docs
  engagements  http://127.0.0.1:${PORTS[engagements]}/docs
  partners     http://127.0.0.1:${PORTS[partners]}/docs
  evaluation   http://127.0.0.1:${PORTS[evaluation]}/docs
Identity provider: ${ISSUER}
  admin console  ${ISSUER%/realms/*}/admin/${ADMIN_HINT}
Broker: ${BOOTSTRAP} (${KAFKA_SECURITY}; each service logs in as itself)
Credentials of the demo consortium and of the broker's operator: $CREDENTIALS_FILE
  a token: curl -s -u <client_id>:<client_secret> -d grant_type=client_credentials ${ISSUER}/protocol/openid-connect/token
A service that exits is restarted. Ctrl-C stops everything.
INFO

# The supervisors never end on their own: this waits until Ctrl-C or SIGTERM.
wait "${supervisors[@]}" || true
