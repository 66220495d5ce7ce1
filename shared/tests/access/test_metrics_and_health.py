"""``/metrics`` and ``/health`` as every service serves them, on the memos app in-process: no
broker reachable, so writes wait in the outbox and the detail says the broker is out of reach
while the service stays ready."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from multitrack_shared.http.auth import OPEN_PATHS
from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.tokens import TokenSource

from .memos import MemosSettings
from .memos_api import create_app


@pytest.fixture
async def memos(tmp_path: Path, keycloak: IdentityProvider) -> AsyncIterator[FastAPI]:
    settings = offline_settings(MemosSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    app = create_app(settings.model_copy(update={"health_probe_seconds": 0.2}))
    async with running(app):
        yield app


def scraped(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(
    metrics: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return sum(
        value
        for (sample, have), value in metrics.items()
        if sample == name and set(labels.items()) <= have
    )


async def test_metrics_are_open_and_count_requests_and_the_outbox_backlog(
    memos: FastAPI, tokens: TokenSource
) -> None:
    async with client_of(memos, auth=tokens.auth("org-a", "coordinator")) as api:
        written = await api.post("/memos", json={"title": "Elders met", "visibility": "owner"})
        assert written.status_code == 201, written.text
        assert (await api.get(f"/memos/{written.json()['id']}")).status_code == 200

        async def backlog() -> dict[tuple[str, frozenset[tuple[str, str]]], float] | None:
            answer = await api.get("/metrics", auth=None)
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/plain")
            metrics = scraped(answer.text)
            return metrics if total(metrics, "multitrack_outbox_pending") == 1 else None

        metrics = await eventually(backlog, within=10, what="the write counted in the outbox")

    assert "/metrics" in OPEN_PATHS
    assert "/health" in OPEN_PATHS
    route = {"route": "/memos/{memo_id}", "method": "GET", "status": "200", "service": "memos"}
    assert total(metrics, "multitrack_http_requests_total", **route) == 1
    assert total(metrics, "multitrack_http_requests_total", route="/memos", status="201") == 1
    assert total(metrics, "multitrack_outbox_oldest_age_seconds") > 0
    assert total(metrics, "multitrack_broker_up") == 0
    assert total(metrics, "multitrack_database_up") == 1
    assert not any(written.json()["id"] in str(labels) for _, labels in metrics)


async def test_without_a_broker_the_service_is_live_and_ready_and_says_what_is_missing(
    memos: FastAPI,
) -> None:
    async with client_of(memos) as api:
        assert (await api.get("/health/live")).json() == {"status": "ok", "stopped": []}
        ready = await api.get("/health/ready")
        assert (ready.status_code, ready.json()) == (
            200,
            {"status": "ok", "checks": {"database": "ok"}},
        )

        async def probed() -> dict[str, object] | None:
            detail: dict[str, object] = (await api.get("/health")).json()
            return detail if detail["outbox"] is not None else None

        detail = await eventually(probed, within=10, what="the broker probed once")

    assert detail["status"] == "degraded"
    assert detail["broker"]["status"] == "unavailable"  # type: ignore[index]
    assert detail["database"]["status"] == "ok"  # type: ignore[index]
    assert (detail["live"], detail["ready"]) == (True, True)
    assert detail["loops"] == {
        "outbox-relay": "running",
        "consumer": "running",
        "pruning": "running",
        "health-monitor": "running",
    }
    assert detail["consumer"]["status"] == "waiting"  # type: ignore[index]


async def test_a_loop_that_dies_makes_the_service_not_live(memos: FastAPI) -> None:
    runtime = memos.state.runtime
    relay = runtime._loops["outbox-relay"]
    relay.cancel()

    async with client_of(memos) as api:

        async def stopped() -> httpx.Response | None:
            answer = await api.get("/health/live")
            return answer if answer.status_code == 503 else None

        answer = await eventually(stopped, within=10, what="liveness refused")
        assert answer.json() == {"status": "stopped", "stopped": ["outbox-relay"]}
        assert (await api.get("/health/ready")).status_code == 200
        assert (await api.get("/health")).json()["status"] == "unavailable"
