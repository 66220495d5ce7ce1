"""`make run` supervises: one service's crash is not an outage of the others."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.processes import SERVICES


@dataclass
class RunScript:
    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    var: Path

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def answers(self, name: str) -> bool:
        try:
            return httpx.get(f"{self.url(name)}/health/live", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def pid_of(self, name: str) -> int:
        return int((self.var / "run" / f"{name}.pid").read_text())

    def output(self) -> str:
        return (self.var / "run.out").read_text(errors="replace")


def wait_until(condition: object, within: float, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what}")
        time.sleep(0.2)


@pytest.fixture
def make_run(kafka_broker: Broker, topic_prefix: str, tmp_path: Path) -> Iterator[RunScript]:
    ports = {name: free_port() for name in SERVICES}
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap,
        "MULTITRACK_TOPIC_PREFIX": topic_prefix,
        "MULTITRACK_VAR": str(tmp_path),
        **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    output = (tmp_path / "run.out").open("wb")
    process = subprocess.Popen(
        [str(repo_root() / "deploy/local/run.sh")],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a failed test can end all of it
    )
    script = RunScript(process, ports, tmp_path)
    try:
        wait_until(lambda: "Multitrack is running" in script.output(), 240, "make run started")
        yield script
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_killed_service_is_restarted_while_the_others_keep_answering(
    make_run: RunScript,
) -> None:
    os.kill(make_run.pid_of("invitations"), signal.SIGKILL)
    wait_until(lambda: not make_run.answers("invitations"), 10, "invitations went down")

    for name in ("engagements", "partners", "evaluation"):
        assert make_run.answers(name), f"{name} stopped answering when invitations died"
    wait_until(lambda: make_run.answers("invitations"), 30, "invitations answers again")
    assert "invitations exited" in make_run.output()
    assert make_run.process.poll() is None


def test_sigterm_stops_every_service_it_started(make_run: RunScript) -> None:
    pids = [make_run.pid_of(name) for name in SERVICES]

    make_run.process.send_signal(signal.SIGTERM)
    make_run.process.wait(timeout=60)

    for name in SERVICES:
        assert not make_run.answers(name), f"{name} still answers after make run stopped"
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
