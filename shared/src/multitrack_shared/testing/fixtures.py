"""pytest fixtures shared by every test directory (see the root ``conftest.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from multitrack_shared.testing.broker import Broker, provide_broker, provide_secured_broker
from multitrack_shared.testing.consortium import Consortium, provision_demo
from multitrack_shared.testing.keycloak import IdentityProvider, provide_keycloak
from multitrack_shared.testing.postgres import Postgres, provide_postgres
from multitrack_shared.testing.tokens import TokenSource


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Broker]:
    """The session's broker: closed (SASL/SCRAM, the platform's ACLs) unless
    ``KAFKA_BOOTSTRAP_SERVERS`` names an open one."""
    with provide_broker() as broker:
        yield broker


@pytest.fixture(scope="session")
def secured_kafka_broker(kafka_broker: Broker) -> Iterator[Broker]:
    """A broker that admits only the platform's principals: the session's, if it is closed."""
    if kafka_broker.secured:
        yield kafka_broker
        return
    with provide_secured_broker() as broker:
        yield broker


@pytest.fixture(scope="session")
def keycloak() -> Iterator[IdentityProvider]:
    """The identity provider with the multitrack realm imported."""
    with provide_keycloak() as provider:
        yield provider


@pytest.fixture(scope="session")
def consortium(keycloak: IdentityProvider) -> Iterator[Consortium]:
    """The demo consortium in the realm: its clients' secrets and its people's passwords."""
    with keycloak.admin() as admin:
        yield provision_demo(admin)


@pytest.fixture(scope="session")
def tokens(keycloak: IdentityProvider, consortium: Consortium) -> TokenSource:
    """Bearer tokens of the demo consortium's clients and people, and tokens to be refused."""
    return TokenSource(keycloak, consortium)


@pytest.fixture(scope="session")
def postgres() -> Postgres:
    return provide_postgres()


@pytest.fixture
def topic_namespace() -> str:
    """A namespace of topics and consumer groups no other test sees."""
    return f"t{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def either_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: once a SQLite file, once a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/either.db"
    postgres: Postgres = request.getfixturevalue("postgres")
    return await postgres.new_database("either")
