"""Fixtures of the partners tests: the app in-process on a temporary SQLite file, no broker.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where the tests
read them. Events from other services are applied by calling the consumer's handlers inside
a unit of work of the running service, as the consumer runtime does. Requests carry real
tokens of the session's identity provider: ``client`` acts as org-a's coordinator unless a
request passes its own ``auth``, and the engagements opened below belong to org-a.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr

from multitrack_partners.adapters.tables import AUDIT_LOG, messaging, metadata
from multitrack_partners.application import projections
from multitrack_partners.bootstrap import PartnersSettings
from multitrack_partners.entrypoints.consumers import handlers
from multitrack_partners.main import create_app
from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.engagements import ActivityRecordedV2, EngagementOpened
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.events.vocabulary import RppQuadrant
from multitrack_shared.http.deps import clock
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import (
    ServiceTables,
    apply_events,
    client_of,
    offline_settings,
    running,
)
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


OWNER = "org-a"
"""The organization ``client`` acts for, which owns the sample engagements."""
OTHER = "org-b"


@pytest.fixture
def settings(tmp_path: Path, keycloak: IdentityProvider) -> PartnersSettings:
    settings = offline_settings(PartnersSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    # Subscriptions' signing secrets encrypted at rest, as in production.
    key = SecretStr(Fernet.generate_key().decode())
    return settings.model_copy(update={"webhook_secret_key": key})


@pytest.fixture
async def app(settings: PartnersSettings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    app.dependency_overrides[clock] = lambda: lambda: NOW
    async with running(app):
        await catalogue_methods(app, *CATALOGUED_METHODS)
        yield app


CATALOGUED_METHODS = ("palabrero_circle", "minga", "dialogue_circle")
"""The methods of the consortium's catalogue the tests' trainers name."""


def method_changed(code: str, *, active: bool = True, days: int = 0) -> ReferenceChanged:
    return ReferenceChanged(
        key=f"method:{code}",
        kind="method",
        code=code,
        label=code.replace("_", " ").capitalize(),
        description="A method of the consortium's catalogue.",
        origin="local",
        active=active,
        changed_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=days),
    )


async def catalogue_methods(app: FastAPI, *codes: str) -> None:
    """The catalogue of methods as the partners service learns it from evaluation's events,
    through its projection alone (the partner feed is not what these tests are about)."""
    await apply_events(
        app,
        Subscription({ReferenceChanged: projections.on_reference_changed}),
        [method_changed(code) for code in codes],
    )


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    """The app as org-a's coordinator, unless a request passes its own ``auth``."""
    async with client_of(app, auth=tokens.auth(OWNER, "coordinator")) as client:
        yield client


@pytest.fixture
def admin(tokens: TokenSource) -> BearerAuth:
    """A consortium admin: acts for no organization; changes membership."""
    return tokens.auth(None, "consortium-admin")


@pytest.fixture
def other(tokens: TokenSource) -> BearerAuth:
    """org-b's coordinator."""
    return tokens.auth(OTHER, "coordinator")


OWNED = (
    "partners",
    "partner_countries",
    "partner_tracks",
    "members",
    "partnerships",
    "trainers",
    "audit_log",
)
Database = ServiceTables


@pytest.fixture
def db(app: FastAPI) -> Database:
    return ServiceTables(app, metadata, messaging, OWNED)


async def audited(db: Database) -> list[tuple[str, str, str, str | None]]:
    """(record type, record id, action, acting organization) of every audit entry, in order."""
    rows = sorted(await db.rows(AUDIT_LOG), key=lambda row: row.seq)
    return [(r.record_type, r.record_id, r.action, r.actor_organization) for r in rows]


Deliver = Callable[[IntegrationEvent], Awaitable[None]]


@pytest.fixture
def deliver(app: FastAPI) -> Deliver:
    """Applies one event the way the consumer runtime does: its handler, then a commit."""

    async def apply(event: IntegrationEvent) -> None:
        await apply_events(app, Subscription(handlers), [event])

    return apply


def an_engagement_opened(engagement_id: str = "eng-1", **changes: Any) -> EngagementOpened:
    fields: dict[str, Any] = {
        "engagement_id": engagement_id,
        "invitation_id": f"inv-of-{engagement_id}",
        "ownership": Ownership(owner_org=OWNER),
        "conflict": ConflictContext(
            name="Montes de María land conflict", country="CO", region="Caribbean region"
        ),
        "inviter_track": 4,
        "start_date": date(2026, 1, 5),
        "committed_until": date(2031, 1, 5),
        "opened_at": datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
    }
    return EngagementOpened(**{**fields, **changes})


def an_activity(
    activity_id: str = "act-1", engagement_id: str = "eng-1", **changes: Any
) -> ActivityRecordedV2:
    fields: dict[str, Any] = {
        "engagement_id": engagement_id,
        "activity_id": activity_id,
        "kind": "dialogue",
        "held_on": date(2026, 2, 10),
        "tracks": [4],
        "peacebuilding_kind": "social",
        "rpp_quadrant": RppQuadrant.more_people_individual,
        "methods": [],
        "local_facilitators": 1,
        "external_facilitators": 0,
        "led_locally": True,
        "participants": [],
    }
    return ActivityRecordedV2(**{**fields, **changes})


def a_partner(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "visibility": "consortium",
        "name": "Red de Mujeres del Caribe",
        "kind": "Women's organization",
        "tracks": [4, 6],
        "countries": ["co"],
        "is_local": True,
        "women_led": True,
        "womens_rights_org": True,
        "iati_org_id": "CO-NIT-900123456",
        "iati_org_type": 22,
        "contact_people": [
            {"name": "Ana María Torres", "email": "ana.torres@example.org", "role": "coordinator"}
        ],
    }
    return {**body, **changes}


Register = Callable[..., Awaitable[dict[str, Any]]]


def a_trainer(**changes: Any) -> dict[str, Any]:
    """A body of POST /trainers, with changes."""
    body: dict[str, Any] = {
        "name": "Luz Mery Díaz",
        "organization": "Tejiendo Paz",
        "methods": ["palabrero_circle", "Minga"],
        "local": True,
    }
    return {**body, **changes}


@pytest.fixture
def register(client: httpx.AsyncClient) -> Register:
    """Registers a partner over HTTP (the sample above, with changes) and returns it; as org-a's
    coordinator unless ``auth`` names another caller."""

    async def post(auth: httpx.Auth | None = None, **changes: Any) -> dict[str, Any]:
        sent = a_partner(**changes)
        response = await (
            client.post("/partners", json=sent)
            if auth is None
            else client.post("/partners", json=sent, auth=auth)
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return post


async def partnership_of(
    client: httpx.AsyncClient,
    partner_id: str,
    engagement_id: str,
    auth: httpx.Auth | None = None,
) -> str:
    """The id of a new host partnership from 2026-04-01, formed by org-a's coordinator unless
    ``auth`` names the engagement's owner."""
    body = {
        "partner_id": partner_id,
        "engagement_id": engagement_id,
        "role": "host",
        "starts_on": "2026-04-01",
    }
    response = await (
        client.post("/partnerships", json=body)
        if auth is None
        else client.post("/partnerships", json=body, auth=auth)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


OpenEngagement = Callable[..., Awaitable[EngagementOpened]]


@pytest.fixture
async def partner(register: Register, open_engagement: OpenEngagement) -> dict[str, Any]:
    """A registered partner, and the engagement eng-1 known from its opening event."""
    await open_engagement("eng-1")
    return await register()


RecordActivity = Callable[..., Awaitable[ActivityRecordedV2]]


@pytest.fixture
def open_engagement(deliver: Deliver) -> OpenEngagement:
    """Delivers an EngagementOpened (the sample above, with changes) and returns it."""

    async def opened(engagement_id: str = "eng-1", **changes: Any) -> EngagementOpened:
        event = an_engagement_opened(engagement_id, **changes)
        await deliver(event)
        return event

    return opened


@pytest.fixture
def record_activity(deliver: Deliver) -> RecordActivity:
    """Delivers an ActivityRecordedV2 (the sample above, with changes) and returns it."""

    async def recorded(
        activity_id: str = "act-1", engagement_id: str = "eng-1", **changes: Any
    ) -> ActivityRecordedV2:
        event = an_activity(activity_id, engagement_id, **changes)
        await deliver(event)
        return event

    return recorded
