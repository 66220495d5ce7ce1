from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """The checkout this library is installed from (editable, as in the uv workspace)."""
    configured = os.environ.get("MULTITRACK_ROOT")
    return Path(configured) if configured else Path(__file__).resolve().parents[4]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines, as the deploy scripts write their generated credentials."""
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs if not name.startswith("#")}
