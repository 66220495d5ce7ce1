"""A real Kafka broker for tests, found in this order.

1. ``KAFKA_BOOTSTRAP_SERVERS`` is set: that broker is used as it is, open (no authentication;
   an external development broker), and it cannot be stopped.
2. Otherwise ``deploy/kafka/broker.sh`` starts a closed one (SASL/SCRAM, the platform's ACLs)
   on a free port with its own data directory, as ``make run`` does. It can be stopped and
   started again, which the outage tests need.

On a closed broker every client logs in: a service as its own principal, a test that plays no
service (the messaging tests' probe) as the super user ``admin``. The ACLs cover every topic
namespace, so tests isolate themselves with a random namespace and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from multitrack_shared.messaging.kafka import client_security
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.paths import free_port, read_env_file, repo_root

SUPER_USER = "admin"
"""The closed broker's super user (``deploy/kafka/sasl.sh``): the broker itself and its tools."""
SCRAM = "SCRAM-SHA-512"


@dataclass
class Broker:
    bootstrap: str
    script_env: dict[str, str] | None = field(default=None)
    passwords: dict[str, str] = field(default_factory=dict)
    """Principal (``invitations``, ..., ``operator``, ``admin``) → password; empty when the
    broker is open to anyone."""

    @property
    def controllable(self) -> bool:
        return self.script_env is not None

    @property
    def secured(self) -> bool:
        return bool(self.passwords)

    def login(self, principal: str, password: str | None = None) -> dict[str, Any]:
        """The ``ServiceSettings`` fields of a client logged in as ``principal`` (anonymous on
        an open broker)."""
        if not self.secured:
            return {"kafka_bootstrap_servers": self.bootstrap}
        return {
            "kafka_bootstrap_servers": self.bootstrap,
            "kafka_security_protocol": "SASL_PLAINTEXT",
            "kafka_sasl_mechanism": SCRAM,
            "kafka_username": principal,
            "kafka_password": SecretStr(password or self.passwords[principal]),
        }

    def settings(
        self,
        service: str,
        namespace: str,
        *,
        principal: str | None = None,
        password: str | None = None,
    ) -> ServiceSettings:
        """What ``service`` runs with in ``namespace``, logged in as ``principal`` (itself)."""
        return ServiceSettings(
            service_name=service,
            topic_namespace=namespace,
            **self.login(principal or service, password),
        )

    def client_options(self, principal: str) -> dict[str, Any]:
        """Keyword arguments of a bare aiokafka client logged in as ``principal``."""
        settings = ServiceSettings(service_name=principal, **self.login(principal))
        return {"bootstrap_servers": self.bootstrap, **client_security(settings)}

    def environment(self, principal: str) -> dict[str, str]:
        """The ``MULTITRACK_KAFKA_*`` variables of a process logged in as ``principal``."""
        env = {"MULTITRACK_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap}
        if self.secured:
            env |= {
                "MULTITRACK_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                "MULTITRACK_KAFKA_SASL_MECHANISM": SCRAM,
                "MULTITRACK_KAFKA_USERNAME": principal,
                "MULTITRACK_KAFKA_PASSWORD": self.passwords[principal],
            }
        return env

    def stop(self) -> None:
        self._script("stop")

    def start(self) -> None:
        self._script("start")

    def _script(self, verb: str) -> None:
        if self.script_env is None:
            raise RuntimeError("this broker was not started by the project's script")
        subprocess.run(
            [str(repo_root() / "deploy/kafka/broker.sh"), verb],
            env=self.script_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


@contextmanager
def provide_broker() -> Iterator[Broker]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield Broker(external)
        return
    with provide_secured_broker() as broker:
        yield broker


@contextmanager
def provide_secured_broker(
    port: int | None = None, extra_env: Mapping[str, str] | None = None
) -> Iterator[Broker]:
    """A broker that admits only the platform's principals, each allowed what ``acls.tsv``
    says, from ``broker.sh`` whatever the environment names (``port``: its listener's, a free
    one by default; ``extra_env``: more of the script's variables)."""
    with _script_broker({**(extra_env or {}), "KAFKA_SECURITY": "sasl"}, port) as broker:
        assert broker.script_env is not None
        credentials = Path(broker.script_env["KAFKA_DATA_DIR"]) / "credentials.env"
        broker.passwords = {
            name.removeprefix("KAFKA_PASSWORD_").lower(): value
            for name, value in read_env_file(credentials).items()
        }
        yield broker


@contextmanager
def provide_open_broker() -> Iterator[Broker]:
    """A broker of its own from ``broker.sh`` that admits anyone: no SASL, no ACLs."""
    with _script_broker({"KAFKA_SECURITY": "plaintext"}) as broker:
        yield broker


@contextmanager
def _script_broker(
    extra_env: Mapping[str, str] | None = None, port: int | None = None
) -> Iterator[Broker]:
    data_dir = Path(tempfile.mkdtemp(prefix="multitrack-kafka-"))
    port = port or free_port()
    env = {
        **os.environ,
        "KAFKA_PORT": str(port),
        "KAFKA_CONTROLLER_PORT": str(free_port()),
        "KAFKA_DATA_DIR": str(data_dir),
        **(extra_env or {}),
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    broker = Broker(f"127.0.0.1:{port}", env)
    try:
        broker.start()
    except BaseException:
        # A start that failed half way (its ACLs timed out on a busy machine) leaves a broker
        # running: stop it, or it outlives the test that asked for it.
        with contextlib.suppress(subprocess.CalledProcessError):
            broker.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
