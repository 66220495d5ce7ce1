"""Fixtures of the invitations tests: the app in-process, on a temporary SQLite file, no broker,
verifying the tokens of the real identity provider (the session's ``keycloak``).

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where the tests
read them. The ``client`` acts as org-a's coordinator unless a request passes its own ``auth``.
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
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

OWNER = "org-a"
"""The organization the ``client`` acts for: it owns what the tests receive."""


@pytest.fixture
async def app(tmp_path: Path, keycloak: IdentityProvider) -> AsyncIterator[FastAPI]:
    settings = offline_settings(InvitationsSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    app = create_app(settings)
    async with running(app):
        yield app


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, auth=tokens.auth(OWNER, "coordinator")) as client:
        yield client


@pytest.fixture(scope="session")
async def org_a_observer(tokens: TokenSource) -> AsyncIterator[BearerAuth]:
    """An observer client of org-a (the demo consortium has consortium-wide observers only)."""
    observer = await tokens.new_client(OWNER, "observer")
    yield BearerAuth(lambda: tokens.token_of(observer))
    await tokens.disable(observer)
