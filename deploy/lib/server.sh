# What the deploy scripts that run one background JVM server per data dir share (sourced).
#
# The sourcing script sets SERVER_NAME (for messages), SERVER_MAIN and SERVER_MARK (two
# exact arguments of the server's command line that tell its process apart: the main class,
# and one naming this data dir), DATA_DIR, PID_FILE, LOG_FILE and STOP_TIMEOUT, and defines
# log and die.

tcp_open() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Is PID a live server of *this* data dir?
is_our_pid() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  local args
  args=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  grep -qxF -- "$SERVER_MAIN" <<<"$args" && grep -qxF -- "$SERVER_MARK" <<<"$args"
}

# Whether a process we just launched still runs. Until the launching subshell has exec'd the
# server, its command line is the shell's, so is_our_pid would wrongly call it gone; an exited
# child lingers as a zombie until reaped, so that state counts as gone.
launched_alive() {
  local state
  state=$(sed -n 's/^[^)]*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

# Print the pid of our running server; pid file first, then a /proc scan
# (covers a lost/stale pid file).  Returns 1 if none.
our_pid() {
  local pid
  if [[ -f $PID_FILE ]]; then
    pid=$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)
    if [[ -n $pid ]] && is_our_pid "$pid"; then echo "$pid"; return 0; fi
  fi
  local d
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    if is_our_pid "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

lock_data_dir() {
  mkdir -p "$DATA_DIR"
  exec 9>"$DATA_DIR/.lock"
  flock 9
}

log_tail() {
  if [[ -f $LOG_FILE ]]; then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n "${1:-40}" "$LOG_FILE" >&2 || true
    echo "----" >&2
  fi
}

rotate_log() { # keep one previous log once it passes 50 MiB
  if [[ -f $LOG_FILE && $(stat -c %s "$LOG_FILE") -gt 52428800 ]]; then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
}

terminate() { # pid -> SIGTERM, wait, SIGKILL
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while is_our_pid "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$SERVER_NAME (pid $pid) did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      local k=0
      while is_our_pid "$pid" && ((k < 50)); do sleep 0.1; k=$((k + 1)); done
      break
    fi
    sleep 0.2
  done
  ! is_our_pid "$pid"
}

cmd_stop() {
  if [[ ! -d $DATA_DIR ]]; then
    log "not running (no data dir $DATA_DIR)"
    return 0
  fi
  lock_data_dir
  local pid
  if ! pid=$(our_pid); then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping $SERVER_NAME (pid $pid) ..."
  local t0=$SECONDS
  terminate "$pid" || die "could not stop $SERVER_NAME pid $pid"
  rm -f "$PID_FILE"
  log "stopped after $((SECONDS - t0))s"
}

wipe_data_dir() { # paths of which one exists in a data dir of ours
  cmd_stop
  if [[ ! -d $DATA_DIR ]]; then
    log "nothing to wipe ($DATA_DIR does not exist)"
    return 0
  fi
  local ours=0 path
  for path in "$@"; do [[ -e $path ]] && ours=1; done
  # refuse to delete a non-empty directory that does not look like ours
  if [[ -n $(ls -A "$DATA_DIR" | grep -vxF .lock) ]] && ((!ours)); then
    die "refusing to wipe $DATA_DIR: does not look like a data dir of $SERVER_NAME"
  fi
  rm -rf -- "$DATA_DIR"
  log "wiped $DATA_DIR"
}

usage() { # the sourcing script's header comment
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
