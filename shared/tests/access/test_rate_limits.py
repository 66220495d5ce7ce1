"""Rate limits per client and per organization: past either, 429 ``rate_limited`` with the
error body and a ``Retry-After`` within the window; clients of one organization share its
limit, other organizations are not touched; health and metrics are never limited."""

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

PER_CLIENT = 3
PER_ORGANIZATION = 5


@pytest.fixture
async def limited(tmp_path: Path, keycloak: IdentityProvider) -> AsyncIterator[FastAPI]:
    settings = offline_settings(MemosSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    settings.rate_limit_client = f"{PER_CLIENT}/minute"
    settings.rate_limit_organization = f"{PER_ORGANIZATION}/minute"
    app = create_app(settings)
    async with running(app):
        yield app


@pytest.fixture
async def anyone(limited: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(limited) as client:
        yield client


async def statuses(http: httpx.AsyncClient, times: int, auth: httpx.Auth) -> list[int]:
    return [(await http.get("/me", auth=auth)).status_code for _ in range(times)]


async def test_a_client_past_its_limit_gets_429_with_retry_after(
    anyone: httpx.AsyncClient, tokens: TokenSource
) -> None:
    coordinator = tokens.auth("org-a", "coordinator")
    assert await statuses(anyone, PER_CLIENT, coordinator) == [200] * PER_CLIENT
    refused = await anyone.get("/me", auth=coordinator)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert (error["code"], error["fields"]) == ("rate_limited", [])
    assert "client limit" in error["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    writing = await anyone.post(
        "/memos", json={"title": "Elders met", "visibility": "owner"}, auth=coordinator
    )
    assert writing.status_code == 429  # every operation counts, writes too


async def test_clients_of_one_organization_share_its_limit_and_others_are_untouched(
    anyone: httpx.AsyncClient, tokens: TokenSource
) -> None:
    coordinator = tokens.auth("org-a", "coordinator")
    evaluator = tokens.auth("org-a", "evaluator")
    assert await statuses(anyone, PER_CLIENT, coordinator) == [200] * PER_CLIENT
    left = PER_ORGANIZATION - PER_CLIENT  # fewer than the evaluator's own limit
    assert await statuses(anyone, left, evaluator) == [200] * left
    refused = await anyone.get("/me", auth=evaluator)
    assert refused.status_code == 429
    assert "organization limit" in refused.json()["error"]["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    other = tokens.auth("org-b", "coordinator")
    assert await statuses(anyone, PER_CLIENT, other) == [200] * PER_CLIENT


async def test_health_metrics_and_documentation_are_never_limited(
    anyone: httpx.AsyncClient, tokens: TokenSource
) -> None:
    coordinator = tokens.auth("org-a", "coordinator")
    for path in ("/health/live", "/health/ready", "/metrics", "/openapi.json"):
        answers = [(await anyone.get(path, auth=coordinator)).status_code for _ in range(8)]
        assert answers == [200] * 8, path
    assert await statuses(anyone, PER_CLIENT, coordinator) == [200] * PER_CLIENT


async def test_a_request_without_a_valid_token_is_refused_401_not_counted(
    anyone: httpx.AsyncClient, tokens: TokenSource
) -> None:
    assert {(await anyone.get("/me")).status_code for _ in range(PER_CLIENT + 2)} == {401}
    coordinator = tokens.auth("org-a", "coordinator")
    assert await statuses(anyone, PER_CLIENT, coordinator) == [200] * PER_CLIENT
