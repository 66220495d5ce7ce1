"""Fixtures of the invitations tests: the app in-process, on a temporary SQLite file, no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where the tests
read them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from multitrack_invitations.bootstrap import InvitationsSettings
from multitrack_invitations.main import create_app


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = InvitationsSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/invitations.db",
        kafka_bootstrap_servers="127.0.0.1:1",
        log_json=False,
        log_level="WARNING",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://invitations") as client:
        yield client
