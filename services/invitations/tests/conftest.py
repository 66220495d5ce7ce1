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
from multitrack_shared.testing.inprocess import client_of, offline_settings, running


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    app = create_app(offline_settings(InvitationsSettings, tmp_path))
    async with running(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client
