"""The four services as real OS processes (uvicorn), each with its own database, logged in to
the broker as its own principal and accepting the identity provider's tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.paths import free_port

SERVICES = ("invitations", "engagements", "partners", "evaluation")


@dataclass
class ServiceProcess:
    name: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                f"multitrack_{self.name}.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "10",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_live(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not come up:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Platform:
    services: dict[str, ServiceProcess]

    def url(self, name: str) -> str:
        return self.services[name].url

    def start(self) -> None:
        for service in self.services.values():
            service.start()
        for service in self.services.values():
            service.wait_live()

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()


def platform_processes(
    *,
    broker: Broker,
    databases: Mapping[str, str],
    topic_namespace: str,
    oidc_issuer: str,
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
) -> Platform:
    """One process per service in ``databases`` (service name → database URL)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("MULTITRACK_")}
    base.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    services = {}
    for name, url in databases.items():
        env = {
            **base,
            **broker.environment(name),
            "MULTITRACK_DATABASE_URL": url,
            "MULTITRACK_TOPIC_NAMESPACE": topic_namespace,
            "MULTITRACK_OIDC_ISSUER": oidc_issuer,
            "MULTITRACK_RELAY_POLL_SECONDS": "0.5",
            # The fuzzer and the demo outrun any sensible limit; a test of limits sets them.
            "MULTITRACK_RATE_LIMIT_CLIENT": "",
            "MULTITRACK_RATE_LIMIT_ORGANIZATION": "",
            **(extra_env or {}),
        }
        services[name] = ServiceProcess(name, env, log_dir / f"{name}.log")
    return Platform(services)


def console_process(
    platform: Platform,
    *,
    oidc_issuer: str,
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
) -> ServiceProcess:
    """The console (``services/console``) in front of ``platform``'s four services, on a free
    port; its public URL is its own loopback address (so its cookie is not ``Secure``)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("MULTITRACK_")}
    console = ServiceProcess("console", {}, log_dir / "console.log")
    console.env = {
        **base,
        "MULTITRACK_OIDC_ISSUER": oidc_issuer,
        "MULTITRACK_CONSOLE_PUBLIC_URL": console.url,
        **{f"MULTITRACK_{name.upper()}_URL": platform.url(name) for name in SERVICES},
        **(extra_env or {}),
    }
    return console
