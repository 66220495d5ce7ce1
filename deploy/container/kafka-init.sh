#!/usr/bin/env bash
# One-shot set-up of the compose broker, run in the apache/kafka image by docker-compose.yml:
# a SCRAM-SHA-512 user per principal of acls.tsv (password from KAFKA_PASSWORD_<PRINCIPAL>),
# then the table's ACLs. It logs in as the super user `admin` (SASL PLAIN, password from
# KAFKA_ADMIN_PASSWORD). Safe to run again: users are altered and ACLs added idempotently.
set -euo pipefail

ACL_TABLE=${ACL_TABLE:-/init/acls.tsv}
BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
BIN=/opt/kafka/bin
CONFIG=$(mktemp)
trap 'rm -f "$CONFIG"' EXIT

log() { echo "kafka-init: $*"; }
die() { log "$*" >&2; exit 1; }

[[ -n ${KAFKA_ADMIN_PASSWORD:-} ]] || die "KAFKA_ADMIN_PASSWORD is not set"
cat >"$CONFIG" <<CONFIG
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
CONFIG

for attempt in $(seq 60); do
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --list \
    >/dev/null 2>&1 && break
  ((attempt < 60)) || die "the broker at $BOOTSTRAP does not answer"
  sleep 2
done

principals=$(awk '!/^#/ && NF {print $1}' "$ACL_TABLE" | awk '!seen[$0]++')
for principal in $principals; do
  var="KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$principal")"
  [[ -n ${!var:-} ]] || die "$var is not set"
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --alter \
    --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[password=${!var}]" >/dev/null
  log "user $principal"
done

# One kafka-acls.sh per principal, pattern and operations (each run is mostly a JVM starting).
declare -A resources=()
declare -a keys=()
while read -r principal resource pattern name operations; do
  [[ -z $principal || $principal == \#* ]] && continue
  key="$principal $pattern $operations"
  [[ -n ${resources[$key]+set} ]] || { keys+=("$key"); resources[$key]=""; }
  case $resource in
    cluster) resources[$key]+=" --cluster" ;;
    topic | group) resources[$key]+=" --$resource $name" ;;
    *) die "unknown resource '$resource' in $ACL_TABLE" ;;
  esac
done <"$ACL_TABLE"
for key in "${keys[@]}"; do
  read -r principal pattern operations <<<"$key"
  command=("$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG"
    --add --allow-principal "User:$principal" --resource-pattern-type "$pattern")
  for op in ${operations//,/ }; do command+=(--operation "$op"); done
  # shellcheck disable=SC2206 # names of acls.tsv: letters, digits, '.', '_', '-'
  command+=(${resources[$key]})
  "${command[@]}" >/dev/null
  log "ACLs of $principal ($pattern: $operations)"
done
log "done"
