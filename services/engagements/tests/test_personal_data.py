"""Personal data in what engagements show: the people of the owning organization see it; any
other caller who may read the engagement gets every field marked personal or may-name-people
null, at any depth, and none of the names or free text anywhere in the response."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from multitrack_engagements.entrypoints.api.schemas.activities import ActivityPublic
from multitrack_engagements.entrypoints.api.schemas.analyses import AnalysisPublic
from multitrack_engagements.entrypoints.api.schemas.coverage import CoveragePublic
from multitrack_engagements.entrypoints.api.schemas.ending import FollowUpPublic
from multitrack_engagements.entrypoints.api.schemas.engagements import EngagementPublic
from multitrack_engagements.entrypoints.api.schemas.lessons import LessonDeliveryPublic
from multitrack_engagements.entrypoints.api.schemas.liaison import LiaisonPublic
from multitrack_engagements.entrypoints.api.schemas.listening import ListeningPublic
from multitrack_engagements.entrypoints.api.schemas.overview import OverviewPublic
from multitrack_shared.auth.personal import MAY_NAME_PEOPLE, PERSONAL, Marking, marked_fields
from multitrack_shared.events.common import Ownership
from multitrack_shared.events.evaluation import LessonContext, LessonRecorded
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.access_matrix import values_at
from multitrack_shared.testing.tokens import BearerAuth, TokenSource

from .conftest import OTHER, OWNER, Api, Deliver, OpenEngagement, follow_up_body

PURPOSE = "Dialogue between Don Ernesto Salas and the returning families"
WHY = "Adapted: Rosa Villa asked to hear the women apart."
NOTE = "Both councils agreed with Father Tomás."
EVIDENCE = "Three evaluations; interviews with Marta Ríos."
HANDOVER = "Circles go on with Luz Mery Díaz of Mujeres Tejiendo Paz."
FOLLOWED_UP = "Tomasa Herrera mediates boundary disputes now."
NO_EVALUATION = "Evaluator Julián Castro was threatened; no evaluation."
NAMES = [
    HANDOVER,
    FOLLOWED_UP,
    NO_EVALUATION,
    PURPOSE,
    WHY,
    NOTE,
    EVIDENCE,
    "María Pérez",  # took part in the analysis
    "Asociación de Campesinos",  # an actor
    "Unresolved land titles",  # a cause
    "Rosa Villa",  # heard
    "IMTD field team",  # heard them
    "Titles recognised before any return",  # a need
    "Luis Mendoza",  # a facilitator
    "Neutral venue; transport paid alike",  # the Do No Harm note
    "Pedro Gómez",  # an official
    "Briefed on the listening phase",  # a liaison summary
]
"""What the owning organization recorded that names people or may: never shown to others."""

SHOWN: list[tuple[str, type[BaseModel]]] = [
    ("", EngagementPublic),
    ("/{id}", EngagementPublic),
    ("/{id}/analyses", AnalysisPublic),
    ("/{id}/analyses/1", AnalysisPublic),
    ("/{id}/listening", ListeningPublic),
    ("/{id}/activities", ActivityPublic),
    ("/{id}/liaison", LiaisonPublic),
    ("/{id}/briefing", LessonDeliveryPublic),
    ("/{id}/lessons", LessonDeliveryPublic),
    ("/{id}/follow-ups", FollowUpPublic),
    ("/{id}/overview", OverviewPublic),
]
"""Every read showing marked fields, under ``/engagements``, and the model of what it shows."""


@pytest.fixture
async def engagement(
    open_engagement: OpenEngagement, deliver: Deliver, api: Api, client: httpx.AsyncClient
) -> str:
    """org-a's consortium-visible engagement, with a record of every kind it keeps, and one of
    org-a's lessons in its inbox, responded to; closed without a final evaluation, after its
    exit plan, and followed up since."""
    engagement_id = await open_engagement(support_requested=PURPOSE)
    await deliver(
        LessonRecorded(
            lesson_id="lesson-1",
            ownership=Ownership(owner_org=OWNER),
            statement="Hold dialogues on neutral ground.",
            evidence=EVIDENCE,
            confidence=Confidence.high,
            context=LessonContext(countries=["CO"]),
            recorded_at=datetime(2023, 11, 1, tzinfo=UTC),
        )
    )
    await api.listened_to_every_side(engagement_id)
    activated = await api.status(engagement_id, "active", note=NOTE)
    assert activated.status_code == 200, activated.text
    await api.activity(engagement_id)
    await api.liaison(engagement_id, officials=["Pedro Gómez"])
    responded = await client.post(
        f"/engagements/{engagement_id}/lessons/lesson-1/response",
        json={"response": "adapted", "why": WHY},
    )
    assert responded.status_code == 201, responded.text
    assert (await api.exit_plan(engagement_id, handover=HANDOVER)).status_code == 200
    closing = await api.status(engagement_id, "closing", reason="mutual_agreement", note=NOTE)
    assert closing.status_code == 200, closing.text
    closed = await api.status(
        engagement_id, "closed", note=NOTE, no_final_evaluation_reason=NO_EVALUATION
    )
    assert closed.status_code == 200, closed.text
    await api.created(f"/engagements/{engagement_id}/follow-ups", follow_up_body(note=FOLLOWED_UP))
    return engagement_id


async def shown(
    client: httpx.AsyncClient, engagement_id: str, path: str, auth: httpx.Auth
) -> tuple[str, list[Any]]:
    """The response's content as text, and the documents it holds (its items, when a list)."""
    response = await client.get("/engagements" + path.format(id=engagement_id), auth=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    documents = body if isinstance(body, list) else [body]
    assert documents, f"{path} shows nothing to check"
    return json.dumps(body, ensure_ascii=False), documents


def marked_values(documents: list[Any], model: type[BaseModel]) -> dict[str, list[Any]]:
    return {
        field.path: [value for document in documents for value in values_at(document, field.path)]
        for field in marked_fields(model)
    }


@pytest.mark.parametrize(("path", "model"), SHOWN, ids=[path or "/" for path, _ in SHOWN])
async def test_the_owning_organizations_people_see_every_personal_field(
    client: httpx.AsyncClient,
    engagement: str,
    tokens: TokenSource,
    org_a_observer: BearerAuth,
    path: str,
    model: type[BaseModel],
) -> None:
    for auth in (tokens.auth(OWNER, "coordinator"), tokens.auth(OWNER, "evaluator", person=True)):
        _, documents = await shown(client, engagement, path, auth)
        for field, values in marked_values(documents, model).items():
            assert values, f"{path}: nothing at {field} to check"
            assert all(value is not None for value in values), f"{path}: {field} withheld"
    _, documents = await shown(client, engagement, path, org_a_observer)
    assert all(all(v is not None for v in vs) for vs in marked_values(documents, model).values())


@pytest.mark.parametrize(("path", "model"), SHOWN, ids=[path or "/" for path, _ in SHOWN])
async def test_callers_outside_the_owning_organization_get_every_personal_field_null(
    client: httpx.AsyncClient,
    engagement: str,
    tokens: TokenSource,
    path: str,
    model: type[BaseModel],
) -> None:
    outsiders = {
        "another organization's coordinator": tokens.auth(OTHER, "coordinator"),
        "another organization's evaluator": tokens.auth(OTHER, "evaluator", person=True),
        "the owner's partner system": tokens.auth(OWNER, "partner-system"),
        "a consortium observer": tokens.auth(None, "observer", person=True),
        "a consortium admin": tokens.auth(None, "consortium-admin"),
    }
    for who, auth in outsiders.items():
        text, documents = await shown(client, engagement, path, auth)
        for field, values in marked_values(documents, model).items():
            assert values, f"{path}: nothing at {field} to check"
            assert all(value is None for value in values), f"{path}: {field} shown to {who}"
        assert [name for name in NAMES if name in text] == [], f"{path} as {who}"


def test_each_response_marks_its_people_and_free_text_and_coverage_holds_none() -> None:
    marks = {
        model.__name__: {(f.path, f.marking) for f in marked_fields(model)} for _, model in SHOWN
    }
    personal, may_name = Marking.personal, Marking.may_name_people

    assert marks["EngagementPublic"] == {
        ("purpose", may_name),
        ("history[].note", may_name),
        ("ending.exit_plan.handover", may_name),
        ("ending.closure.no_final_evaluation_reason", may_name),
    }
    assert marks["AnalysisPublic"] == {
        ("participants", personal),
        ("actors[].name", personal),
        ("causes", may_name),
        ("dividers", may_name),
        ("connectors", may_name),
    }
    assert marks["ListeningPublic"] == {
        ("entries[].who", personal),
        ("entries[].heard_by", personal),
        ("entries[].needs", may_name),
    }
    assert marks["ActivityPublic"] == {
        ("facilitators[].name", personal),
        ("do_no_harm.note", may_name),
        ("do_no_harm.dividers", may_name),
        ("do_no_harm.connectors", may_name),
    }
    assert marks["LiaisonPublic"] == {("officials", personal), ("summary", may_name)}
    assert marks["LessonDeliveryPublic"] == {("response.why", may_name)}
    assert marks["FollowUpPublic"] == {("note", may_name)}
    assert marked_fields(CoveragePublic) == []


def test_the_api_document_shows_the_marks(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]

    assert schemas["HeardPublic"]["properties"]["who"][PERSONAL] is True
    assert schemas["HeardCreate"]["properties"]["who"][PERSONAL] is True
    assert schemas["EngagementPublic"]["properties"]["purpose"][MAY_NAME_PEOPLE] is True
    assert schemas["ResponseCreate"]["properties"]["why"][MAY_NAME_PEOPLE] is True


async def test_a_responses_why_is_the_engagements_and_a_lessons_evidence_never_shown_here(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    client: httpx.AsyncClient,
    tokens: TokenSource,
) -> None:
    engagement_id = await open_engagement()  # org-a's, consortium-visible
    await deliver(
        LessonRecorded(
            lesson_id="theirs",
            ownership=Ownership(owner_org=OTHER),
            statement="Hold dialogues on neutral ground.",
            evidence=EVIDENCE,
            confidence=Confidence.high,
            context=LessonContext(countries=["CO"]),
            recorded_at=datetime(2023, 11, 1, tzinfo=UTC),
        )
    )
    responded = await client.post(
        f"/engagements/{engagement_id}/lessons/theirs/response",
        json={"response": "adapted", "why": WHY},
    )
    assert responded.status_code == 201, responded.text
    assert "evidence" not in responded.json()
    assert responded.json()["response"]["why"] == WHY

    async def seen(auth: httpx.Auth) -> list[str | None]:
        _, documents = await shown(client, engagement_id, "/{id}/lessons", auth)
        assert EVIDENCE not in str(documents)
        return [d["response"]["why"] for d in documents]

    assert await seen(tokens.auth(OWNER, "coordinator")) == [WHY]
    assert await seen(tokens.auth(OTHER, "coordinator")) == [None]
    assert await seen(tokens.auth(OTHER, "partner-system")) == [None]
