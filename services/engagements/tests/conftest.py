"""Fixtures of the engagements tests: the app in-process on a temporary SQLite file, no broker,
verifying the tokens of the session's identity provider.

Kafka at 127.0.0.1:1 never answers, so published events wait in the outbox, where the tests
read them. Requests are org-a's coordinator's unless they pass their own ``auth``; engagements
are org-a's unless opened with another ``ownership``. Events from other services are applied
by calling the subscription's handler inside a unit of work of the running service, as the
consumer runtime does. The clock is a fixture the tests can move.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from multitrack_engagements.adapters.tables import messaging, metadata
from multitrack_engagements.bootstrap import EngagementsSettings
from multitrack_engagements.domain.engagement import engagement_id_for
from multitrack_engagements.entrypoints.consumers import handlers
from multitrack_engagements.main import create_app
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import LessonContext, LessonRecorded, ReferenceChanged
from multitrack_shared.events.invitations import InvitationAcceptedV2, InviterProfile
from multitrack_shared.events.partners import (
    MemberJoined,
    PartnerRegistered,
    PartnershipFormed,
    TrainerCatalogued,
)
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.http.deps import clock
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import (
    ServiceTables,
    apply_events,
    apply_events_together,
    client_of,
    offline_settings,
    running,
)
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

ACCEPTED_AT = datetime(2024, 2, 29, 14, 30, tzinfo=UTC)
"""Engagements open on 29 February 2024 and are committed until 28 February 2029."""
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
OWNER = "org-a"
"""The organization whose coordinator the tests' client acts for, owner of their engagements."""
OTHER = "org-b"
"""Another member organization."""
OWNED = (
    "engagements",
    "analyses",
    "heard_parties",
    "activities",
    "liaison_entries",
    "lesson_responses",
    "follow_ups",
    "conflicts",
    "harm_register",
    "funding_sources",
    "budget_lines",
    "audit_log",
)


LESSONS_RECORDED_AT = datetime(2023, 11, 1, tzinfo=UTC)
"""Before the engagements the tests open: a lesson is in their briefing as in their inbox."""


def lesson_of(lesson_id: str, owner_org: str, visibility: Visibility) -> LessonRecorded:
    """A lesson learned in Colombia about land, owned by ``owner_org`` and shown as said."""
    return LessonRecorded(
        lesson_id=lesson_id,
        ownership=Ownership(owner_org=owner_org, visibility=visibility),
        statement=f"What {owner_org} learned ({lesson_id}).",
        evidence="Three evaluations.",
        confidence=Confidence.high,
        context=LessonContext(countries=["CO"], conflict_types=["land"]),
        recorded_at=LESSONS_RECORDED_AT,
    )


@dataclass
class MovableClock:
    moment: datetime = NOW

    def __call__(self) -> datetime:
        return self.moment


def partnership_formed(engagement_id: str, tracks: list[int]) -> PartnershipFormed:
    """A local, women-led partner of ``tracks`` joins the engagement."""
    return PartnershipFormed(
        partnership_id="ps-1",
        engagement_id=engagement_id,
        partner_id="partner-1",
        role="co-facilitator",
        starts_on=date(2024, 6, 1),
        partner_name="Red de Mujeres del Caribe",
        partner_tracks=tracks,
        partner_is_local=True,
        partner_women_led=True,
        formed_at=datetime(2024, 6, 1, tzinfo=UTC),
    )


@pytest.fixture
def now() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def app(
    tmp_path: Path, now: MovableClock, keycloak: IdentityProvider
) -> AsyncIterator[FastAPI]:
    settings = offline_settings(EngagementsSettings, tmp_path, oidc_issuer=keycloak.issuer.url)
    app = create_app(settings)
    app.dependency_overrides[clock] = lambda: now
    async with running(app):
        yield app


@pytest.fixture
async def client(app: FastAPI, tokens: TokenSource) -> AsyncIterator[httpx.AsyncClient]:
    """The app as org-a's coordinator client, unless a request passes its own ``auth``."""
    async with client_of(app, auth=tokens.auth("org-a", "coordinator")) as client:
        yield client


@pytest.fixture(scope="session")
async def org_a_observer(tokens: TokenSource) -> AsyncIterator[BearerAuth]:
    """An observer client of org-a (the demo consortium has consortium-wide observers only)."""
    observer = await tokens.new_client(OWNER, "observer")
    yield BearerAuth(lambda: tokens.token_of(observer))
    await tokens.disable(observer)


Database = ServiceTables


@pytest.fixture
def db(app: FastAPI) -> Database:
    return ServiceTables(app, metadata, messaging, OWNED)


Deliver = Callable[[IntegrationEvent], Awaitable[None]]


@pytest.fixture
def deliver(app: FastAPI) -> Deliver:
    """Applies one event the way the consumer runtime does: its handler, then a commit."""

    async def apply(event: IntegrationEvent) -> None:
        await apply_events(app, Subscription(handlers), [event])

    return apply


DeliverTogether = Callable[[list[IntegrationEvent]], Awaitable[None]]


@pytest.fixture
def deliver_together(app: FastAPI) -> DeliverTogether:
    """Applies events in one transaction, as the consumer runtime applies one poll's records."""

    async def apply(events: list[IntegrationEvent]) -> None:
        await apply_events_together(app, Subscription(handlers), events)

    return apply


def an_acceptance(**changes: Any) -> InvitationAcceptedV2:
    fields: dict[str, Any] = {
        "invitation_id": str(uuid.uuid4()),
        "ownership": Ownership(owner_org=OWNER, visibility=Visibility.consortium),
        "inviter": InviterProfile(
            kind="community council",
            track=4,
            is_party_to_conflict=True,
        ),
        "conflict": ConflictContext(
            name="Montes de María land conflict",
            country="CO",
            region="Caribbean region",
            conflict_type="land",
            phase="post-agreement",
        ),
        "support_requested": "Dialogue facilitation between land claimants",
        "commitment_years": 5,
        "accepted_at": ACCEPTED_AT,
    }
    return InvitationAcceptedV2(**{**fields, **changes})


@pytest.fixture
def acceptance() -> Callable[..., InvitationAcceptedV2]:
    """Builds an InvitationAcceptedV2 (a new invitation each time), with changes."""
    return an_acceptance


OpenEngagement = Callable[..., Awaitable[str]]


def catalogued_method(
    code: str, label: str, origin: str, active: bool = True, at: datetime = ACCEPTED_AT
) -> ReferenceChanged:
    """The consortium's reference data telling of a method of its catalogue."""
    return ReferenceChanged(
        key=f"method:{code}",
        kind="method",
        code=code,
        label=label,
        description=f"{label}, as the consortium uses it.",
        active=active,
        origin=origin,
        changed_at=at,
    )


METHOD_CATALOGUE = (
    catalogued_method("palabreo", "Palabreo", "indigenous"),
    catalogued_method("problem_solving_workshop", "Problem-solving workshop", "external"),
    catalogued_method("minga", "Minga", "local"),
)
"""The methods ``activity_body`` names, as the consortium's reference data publishes them."""


def catalogued_trainer(
    trainer_id: str, owner_org: str = OWNER, visibility: Visibility = Visibility.consortium
) -> TrainerCatalogued:
    """The partners service telling of a trainer of the consortium's catalogue."""
    return TrainerCatalogued(
        trainer_id=trainer_id,
        ownership=Ownership(owner_org=owner_org, visibility=visibility),
        organization="Tejiendo Paz",
        methods=["palabreo"],
        local=True,
        catalogued_at=ACCEPTED_AT,
    )


TRAINER_CATALOGUE = (catalogued_trainer("trainer-1"), catalogued_trainer("trainer-2", OTHER))
"""The trainers the tests' trainings name."""


@pytest.fixture
def open_engagement(app: FastAPI) -> OpenEngagement:
    """Delivers the catalogues of methods and trainers and an InvitationAccepted (with
    changes), and returns the engagement's id."""

    async def opened(**changes: Any) -> str:
        event = an_acceptance(**changes)
        await apply_events(
            app, Subscription(handlers), [*METHOD_CATALOGUE, *TRAINER_CATALOGUE, event]
        )
        return engagement_id_for(event.invitation_id)

    return opened


def analysis_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "analysed_on": "2024-03-15",
        "participants": ["María Pérez", "Jorge Díaz"],
        "actors": [
            {"name": "Asociación de Campesinos", "side": "land claimants", "track": 4,
             "role": "party"},
            {"name": "Familias retornadas", "side": "returning families", "track": 4,
             "role": "party"},
            {"name": "Diócesis de Sincelejo", "side": "Returning Families", "track": 7,
             "role": "capacity_for_peace"},
        ],
        "causes": ["Unresolved land titles"],
        "dividers": ["Competing land claims", "Memories of displacement"],
        "connectors": ["Shared market town"],
    }  # fmt: skip
    return {**body, **changes}


def heard_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "who": "Rosa Villa",
        "side": "land claimants",
        "track": 4,
        "needs": ["Titles recognised before any return"],
        "heard_by": "IMTD field team",
        "heard_on": "2024-04-01",
    }
    return {**body, **changes}


def activity_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "dialogue",
        "held_on": "2026-01-20",
        "place": "Carmen de Bolívar",
        "tracks": [4, 7],
        "peacebuilding_kind": "social",
        "rpp_quadrant": "more_people_individual",
        "methods": [{"code": "palabreo"}, {"code": "problem_solving_workshop"},
                    {"code": "minga"}],
        "facilitators": [
            {"name": "Luis Mendoza", "local": True},
            {"name": "Anne Keller", "local": False},
            {"name": "Carmen Ruiz", "local": True},
        ],
        "participants": [
            {"sex": "female", "role": "participant", "track": 4, "side": "land claimants",
             "count": 12},
            {"sex": "male", "role": "delegate", "track": 7, "count": 3},
        ],
        "do_no_harm": {
            "note": "Neutral venue; transport paid alike for both sides.",
            "dividers": ["Competing land claims"],
            "connectors": ["Shared market town"],
        },
    }  # fmt: skip
    return {**body, **changes}


def liaison_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "institution": "Gobernación de Bolívar",
        "officials": ["Secretario del Interior Pedro Gómez"],
        "kind": "briefing",
        "held_on": "2024-05-02",
        "summary": "Briefed on the listening phase and the planned dialogues.",
    }
    return {**body, **changes}


def exit_plan_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "handover": "Listening circles go on under Mujeres Tejiendo Paz, led by Luz Mery Díaz.",
        "planned_end_on": "2029-02-28",
        "follow_up_until": "2030-12-31",
    }
    return {**body, **changes}


def follow_up_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_on": "2025-06-12",
        "participants_reached": 14,
        "using_skills": 9,
        "note": "Rosa Villa now mediates boundary disputes in San Jacinto.",
    }
    return {**body, **changes}


SEEN_AT = datetime(2024, 1, 15, tzinfo=UTC)
OWNER_IATI_ID = "CO-NIT-900123456"
FUNDER_IATI_ID = "XM-DAC-7"


def a_partner(name: str, *, owner: str = OTHER, **changes: Any) -> PartnerRegistered:
    fields: dict[str, Any] = {
        "partner_id": str(uuid.uuid4()),
        "ownership": Ownership(owner_org=owner, visibility=Visibility.consortium),
        "name": name,
        "kind": "funder",
        "tracks": [9],
        "countries": ["CO"],
        "is_local": False,
        "women_led": False,
        "womens_rights_org": False,
        "registered_at": SEEN_AT,
    }
    return PartnerRegistered(**{**fields, **changes})


def the_owner_joined(**changes: Any) -> MemberJoined:
    fields: dict[str, Any] = {
        "member_id": str(uuid.uuid4()),
        "name": "Alder Peace Network",
        "roles": ["lead"],
        "joined_at": SEEN_AT,
        "organization": OWNER,
        "iati_org_id": OWNER_IATI_ID,
        "iati_org_type": "22",
    }
    return MemberJoined(**{**fields, **changes})


def funding_body(funder_id: str, **changes: Any) -> dict[str, Any]:
    body = {
        "funder_id": funder_id,
        "kind": "grant",
        "amount": 250000,
        "currency": "EUR",
        "period_start": "2024-03-01",
        "period_end": "2026-12-31",
    }
    return {**body, **changes}


def budget_body(**changes: Any) -> dict[str, Any]:
    body = {
        "amount": 80000,
        "currency": "EUR",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "status": "committed",
    }
    return {**body, **changes}


@pytest.fixture
def sample_bodies() -> dict[str, dict[str, Any]]:
    """A valid body per record an engagement keeps, by the path it is posted to."""
    return {
        "analyses": analysis_body(),
        "listening": heard_body(),
        "activities": activity_body(),
        "liaison": liaison_body(),
    }


@dataclass
class Api:
    """Posts the sample bodies (with changes) and asserts they were accepted."""

    client: httpx.AsyncClient

    async def created(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(path, json=body)
        assert response.status_code == 201, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def analysis(self, engagement_id: str, **changes: Any) -> dict[str, Any]:
        path = f"/engagements/{engagement_id}/analyses"
        return await self.created(path, analysis_body(**changes))

    async def heard(self, engagement_id: str, **changes: Any) -> dict[str, Any]:
        path = f"/engagements/{engagement_id}/listening"
        return await self.created(path, heard_body(**changes))

    async def activity(self, engagement_id: str, **changes: Any) -> dict[str, Any]:
        path = f"/engagements/{engagement_id}/activities"
        return await self.created(path, activity_body(**changes))

    async def liaison(self, engagement_id: str, **changes: Any) -> dict[str, Any]:
        path = f"/engagements/{engagement_id}/liaison"
        return await self.created(path, liaison_body(**changes))

    async def status(self, engagement_id: str, to: str, **more: Any) -> httpx.Response:
        return await self.client.post(
            f"/engagements/{engagement_id}/status", json={"to": to, **more}
        )

    async def exit_plan(self, engagement_id: str, **changes: Any) -> httpx.Response:
        path = f"/engagements/{engagement_id}/exit-plan"
        return await self.client.put(path, json=exit_plan_body(**changes))

    async def close(self, engagement_id: str) -> httpx.Response:
        """From closing to closed, as ending well asks: an exit plan, and the reason there is
        no final evaluation."""
        planned = await self.exit_plan(engagement_id)
        assert planned.status_code == 200, planned.text
        why = "Evaluators could not travel; partners reported instead."
        return await self.status(engagement_id, "closed", no_final_evaluation_reason=why)

    async def listened_to_every_side(self, engagement_id: str) -> None:
        await self.analysis(engagement_id)
        await self.heard(engagement_id, side="Land Claimants")
        await self.heard(engagement_id, side="returning families", who="Ana Ruiz")

    async def active(self, engagement_id: str) -> None:
        await self.listened_to_every_side(engagement_id)
        response = await self.status(engagement_id, "active")
        assert response.status_code == 200, response.text


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


@pytest.fixture
def bodies() -> dict[str, Callable[..., dict[str, Any]]]:
    """The sample request bodies by name, for tests that alter them field by field."""
    return {
        "analysis": analysis_body,
        "heard": heard_body,
        "activity": activity_body,
        "liaison": liaison_body,
    }
