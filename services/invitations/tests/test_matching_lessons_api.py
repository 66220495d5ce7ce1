"""Lessons learned reaching an invitation: GET /invitations/{id}/lessons and the assessment.

Lessons arrive as evaluation's events, applied through the consumer's handlers; the sample
invitation is about a land conflict in Colombia's Caribbean region, post-agreement, and its
inviter works in track 4.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from multitrack_invitations.adapters.tables import messaging, metadata
from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.entrypoints.consumers import handlers
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import (
    LessonContextV3,
    LessonRecordedV3,
    LessonRetiredV2,
    LessonRevisedV3,
)
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.messaging.consumer import Subscription
from multitrack_shared.testing.inprocess import apply_events
from multitrack_shared.testing.samples import assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import OWNER

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
PRIVATE = Visibility.owner

CONTEXTS: dict[str, dict[str, Any]] = {
    "same-place-type-phase": {
        "countries": ["CO"],
        "conflict_types": ["land"],
        "phases": ["post-agreement"],
    },
    "same-country-other-region": {
        "countries": ["CO"],
        "regions": ["Andean region"],
        "conflict_types": ["Land"],
    },
    "same-country-and-track": {"countries": ["co"], "tracks": [2, 4]},
    "no-place-type-and-phase": {"conflict_types": ["land"], "phases": ["post-agreement"]},
    "other-country-same-type": {"countries": ["KE"], "conflict_types": ["land"]},
    "track-only": {"tracks": [4]},
    "anywhere": {},
    "other-region-only": {"regions": ["Andean region"], "conflict_types": ["land"]},
}
REACHING_IN_ORDER = [
    "same-place-type-phase",  # 3 + 2 + 1 = 6 of 6
    "same-country-other-region",  # 3 + 2 = 5 of 8
    "same-country-and-track",  # 3 + 1 = 4 of 4
    "no-place-type-and-phase",  # 2 + 1 = 3 of 3
]

subscription = Subscription[InvitationsUnitOfWork](handlers)


def recording(lesson_id: str, context: dict[str, Any], **changes: Any) -> LessonRecordedV3:
    fields: dict[str, Any] = {
        "lesson_id": lesson_id,
        "ownership": Ownership(owner_org=OWNER),
        "statement": f"Statement of {lesson_id}.",
        "confidence": Confidence.medium,
        "context": LessonContextV3(**context),
        "recorded_at": T0,
    }
    return LessonRecordedV3(**{**fields, **changes})


async def apply(app: FastAPI, *events: IntegrationEvent) -> None:
    """As the consumer runtime does: one unit of work per event, committed after the handler."""
    await apply_events(app, subscription, events)


async def record_all(app: FastAPI) -> None:
    await apply(app, *(recording(name, context) for name, context in CONTEXTS.items()))


async def received(client: httpx.AsyncClient, **changes: Any) -> str:
    response = await client.post("/invitations", json=invitation_body(**changes))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def assessed(client: httpx.AsyncClient, as_caller: httpx.Auth | None = None) -> str:
    """An invitation received and assessed by the client's caller, or by ``as_caller``."""
    caller: dict[str, Any] = {} if as_caller is None else {"auth": as_caller}
    created = await client.post("/invitations", json=invitation_body(), **caller)
    assert created.status_code == 201, created.text
    invitation_id = str(created.json()["id"])
    response = await client.put(
        f"/invitations/{invitation_id}/assessment", json=assessment_body(), **caller
    )
    assert response.status_code == 200, response.text
    return invitation_id


async def lessons(client: httpx.AsyncClient, invitation_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/invitations/{invitation_id}/lessons")
    assert response.status_code == 200, response.text
    return list(response.json())


def ids(found: list[dict[str, Any]]) -> list[str]:
    return [lesson["lesson_id"] for lesson in found]


async def test_the_lessons_reaching_an_invitation_come_ranked_by_score_then_relevance(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await received(client)

    assert ids(await lessons(client, invitation_id)) == REACHING_IN_ORDER


async def test_each_matching_lesson_carries_its_wording_score_relevance_and_reasons(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await received(client)

    found = {lesson["lesson_id"]: lesson for lesson in await lessons(client, invitation_id)}

    assert found["same-place-type-phase"] == {
        "lesson_id": "same-place-type-phase",
        "statement": "Statement of same-place-type-phase.",
        "confidence": "medium",
        "revision": 1,
        "score": 6,
        "relevance": 1.0,
        "reasons": ["same country: CO", "same conflict type: land", "same phase: post-agreement"],
    }
    other_region = found["same-country-other-region"]
    assert (other_region["score"], other_region["relevance"]) == (5, 0.625)
    assert other_region["reasons"] == ["same country: CO", "same conflict type: land"]
    assert found["same-country-and-track"]["reasons"] == ["same country: CO", "same tracks: 4"]


@pytest.mark.parametrize(
    "absent",
    ["other-country-same-type", "track-only", "anywhere", "other-region-only"],
)
async def test_a_lesson_that_does_not_reach_the_invitation_is_absent(
    app: FastAPI, client: httpx.AsyncClient, absent: str
) -> None:
    await record_all(app)
    invitation_id = await assessed(client)

    assert absent not in ids(await lessons(client, invitation_id))
    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert absent not in ids(stored["assessment"]["matching_lessons"])


async def test_the_assessment_lists_the_same_lessons_in_its_answer_and_when_read_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await received(client)

    put = await client.put(f"/invitations/{invitation_id}/assessment", json=assessment_body())
    read = (await client.get(f"/invitations/{invitation_id}")).json()

    expected = await lessons(client, invitation_id)
    assert ids(expected) == REACHING_IN_ORDER
    assert put.json()["assessment"]["matching_lessons"] == expected
    assert read["assessment"]["matching_lessons"] == expected


async def test_searching_shows_each_assessed_invitation_with_its_matching_lessons(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    colombia = await assessed(client)
    kenya_body = {"name": "Rift Valley", "country": "KE", "conflict_type": "land"}
    kenya = await received(client, conflict=kenya_body)
    await client.put(f"/invitations/{kenya}/assessment", json=assessment_body())

    listed = {i["id"]: i for i in (await client.get("/invitations")).json()}

    assert ids(listed[colombia]["assessment"]["matching_lessons"]) == REACHING_IN_ORDER
    # Kenya, land, no phase: "no-place-type-and-phase" scores 2 of 3, below the threshold.
    assert ids(listed[kenya]["assessment"]["matching_lessons"]) == ["other-country-same-type"]


async def test_an_invitation_not_yet_assessed_still_lists_its_lessons_on_their_own_route(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await received(client)

    stored = (await client.get(f"/invitations/{invitation_id}")).json()

    assert stored["assessment"] is None
    assert ids(await lessons(client, invitation_id)) == REACHING_IN_ORDER


async def test_a_retired_lesson_disappears_from_the_lessons_and_from_the_assessment(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await assessed(client)

    retired = LessonRetiredV2(lesson_id="same-place-type-phase", retired_at=T0)
    await apply(app, retired)

    assert ids(await lessons(client, invitation_id)) == REACHING_IN_ORDER[1:]
    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert ids(stored["assessment"]["matching_lessons"]) == REACHING_IN_ORDER[1:]


def revision(lesson_id: str, number: int, context: dict[str, Any]) -> LessonRevisedV3:
    return LessonRevisedV3(
        lesson_id=lesson_id,
        revision=number,
        statement=f"Revision {number} of {lesson_id}.",
        confidence=Confidence.high,
        context=LessonContextV3(**context),
        revised_at=datetime(2025, 2, number, tzinfo=UTC),
    )


async def test_a_revised_lesson_shows_its_latest_wording_and_is_ranked_by_its_new_context(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await assessed(client)
    wider = {"countries": ["CO"], "regions": ["Caribbean region"], "conflict_types": ["land"]}

    await apply(app, revision("same-country-and-track", 2, wider))

    found = await lessons(client, invitation_id)
    first = found[0]
    assert first["lesson_id"] == "same-country-and-track"
    assert (first["revision"], first["score"], first["confidence"]) == (2, 8, "high")
    assert first["statement"] == "Revision 2 of same-country-and-track."
    assert first["reasons"] == [
        "same country: CO",
        "same region: caribbean region",
        "same conflict type: land",
    ]
    stored = (await client.get(f"/invitations/{invitation_id}")).json()
    assert stored["assessment"]["matching_lessons"] == found


async def test_a_revision_that_moves_a_lesson_elsewhere_takes_it_off_the_invitation(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)
    invitation_id = await assessed(client)

    await apply(app, revision("same-place-type-phase", 2, {"countries": ["KE"]}))

    assert "same-place-type-phase" not in ids(await lessons(client, invitation_id))


@pytest.mark.parametrize(
    ("owner", "visible"),
    [pytest.param(OWNER, True, id="own-lesson"), pytest.param("other-member", False, id="other")],
)
async def test_an_owner_only_lesson_reaches_only_its_owners_invitations(
    app: FastAPI, client: httpx.AsyncClient, owner: str, visible: bool
) -> None:
    private = recording(
        "private",
        CONTEXTS["same-place-type-phase"],
        ownership=Ownership(owner_org=owner, visibility=Visibility.owner),
    )
    await apply(app, private)
    invitation_id = await received(client)  # owned by org-a

    assert ids(await lessons(client, invitation_id)) == (["private"] if visible else [])


async def test_between_two_organizations_an_owner_only_lesson_stays_with_its_owner(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenSource
) -> None:
    org_b = tokens.auth("org-b", "coordinator")
    where = CONTEXTS["same-place-type-phase"]
    await apply(
        app,
        recording("a-private", where, ownership=Ownership(owner_org=OWNER, visibility=PRIVATE)),
        recording("b-private", where, ownership=Ownership(owner_org="org-b", visibility=PRIVATE)),
        recording("b-shared", where, ownership=Ownership(owner_org="org-b")),
    )
    org_a = tokens.auth(OWNER, "coordinator")
    ours, theirs = await assessed(client), await assessed(client, as_caller=org_b)

    async def seen(invitation_id: str, auth: httpx.Auth) -> dict[str, list[str]]:
        route = await client.get(f"/invitations/{invitation_id}/lessons", auth=auth)
        read = await client.get(f"/invitations/{invitation_id}", auth=auth)
        listed = await client.get("/invitations", auth=auth)
        in_list = next(i for i in listed.json() if i["id"] == invitation_id)
        return {
            "route": ids(route.json()),
            "read": ids(read.json()["assessment"]["matching_lessons"]),
            "list": ids(in_list["assessment"]["matching_lessons"]),
        }

    def everywhere(*lesson_ids: str) -> dict[str, list[str]]:
        return {"route": list(lesson_ids), "read": list(lesson_ids), "list": list(lesson_ids)}

    assert await seen(ours, org_a) == everywhere("a-private", "b-shared")
    assert await seen(theirs, org_b) == everywhere("b-private", "b-shared")
    # Each reads the other's consortium-visible invitation without the other's private lessons,
    # and without its own private ones either: they do not reach the other's invitations.
    assert await seen(ours, org_b) == everywhere("b-shared")
    assert await seen(theirs, org_a) == everywhere("b-shared")


async def test_the_lessons_of_an_unknown_invitation_answer_404_naming_it_and_write_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await record_all(app)

    response = await client.get("/invitations/nobody/lessons")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert [p["field"] for p in response.json()["error"]["fields"]] == ["invitation_id"]
    async with app.state.runtime.engine.connect() as connection:
        for table in (metadata.tables["invitations"], messaging.outbox):
            total = (await connection.execute(select(func.count()).select_from(table))).scalar()
            assert total == 0
