"""`make run`: the platform runs closed, its credentials are written for its users, and it
supervises: one service's crash is not an outage of the others; Ctrl-C stops what it started.

To stay fast the script is given the session's identity provider and closed broker (it then
starts neither); the services still log in to the broker as themselves and the demo consortium
is provisioned in the realm.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from multitrack_shared.messaging.access import OPERATOR, written_topics
from multitrack_shared.messaging.kafka import new_admin
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.consortium import Consortium
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import free_port, repo_root
from multitrack_shared.testing.processes import SERVICES

pytestmark = pytest.mark.broker


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

    def credentials(self) -> dict[str, Any]:
        document = json.loads((self.var / "credentials.json").read_text())
        assert isinstance(document, dict)
        return document


def wait_until(condition: object, within: float, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what}")
        time.sleep(0.2)


def broker_environment(broker: Broker) -> dict[str, str]:
    """What `make run` needs to use the session's broker: its address, and on a closed broker
    the password of each service's principal and of the operator."""
    if not broker.secured:
        return {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "KAFKA_SECURITY": "plaintext"}
    return {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "KAFKA_SECURITY": "sasl",
        **{
            f"KAFKA_PASSWORD_{principal.upper()}": broker.passwords[principal]
            for principal in (*SERVICES, OPERATOR)
        },
    }


def stop(process: subprocess.Popen[bytes], var: Path) -> None:
    """End a run left behind by a failed test: SIGTERM, then anything still alive by force."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for pid_file in (var / "run").glob("*.pid"):
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


@contextlib.contextmanager
def started_run(
    broker: Broker, keycloak: IdentityProvider, consortium: Consortium, var: Path
) -> Iterator[RunScript]:
    ports = {name: free_port() for name in (*SERVICES, "console")}
    env = {
        **os.environ,
        "MULTITRACK_OIDC_ISSUER": keycloak.issuer.url,
        "KEYCLOAK_ADMIN": keycloak.admin_username,
        "KEYCLOAK_ADMIN_PASSWORD": keycloak.admin_password,
        **broker_environment(broker),
        "MULTITRACK_TOPIC_NAMESPACE": var.name,
        "MULTITRACK_VAR": str(var),
        **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    # The session's people keep their passwords: provisioning keeps those the file lists.
    consortium.write(var / "credentials.json")
    output = (var / "run.out").open("wb")
    process = subprocess.Popen(
        [str(repo_root() / "deploy/local/run.sh")],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal's own process group, for Ctrl-C
    )
    script = RunScript(process, ports, var)
    try:
        wait_until(lambda: "Multitrack is running" in script.output(), 240, "make run started")
        yield script
    finally:
        stop(process, var)


@pytest.fixture(scope="module")
def make_run(
    kafka_broker: Broker,
    keycloak: IdentityProvider,
    consortium: Consortium,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunScript]:
    """One run for the tests that leave it running; its directory's name is its namespace."""
    var = tmp_path_factory.mktemp(f"run{uuid.uuid4().hex[:8]}", numbered=False)
    with started_run(kafka_broker, keycloak, consortium, var) as script:
        yield script


@pytest.fixture
def make_run_to_stop(
    kafka_broker: Broker, keycloak: IdentityProvider, consortium: Consortium, tmp_path: Path
) -> Iterator[RunScript]:
    var = tmp_path / f"run{uuid.uuid4().hex[:8]}"
    var.mkdir()
    with started_run(kafka_broker, keycloak, consortium, var) as script:
        yield script


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


@pytest.mark.parametrize(
    "stopped_by", ["ctrl-c", "sigterm"], ids=["ctrl-c-to-the-terminal-s-group", "sigterm"]
)
def test_ctrl_c_or_sigterm_stops_every_service_it_started(
    make_run_to_stop: RunScript, stopped_by: str
) -> None:
    make_run = make_run_to_stop
    pids = [make_run.pid_of(name) for name in (*SERVICES, "console")]

    if stopped_by == "ctrl-c":
        os.killpg(make_run.process.pid, signal.SIGINT)  # what a terminal sends its foreground
    else:
        make_run.process.send_signal(signal.SIGTERM)
    make_run.process.wait(timeout=60)

    for name in (*SERVICES, "console"):
        assert not make_run.answers(name), f"{name} still answers after make run stopped"
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert "exited" not in make_run.output(), "a service was restarted while stopping"


def test_the_console_sends_an_anonymous_visitor_to_the_identity_provider_s_sign_in_page(
    make_run: RunScript, keycloak: IdentityProvider
) -> None:
    assert f"console      {make_run.url('console')}/" in make_run.output()
    home = httpx.get(f"{make_run.url('console')}/", timeout=10)
    assert home.status_code == 303
    assert home.headers["location"].startswith("/login")
    sign_in = httpx.get(f"{make_run.url('console')}{home.headers['location']}", timeout=10)
    assert sign_in.status_code == 302
    location = sign_in.headers["location"]
    assert location.startswith(f"{keycloak.issuer.url}/protocol/openid-connect/auth?")
    assert "code_challenge_method=S256" in location
    assert "client_id=multitrack-console" in location


def test_it_writes_the_credentials_of_the_consortium_and_of_the_broker_s_operator(
    make_run: RunScript, keycloak: IdentityProvider, kafka_broker: Broker
) -> None:
    path = make_run.var / "credentials.json"
    document = make_run.credentials()

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in make_run.output()
    assert keycloak.issuer.url in make_run.output()
    assert set(document) == {"issuer", "token_endpoint", "clients", "users", "kafka"}
    assert document["issuer"] == keycloak.issuer.url
    assert document["token_endpoint"] == keycloak.issuer.token_endpoint
    clients = {(c["organization"], c["roles"][0]): c for c in document["clients"]}
    for organization in ("org-a", "org-b"):
        assert {(organization, "coordinator"), (organization, "evaluator")} <= set(clients)
    assert (None, "consortium-admin") in clients
    users = {(u["organization"], u["roles"][0]) for u in document["users"]}
    assert {("org-a", "coordinator"), ("org-a", "evaluator"), (None, "consortium-admin")} <= users
    expected_kafka: dict[str, Any] = {"bootstrap_servers": kafka_broker.bootstrap}
    if kafka_broker.secured:
        expected_kafka |= {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512",
            "username": OPERATOR,
            "password": kafka_broker.passwords[OPERATOR],
        }
    assert document["kafka"] == {**document["kafka"], **expected_kafka}

    # A client of the file gets a token, and a service takes it.
    coordinator = clients[("org-a", "coordinator")]
    granted = httpx.post(
        keycloak.issuer.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=(coordinator["client_id"], coordinator["client_secret"]),
    )
    assert granted.status_code == 200, granted.text
    listed = httpx.get(
        f"{make_run.url('invitations')}/invitations",
        headers={"Authorization": f"Bearer {granted.json()['access_token']}"},
    )
    assert listed.status_code == 200, listed.text


def test_each_service_logs_in_to_the_broker_as_itself_and_creates_its_own_topics(
    make_run: RunScript, kafka_broker: Broker
) -> None:
    topic_namespace = make_run.var.name
    for name in SERVICES:
        ready = httpx.get(f"{make_run.url(name)}/health/ready", timeout=10)
        assert ready.status_code == 200, (name, ready.text)
    expected = {
        topic.qualified(topic_namespace) for name in SERVICES for topic in written_topics(name)
    }
    operator = kafka_broker.settings(OPERATOR, topic_namespace)

    def all_created() -> bool:
        return expected <= set(asyncio.run(listed_topics(operator)))

    wait_until(all_created, 60, f"the topics {sorted(expected)}")


async def listed_topics(settings: ServiceSettings) -> list[str]:
    admin = new_admin(settings)
    await admin.start()
    try:
        return list(await admin.list_topics())
    finally:
        await admin.close()
