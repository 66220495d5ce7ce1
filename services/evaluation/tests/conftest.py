"""Fixtures of the evaluation tests: the app in-process, on a temporary SQLite file, no broker,
verifying the tokens of the session's identity provider.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where the tests
read them; consumed events are applied by calling the subscription's handlers in a unit of
work of the running service, as the consumer runtime does. The client acts as org-a's
evaluator unless a request passes its own ``auth``; the engagements opened here are org-a's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from multitrack_evaluation.adapters.tables import messaging, metadata
from multitrack_evaluation.bootstrap import EvaluationSettings
from multitrack_evaluation.entrypoints.consumers import handlers
from multitrack_evaluation.main import create_app
from multitrack_shared.events import engagements as eng
from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.http.deps import clock
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events, client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import TokenSource

Apply = Callable[..., Awaitable[None]]
SetClock = Callable[[datetime], None]
Snapshot = Callable[[], Awaitable[dict[str, Any]]]

ENGAGEMENT = "eng-1"
OPENED_AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
OWNED = (
    "reference_items",
    "evaluations",
    "lessons",
    "lesson_countries",
    "lesson_tracks",
    "audit_log",
)


@pytest.fixture
async def app(tmp_path: Path, keycloak: IdentityProvider) -> AsyncIterator[FastAPI]:
    settings = offline_settings(EvaluationSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    app = create_app(settings)
    async with running(app):
        yield app


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    """The app as org-a's evaluator, unless a request passes its own ``auth``."""
    async with client_of(app, auth=tokens.auth("org-a", "evaluator")) as client:
        yield client


@pytest.fixture
def admin(tokens: TokenSource) -> httpx.Auth:
    """The consortium admin: changes the reference data, owns nothing."""
    return tokens.auth(None, "consortium-admin")


@pytest.fixture
def set_clock(app: FastAPI) -> SetClock:
    def set_to(moment: datetime) -> None:
        app.dependency_overrides[clock] = lambda: lambda: moment

    return set_to


@pytest.fixture
def apply(app: FastAPI) -> Apply:
    """Apply events one by one, each in its own committed unit of work."""

    async def apply_all(*events: IntegrationEvent) -> None:
        await apply_events(app, Subscription(handlers), events)

    return apply_all


@pytest.fixture
def snapshot(app: FastAPI) -> Snapshot:
    """Every row this service owns, and the outbox: what a refused request must not change."""

    async def take() -> dict[str, Any]:
        taken: dict[str, Any] = {}
        async with app.state.runtime.engine.connect() as connection:
            for name in OWNED:
                table = metadata.tables[name]
                taken[name] = sorted(map(tuple, (await connection.execute(select(table))).all()))
            outbox = select(func.count()).select_from(messaging.outbox)
            taken["outbox"] = (await connection.execute(outbox)).scalar()
        return taken

    return take


def opened(engagement_id: str = ENGAGEMENT, **changes: Any) -> eng.EngagementOpened:
    fields: dict[str, Any] = {
        "engagement_id": engagement_id,
        "invitation_id": f"inv-{engagement_id}",
        "ownership": Ownership(owner_org="org-a"),
        "conflict": ConflictContext(
            name="Montes de María land conflict",
            country="CO",
            region="Caribbean region",
            conflict_type="land",
            phase="post-agreement",
        ),
        "purpose": "Dialogue between land claimants and returning families",
        "inviter_track": 4,
        "start_date": OPENED_AT.date(),
        "committed_until": date(2029, 3, 1),
        "opened_at": OPENED_AT,
    }
    return eng.EngagementOpened(**{**fields, **changes})


def analysis(version: int, engagement_id: str = ENGAGEMENT) -> eng.ConflictAnalysisRecorded:
    return eng.ConflictAnalysisRecorded(
        engagement_id=engagement_id,
        version=version,
        sides=["claimants", "returning families"],
        actor_tracks=[1, 4],
        actors_by_role={"party": 2, "capacity_for_peace": 1},
        dividers=3,
        connectors=2,
        analysed_on=date(2024, 3, version),
    )


@pytest.fixture
async def known_engagement(apply: Apply) -> str:
    """An engagement evaluation knows of, with conflict-analysis versions 1 and 2."""
    await apply(opened(), analysis(1), analysis(2))
    return ENGAGEMENT


@pytest.fixture
def open_engagement(apply: Apply) -> Callable[..., Awaitable[str]]:
    """Apply EngagementOpened for an engagement; changes override the sample's fields."""

    async def open_one(engagement_id: str = ENGAGEMENT, **changes: Any) -> str:
        await apply(opened(engagement_id, **changes))
        return engagement_id

    return open_one
