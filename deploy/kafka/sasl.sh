# SASL/SCRAM authentication and ACLs for broker.sh (sourced by it; used when KAFKA_SECURITY=sasl).
#
# The client listener takes SASL_PLAINTEXT with SCRAM-SHA-512; the controller listener stays on
# 127.0.0.1 and takes SASL PLAIN with the admin's password (SCRAM credentials live in the
# metadata log, which the controller serves, so the controller cannot use them itself).
# StandardAuthorizer refuses whatever no ACL allows; `admin` is the super user the broker
# and these scripts use. Every principal of acls.tsv gets a SCRAM user, its password taken
# from KAFKA_PASSWORD_<PRINCIPAL> or generated, and kept in $DATA_DIR/credentials.env.

ACL_TABLE="$SCRIPT_DIR/acls.tsv"
CREDENTIALS="$DATA_DIR/credentials.env"
ADMIN_CLIENT_CONF="$DATA_DIR/admin-client.properties"
SECURITY_MARK="$DATA_DIR/security"
SCRAM_USERS="$DATA_DIR/scram-users"
ACLS_STAMP="$DATA_DIR/acls.applied"
ADMIN_PRINCIPAL=admin
SCRAM=SCRAM-SHA-512
SECRET_PATTERN='^[A-Za-z0-9._~+/-]{8,}$'
ACL_COMMANDS_AT_ONCE=4

sasl_principals() { # admin first, then every principal of the table, each once
  { echo "$ADMIN_PRINCIPAL"; awk '!/^#/ && NF {print $1}' "$ACL_TABLE"; } | awk '!seen[$0]++'
}

password_var() { echo "KAFKA_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$1")"; }

new_password() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# Fill credentials.env with every principal it lacks: the environment's password or a new one.
ensure_credentials() {
  [[ -f $ACL_TABLE ]] || die "missing $ACL_TABLE"
  (umask 077 && touch "$CREDENTIALS")
  local principal var value
  for principal in $(sasl_principals); do
    var=$(password_var "$principal")
    grep -q "^$var=" "$CREDENTIALS" && continue
    value=${!var:-$(new_password)}
    [[ $value =~ $SECRET_PATTERN ]] \
      || die "$var must be 8 or more of A-Z a-z 0-9 . _ ~ + / -"
    echo "$var=$value" >>"$CREDENTIALS"
  done
}

password_of() { # principal
  local var
  var=$(password_var "$1")
  sed -n "s/^$var=//p" "$CREDENTIALS" | tail -n 1
}

scram_jaas() { # principal
  echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$(password_of "$1")\";"
}

sasl_listener_config() {
  local admin_password
  admin_password=$(password_of "$ADMIN_PRINCIPAL")
  cat <<CONFIG
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=$SCRAM
sasl.mechanism.inter.broker.protocol=$SCRAM
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$(scram_jaas "$ADMIN_PRINCIPAL")
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$ADMIN_PRINCIPAL" password="$admin_password" user_$ADMIN_PRINCIPAL="$admin_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:$ADMIN_PRINCIPAL
CONFIG
}

write_admin_client_config() {
  (umask 077 && {
    cat "$PROBE_CONF"
    printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=%s\nsasl.jaas.config=%s\n' \
      "$SCRAM" "$(scram_jaas "$ADMIN_PRINCIPAL")"
  } >"$ADMIN_CLIENT_CONF.tmp")
  mv -f "$ADMIN_CLIENT_CONF.tmp" "$ADMIN_CLIENT_CONF"
}

# StorageTool arguments that create every principal's SCRAM user in the new metadata log.
scram_format_args() {
  local principal
  for principal in $(sasl_principals); do
    printf -- '--add-scram\n%s=[name=%s,password=%s]\n' "$SCRAM" "$principal" "$(password_of "$principal")"
  done
}

# A principal added to the table after the data dir was formatted gets its user now.
ensure_scram_users() {
  local principal
  for principal in $(sasl_principals); do
    grep -qxF "$principal" "$SCRAM_USERS" 2>/dev/null && continue
    log "adding SCRAM user $principal"
    run_tool kafka.admin.ConfigCommand --bootstrap-server "$LOCAL_BOOTSTRAP" \
      --command-config "$ADMIN_CLIENT_CONF" --alter --entity-type users --entity-name "$principal" \
      --add-config "$SCRAM=[password=$(password_of "$principal")]" >>"$DATA_DIR/acls.log" 2>&1 \
      || die "could not add SCRAM user $principal (log: $DATA_DIR/acls.log)"
    echo "$principal" >>"$SCRAM_USERS"
  done
}

# One AclCommand, tried again on a loaded machine, where the admin client's calls can time out
# before the broker answers (adding an ACL that exists changes nothing).
add_acls() {
  local try
  for try in 1 2 3; do
    run_tool "$@" >>"$DATA_DIR/acls.log" 2>&1 && return 0
    log "AclCommand failed (try $try of 3)"
    sleep "$try"
  done
  return 1
}

# Apply acls.tsv: one AclCommand per principal, pattern and operations, run side by side.
# The table's names cover every namespace by themselves (literal and prefixed rows).
apply_acls() {
  local -a keys=() command pids=()
  local -A resources=()
  local principal resource pattern name operations key op pid failed=0 t0=$SECONDS
  while read -r principal resource pattern name operations; do
    [[ -z $principal || $principal == \#* ]] && continue
    [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid name '$name' in $ACL_TABLE"
    key="$principal $pattern $operations"
    [[ -n ${resources[$key]+set} ]] || { keys+=("$key"); resources[$key]=""; }
    case $resource in
      cluster) [[ ${resources[$key]} == *--cluster* ]] || resources[$key]+=" --cluster" ;;
      topic | group) resources[$key]+=" --$resource $name" ;;
      *) die "unknown resource '$resource' in $ACL_TABLE" ;;
    esac
  done <"$ACL_TABLE"
  for key in "${keys[@]}"; do
    read -r principal pattern operations <<<"$key"
    command=(kafka.admin.AclCommand --bootstrap-server "$LOCAL_BOOTSTRAP"
      --command-config "$ADMIN_CLIENT_CONF" --add --allow-principal "User:$principal"
      --resource-pattern-type "$pattern")
    for op in ${operations//,/ }; do command+=(--operation "$op"); done
    # shellcheck disable=SC2206 # resource arguments are validated words
    command+=(${resources[$key]})
    # Each command is mostly a JVM starting: a few at once take a fraction of the time.
    add_acls "${command[@]}" &
    pids+=($!)
    if ((${#pids[@]} >= ACL_COMMANDS_AT_ONCE)); then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  ((!failed)) || die "AclCommand failed (log: $DATA_DIR/acls.log)"
  log "ACLs of $ACL_TABLE applied in $((SECONDS - t0))s"
}

acls_fingerprint() { sha256sum <"$ACL_TABLE" | cut -d' ' -f1; }

# After the broker answers: users added since the format, then the table unless already applied.
sasl_after_start() {
  ensure_scram_users
  local fingerprint
  fingerprint=$(acls_fingerprint)
  [[ -f $ACLS_STAMP && $(<"$ACLS_STAMP") == "$fingerprint" ]] && return 0
  apply_acls
  echo "$fingerprint" >"$ACLS_STAMP"
}
