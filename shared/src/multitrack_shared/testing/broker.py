"""A real Kafka broker for tests, found in this order.

1. ``KAFKA_BOOTSTRAP_SERVERS`` is set: that broker is used as it is (it cannot be stopped).
2. A Docker engine answers: testcontainers' Kafka module starts one (cannot be stopped either).
3. Otherwise ``deploy/kafka/broker.sh`` starts one from the Maven artifacts on a free port,
   with its own data directory; this one can be stopped and started again, which the
   outage tests need.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from multitrack_shared.testing.paths import free_port, repo_root


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
    with _script_broker() as broker:
        yield broker


@contextmanager
def _script_broker() -> Iterator[Broker]:
    data_dir = Path(tempfile.mkdtemp(prefix="multitrack-kafka-"))
    port = free_port()
    env = {
        **os.environ,
        "KAFKA_PORT": str(port),
        "KAFKA_CONTROLLER_PORT": str(free_port()),
        "KAFKA_DATA_DIR": str(data_dir),
    }
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    broker = Broker(f"127.0.0.1:{port}", env)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
