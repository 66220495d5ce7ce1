# Sourced by the local scripts: finds uv wherever the bootstrap could install it.
PATH="$HOME/.local/bin:$PATH"
export PATH
if ! command -v uv >/dev/null 2>&1; then
  uv() { python3 -m uv "$@"; }
fi
