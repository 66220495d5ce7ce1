"""What the run stands on: a closed broker of its own, PostgreSQL, the identity provider with
the demo consortium, and the four services as processes on PostgreSQL, as the cross-service
tests start them (``multitrack_shared.testing``)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from multitrack_shared.testing.broker import (
    SUPER_USER,
    Broker,
    provide_broker,
    provide_open_broker,
)
from multitrack_shared.testing.consortium import Consortium, provision_demo
from multitrack_shared.testing.keycloak import IdentityProvider, provide_keycloak
from multitrack_shared.testing.paths import free_port
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.postgres import Postgres, provide_postgres
from multitrack_shared.testing.processes import (
    SERVICES,
    Platform,
    ServiceProcess,
    platform_processes,
)
from multitrack_shared.testing.tokens import TokenSource


@dataclass
class Ground:
    broker: Broker
    postgres: Postgres
    identity: IdentityProvider
    tokens: TokenSource
    work_dir: Path

    @property
    def broker_kind(self) -> str:
        return "closed (SASL/SCRAM, ACLs)" if self.broker.secured else "open"

    def namespace(self) -> str:
        """A topic namespace (and consumer groups) no other measurement sees."""
        return f"b{uuid.uuid4().hex[:8]}"

    def super_user(self) -> dict[str, Any]:
        """``ServiceSettings`` fields of a client that plays no service (the limits' clients)."""
        return self.broker.login(SUPER_USER)

    async def start_services(
        self,
        names: tuple[str, ...] = SERVICES,
        *,
        namespace: str,
        databases: Mapping[str, str] | None = None,
        extra_env: Mapping[str, str] | None = None,
    ) -> Platform:
        urls = dict(databases or {})
        for name in names:
            if name not in urls:
                urls[name] = await self.postgres.new_database(f"bench_{name}")
        platform = platform_processes(
            broker=self.broker,
            databases=urls,
            topic_namespace=namespace,
            oidc_issuer=self.identity.issuer.url,
            log_dir=self.work_dir,
            extra_env=extra_env,
        )
        await asyncio.to_thread(_start_all, platform)
        await every_service_ready(platform)
        return platform


async def every_service_ready(platform: Platform) -> None:
    """Every service ready, and each port answered by the service started on it: on a machine
    where others start servers too, a free port can be taken between its choice and the bind,
    and the health check then reaches someone else's service. Such a service starts again on
    another port."""
    async with httpx.AsyncClient(timeout=5) as http:

        async def ready() -> bool:
            for name, service in platform.services.items():
                if service.process is not None and service.process.poll() is not None:
                    await asyncio.to_thread(_restart_elsewhere, service)
                    return False
                try:
                    answer = await http.get(f"{service.url}/health")
                except httpx.HTTPError:  # not listening yet
                    return False
                if answer.status_code != 200 or answer.json().get("service") != name:
                    return False
            return True

        try:
            await eventually(ready, within=600, what="every service ready")
        except AssertionError:
            for service in platform.services.values():
                print(f"{service.name} on {service.url}:\n{service.log_tail(15)}", file=sys.stderr)
            raise


def _start_all(platform: Platform) -> None:
    """Each process started, not waited for: ``every_service_ready`` checks who answers."""
    for service in platform.services.values():
        service.start()


def _restart_elsewhere(service: ServiceProcess) -> None:
    print(f"{service.name} exited ({service.log_tail(3)}); again on another port", file=sys.stderr)
    service.port = free_port()
    service.start()


def _broker(stack: contextlib.ExitStack, *, closed: bool, attempts: int = 2) -> Broker:
    """A closed broker of the run's own (or the open one ``KAFKA_BOOTSTRAP_SERVERS`` names, as
    everywhere in the tests). On a busy machine the ACL commands ``broker.sh`` runs at start
    can time out: it is tried again, then an open broker of the run's own is used, and the
    results say so."""
    for attempt in range(1, attempts + 1 if closed else 1):
        try:
            return stack.enter_context(provide_broker())
        except subprocess.CalledProcessError:
            print(f"the closed broker did not start (try {attempt} of {attempts})", file=sys.stderr)
    print("measuring on an open broker (no SASL, no ACLs)", file=sys.stderr)
    for attempt in range(1, attempts + 1):
        try:
            return stack.enter_context(provide_open_broker())
        except subprocess.CalledProcessError:
            if attempt == attempts:
                raise
            print(f"the open broker did not start (try {attempt} of {attempts})", file=sys.stderr)
    raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def provide_ground(
    *, closed_broker: bool = True, credentials: Path | None = None
) -> AsyncIterator[Ground]:
    """``credentials``: the demo consortium's file of an identity provider shared with others
    (a test session's): its people keep their passwords, which others still sign in with."""
    with (
        tempfile.TemporaryDirectory(prefix="multitrack-bench-") as work,
        contextlib.ExitStack() as stack,
        provide_keycloak() as identity,
    ):
        broker = _broker(stack, closed=closed_broker)
        with identity.admin() as admin:
            known = Consortium.read(credentials) if credentials else None
            consortium = provision_demo(admin, known=known)
        yield Ground(
            broker=broker,
            postgres=provide_postgres(),
            identity=identity,
            tokens=TokenSource(identity, consortium),
            work_dir=Path(work),
        )


@dataclass
class MemoryWatch:
    """Each service's resident set size, sampled every ``every`` seconds through the run."""

    platform: Platform
    every: float = 1.0
    samples: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            now = time.monotonic() - self._started
            for name, service in self.platform.services.items():
                if service.process is None:
                    continue
                mib = rss_mib(service.process.pid)
                if mib is not None:
                    self.samples.setdefault(name, []).append((round(now, 1), mib))


def rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None
