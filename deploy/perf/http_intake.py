"""Quick before/after figure of HTTP intake: ``wrk`` against ``POST /invitations`` of the
invitations service started as ``make run`` starts it (uvicorn; SQLite under a temporary
directory, or with ``--postgres`` a new database of ``MULTITRACK_PG_URL``), with a real
coordinator token of the demo consortium, rate limits off.

    uv run --frozen python deploy/perf/http_intake.py [--seconds 10] [--connections 16]

Needs ``wrk``, the identity provider (``MULTITRACK_OIDC_ISSUER``, else the project's Keycloak
script) and a broker (``KAFKA_BOOTSTRAP_SERVERS``, else one from ``deploy/kafka/broker.sh``):
the service relays what it takes in meanwhile, as it does in production. ``make bench`` is the
full benchmark; this is the short loop of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from multitrack_shared.testing.broker import provide_broker
from multitrack_shared.testing.consortium import provision_demo
from multitrack_shared.testing.keycloak import provide_keycloak
from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.postgres import provide_postgres
from multitrack_shared.testing.samples import invitation_body
from multitrack_shared.testing.tokens import TokenSource

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""


def wait_until_up(url: str, within: float = 300) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/live", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def main(seconds: int, connections: int, flamegraph: Path | None, postgres: bool) -> None:
    with (
        provide_keycloak() as keycloak,
        provide_broker() as broker,
        tempfile.TemporaryDirectory() as tmp,
    ):
        with keycloak.admin() as admin:
            consortium = provision_demo(admin)
        token = asyncio.run(TokenSource(keycloak, consortium).for_client("org-a", "coordinator"))
        port = free_port()
        database_url = (
            asyncio.run(provide_postgres().new_database("perf"))
            if postgres
            else f"sqlite+aiosqlite:///{tmp}/invitations.db"
        )
        env = {
            **os.environ,
            **broker.environment("invitations"),
            "MULTITRACK_SERVICE_NAME": "invitations",
            "MULTITRACK_OIDC_ISSUER": keycloak.issuer.url,
            "MULTITRACK_DATABASE_URL": database_url,
            "MULTITRACK_TOPIC_NAMESPACE": f"perf{port}",
            "MULTITRACK_RATE_LIMIT_CLIENT": "",
            "MULTITRACK_RATE_LIMIT_ORGANIZATION": "",
            "MULTITRACK_LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--factory"),
                "multitrack_invitations.main:create_app",
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            ],
            env=env,
            cwd=repo_root(),
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url)
            script = Path(tmp) / "post.lua"
            body = json.dumps(json.dumps(invitation_body()))
            script.write_text(WRK_SCRIPT.format(body=body, token=token))
            check = httpx.post(
                f"{url}/invitations",
                json=invitation_body(),
                headers={"Authorization": f"Bearer {token}"},
            )
            check.raise_for_status()
            profiler = (
                subprocess.Popen(
                    [
                        *("uvx", "py-spy", "record", "--pid", str(server.pid)),
                        *("--duration", str(seconds), "--output", str(flamegraph)),
                    ],
                    stdout=subprocess.DEVNULL,
                )
                if flamegraph
                else None
            )
            for label, path, extra in (
                ("POST /invitations", "/invitations", ["-s", str(script)]),
                ("GET /health/live", "/health/live", []),
            ):
                run = subprocess.run(
                    [
                        *("wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"),
                        *extra,
                        f"{url}{path}",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                print(f"== {label}\n{run.stdout}", flush=True)
                if profiler is not None:
                    profiler.wait(60)
                    profiler = None
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--flamegraph", type=Path, help="an SVG py-spy records of the server during the POSTs"
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections, arguments.flamegraph, arguments.postgres)
