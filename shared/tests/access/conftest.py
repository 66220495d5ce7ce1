"""Fixtures of the identity and access tests: the memos app in-process, verifying the tokens of
the real identity provider (the session's ``keycloak`` and its demo ``consortium``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import TokenSource

from .memos import MemosSettings
from .memos_api import create_app


@pytest.fixture
async def memos(tmp_path: Path, keycloak: IdentityProvider) -> AsyncIterator[FastAPI]:
    app = create_app(offline_settings(MemosSettings, tmp_path, oidc_issuer=keycloak.issuer.url))
    async with running(app):
        yield app


@pytest.fixture
async def api(memos: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    """The memos app as org-a's coordinator client, unless a request passes its own ``auth``."""
    async with client_of(memos, auth=tokens.auth("org-a", "coordinator")) as client:
        yield client
