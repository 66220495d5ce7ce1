"""``python -m multitrack_shared.http.probe [path]``: is the service in this container healthy?

Container health checks run it. It exits 0 when the service listening on this host, at the
port uvicorn was given (``UVICORN_PORT``, as the images set it), answers ``path`` (by default
``/health/live``) with 200, and 1 otherwise. It uses the standard library only, so an image
needs neither curl nor the service's own imports for it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

LIVENESS = "/health/live"
DEFAULT_PORT = "8000"


def probe_url(path: str = LIVENESS, environ: Mapping[str, str] = os.environ) -> str:
    return f"http://127.0.0.1:{environ.get('UVICORN_PORT', DEFAULT_PORT)}{path}"


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main(argv: Sequence[str]) -> int:
    path = argv[0] if argv else LIVENESS
    return 0 if healthy(probe_url(path)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
