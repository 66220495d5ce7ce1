#!/usr/bin/env bash
# Installs what a fresh machine lacks for running and testing Multitrack, then syncs the
# workspace. Safe to run again: each step is skipped when its tool is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

say() { echo "bootstrap: $*" >&2; }

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    say "missing $*; install it (as root: apt-get install $*)"; exit 1
  fi
  if [[ -z ${_APT_UPDATED:-} ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v python3 >/dev/null || apt_install python3 python3-pip python3-venv
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven
# The console's browser tests drive Debian's Chromium through Playwright (no browser download).
[[ -x /usr/bin/chromium ]] || apt_install chromium
# The load generator of `make bench` (HTTP figures beside a bare endpoint).
command -v wrk >/dev/null || apt_install wrk

. deploy/local/env.sh
if ! uv --version >/dev/null 2>&1; then
  say "installing uv"
  python3 -m pip install --quiet uv 2>/dev/null \
    || python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv
fi

say "syncing the workspace (uv.lock)"
uv sync --all-packages --frozen --quiet
