"""A real Kafka broker for tests, found in this order.

1. ``KAFKA_BOOTSTRAP_SERVERS`` is set: that broker is used as it is (it cannot be stopped).
2. A Docker engine answers: testcontainers' Kafka module starts one (cannot be stopped either).
3. Otherwise ``deploy/kafka/broker.sh`` starts one from the Maven artifacts on a free port,
   with its own data directory; this one can be stopped and started again, which the
   outage tests need.

A secured broker (``provide_secured_broker``) always comes from the script: SASL/SCRAM, the
platform's ACLs applied for a pool of topic prefixes, one principal per service and an operator.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.paths import free_port, read_env_file, repo_root


@dataclass
class Broker:
    bootstrap: str
    script_env: dict[str, str] | None = field(default=None)

    @property
    def controllable(self) -> bool:
        return self.script_env is not None

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


def docker_engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    return probe.returncode == 0


@contextmanager
def provide_broker() -> Iterator[Broker]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield Broker(external)
        return
    if docker_engine_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield Broker(container.get_bootstrap_server())
        return
    with _script_broker({"KAFKA_SECURITY": "plaintext"}) as broker:
        yield broker


@dataclass
class SecuredBroker(Broker):
    """A broker that admits only its principals, each allowed what ``acls.tsv`` says."""

    passwords: dict[str, str] = field(default_factory=dict)
    """Principal (``invitations``, ..., ``operator``, ``admin``) → password."""
    unused_prefixes: list[str] = field(default_factory=list)
    """Topic prefixes the ACLs were applied for, not yet handed to a test."""

    def new_prefix(self) -> str:
        if not self.unused_prefixes:
            raise RuntimeError("every topic prefix with ACLs is taken; start with a larger pool")
        return self.unused_prefixes.pop()

    def settings(
        self, principal: str, topic_prefix: str, password: str | None = None
    ) -> ServiceSettings:
        """What a service logged in as ``principal`` runs with."""
        return ServiceSettings(
            service_name=principal,
            kafka_bootstrap_servers=self.bootstrap,
            kafka_security_protocol="SASL_PLAINTEXT",
            kafka_sasl_mechanism="SCRAM-SHA-512",
            kafka_username=principal,
            kafka_password=SecretStr(password or self.passwords[principal]),
            topic_prefix=topic_prefix,
        )


@contextmanager
def provide_secured_broker(prefixes: int = 8) -> Iterator[SecuredBroker]:
    pool = [f"s{uuid.uuid4().hex[:8]}." for _ in range(prefixes)]
    secured = {"KAFKA_SECURITY": "sasl", "KAFKA_ACL_PREFIXES": ",".join(pool)}
    with _script_broker(secured) as broker:
        assert broker.script_env is not None
        credentials = Path(broker.script_env["KAFKA_DATA_DIR"]) / "credentials.env"
        passwords = {
            name.removeprefix("KAFKA_PASSWORD_").lower(): value
            for name, value in read_env_file(credentials).items()
        }
        yield SecuredBroker(broker.bootstrap, broker.script_env, passwords, pool)


@contextmanager
def _script_broker(extra_env: Mapping[str, str] | None = None) -> Iterator[Broker]:
    data_dir = Path(tempfile.mkdtemp(prefix="multitrack-kafka-"))
    port = free_port()
    env = {
        **os.environ,
        "KAFKA_PORT": str(port),
        "KAFKA_CONTROLLER_PORT": str(free_port()),
        "KAFKA_DATA_DIR": str(data_dir),
        **(extra_env or {}),
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    broker = Broker(f"127.0.0.1:{port}", env)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
