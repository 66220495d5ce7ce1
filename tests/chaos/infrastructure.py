"""What the fault suite starts for itself and may break: a PostgreSQL cluster and a closed
broker on free ports with data directories of their own, never a server other tests share."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from multitrack_shared.testing.broker import Broker, provide_secured_broker
from multitrack_shared.testing.faultproxy import FaultProxy
from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.postgres import Postgres


@dataclass
class OwnPostgres:
    """A throwaway cluster run by ``deploy/postgres/pg.sh`` on a port and directory of its own."""

    port: int
    data_dir: Path

    @property
    def server(self) -> Postgres:
        return Postgres(f"postgresql://multitrack@127.0.0.1:{self.port}")

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def wipe(self) -> None:
        self._script("wipe")

    def _script(self, verb: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "MULTITRACK_PG_URL"}
        env |= {"PG_PORT": str(self.port), "PG_DATA_DIR": str(self.data_dir), "QUIET": "1"}
        subprocess.run(
            [str(repo_root() / "deploy/postgres/pg.sh"), verb],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    # A parent the script creates world-searchable, so that the cluster's owner reaches it
    # when the suite runs as root.
    parent = Path("/var/tmp/multitrack-chaos") / uuid.uuid4().hex[:10]
    postgres = OwnPostgres(free_port(), parent / "pg")
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.wipe()
        shutil.rmtree(parent, ignore_errors=True)


@dataclass
class OwnBroker:
    broker: Broker
    link: FaultProxy
    """Every client reaches the broker through it: the broker advertises its address."""


@contextmanager
def own_broker() -> Iterator[OwnBroker]:
    """A closed broker of the suite's own, whatever ``KAFKA_BOOTSTRAP_SERVERS`` names."""
    port = free_port()
    with FaultProxy("127.0.0.1", port) as link:
        advertised = f"advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{link.port}"
        with provide_secured_broker(port, {"KAFKA_EXTRA_CONFIG": advertised}) as broker:
            broker.bootstrap = f"127.0.0.1:{link.port}"
            yield OwnBroker(broker, link)


def kill_broker(broker: Broker) -> None:
    """SIGKILL: the broker gets no chance to flush or to tell its clients."""
    assert broker.script_env is not None
    pid_file = Path(broker.script_env["KAFKA_DATA_DIR"]) / "kafka.pid"
    pid = int(pid_file.read_text().strip())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
