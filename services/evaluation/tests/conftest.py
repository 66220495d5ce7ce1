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

from multitrack_evaluation.adapters.tables import messaging, metadata
from multitrack_evaluation.bootstrap import EvaluationSettings
from multitrack_evaluation.entrypoints.consumers import handlers
from multitrack_evaluation.main import create_app
from multitrack_shared.events import engagements as eng
from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.http.deps import clock
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.reference import STANDARD_PROCEDURES
from multitrack_shared.testing.inprocess import (
    ServiceTables,
    apply_events,
    client_of,
    offline_settings,
    running,
)
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

Apply = Callable[..., Awaitable[None]]
SetClock = Callable[[datetime], None]
Snapshot = Callable[[], Awaitable[dict[str, Any]]]

PROCEDURES = [p.code for p in STANDARD_PROCEDURES]
DAC = ["relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"]
OWNER = "org-a"
"""The organization whose evaluator the tests' client acts for, owner of their records."""
OTHER = "org-b"
"""Another member organization."""
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
    async with client_of(app, auth=tokens.auth(OWNER, "evaluator")) as client:
        yield client


@pytest.fixture
def admin(tokens: TokenSource) -> httpx.Auth:
    """The consortium admin: changes the reference data, owns nothing."""
    return tokens.auth(None, "consortium-admin")


@pytest.fixture(scope="session")
async def expired_token(tokens: TokenSource) -> str:
    """A real token of org-a's coordinator role, expired."""
    return await tokens.expired()


@pytest.fixture(scope="session")
async def org_a_observer(tokens: TokenSource) -> AsyncIterator[BearerAuth]:
    """An observer client of org-a (the demo consortium has consortium-wide observers only)."""
    observer = await tokens.new_client(OWNER, "observer")
    yield BearerAuth(lambda: tokens.token_of(observer))
    await tokens.disable(observer)


@pytest.fixture(scope="session")
async def consortium_observer(tokens: TokenSource) -> AsyncIterator[BearerAuth]:
    """An observer acting for no organization, as a client: the demo's observer is a person,
    whose password another test session may have renewed since."""
    observer = await tokens.new_client(None, "observer")
    yield BearerAuth(lambda: tokens.token_of(observer))
    await tokens.disable(observer)


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
def db(app: FastAPI) -> ServiceTables:
    """The service's tables, read directly."""
    return ServiceTables(app, metadata, messaging, OWNED)


@pytest.fixture
def snapshot(db: ServiceTables) -> Snapshot:
    """Every row this service owns, the outbox and the audit log: what a refused request must
    leave as it was."""
    return db.snapshot


def opened(engagement_id: str = ENGAGEMENT, **changes: Any) -> eng.EngagementOpened:
    fields: dict[str, Any] = {
        "engagement_id": engagement_id,
        "invitation_id": f"inv-{engagement_id}",
        "ownership": Ownership(owner_org=OWNER),
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


def an_evaluation(engagement_id: str = "eng-1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "engagement_id": engagement_id,
        "period_start": "2024-03-01",
        "period_end": "2025-02-28",
        "evaluated_by": "external evaluation team",
        "dac": {c: {"score": 3, "narrative": f"{c} was good"} for c in DAC},
        "procedures": {code: {"rating": "met", "evidence": "on file"} for code in PROCEDURES},
        "rpp_effectiveness": {
            "own_peace_initiatives": {"met": True, "note": "two local groups self-started"},
            "resist_violence": {"met": False},
        },
        "indicators": {
            "trust": {"value": 0.6, "note": "survey"},
            "responsibility": {"note": "follow-up survey"},
            "empowerment": {},
            "transformation": {"value": None, "note": "not measured yet"},
        },
        "baseline_analysis_version": 1,
    }
    return {**body, **changes}


def without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    """A copy of the body with the key at ``path`` removed."""
    copy: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in body.items()}
    holder = copy
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    return copy
