"""Revising and retiring lessons, and the responses engagements gave them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_evaluation.adapters.tables import messaging
from multitrack_shared.events.engagements import LessonRespondedV2
from multitrack_shared.events.vocabulary import LessonResponse

REVISED = "multitrack.lesson.revised.v3"
RETIRED = "multitrack.lesson.retired.v2"


def a_lesson(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "statement": "Hear returning families before the land claimants' lawyers.",
        "evidence": "Two evaluations in Montes de María, 2019 and 2022.",
        "confidence": "medium",
        "context": {"countries": ["CO"], "tracks": [4]},
    }
    return {**body, **changes}


def a_revision(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "statement": "Hear returning families first, and separately from the lawyers.",
        "evidence": "Three evaluations, 2019 to 2025.",
        "confidence": "high",
        "context": {"countries": ["PE"], "tracks": [2], "peacebuilding_kinds": ["social"]},
    }
    return {**body, **changes}


async def recorded(client: httpx.AsyncClient, **changes: Any) -> str:
    response = await client.post("/lessons", json=a_lesson(**changes))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def outbox(app: FastAPI) -> list[Any]:
    query = select(messaging.outbox).order_by(messaging.outbox.c.seq)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def test_revising_a_lesson_restates_it_as_revision_two_and_publishes_lesson_revised(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    lesson_id = await recorded(client)

    response = await client.put(f"/lessons/{lesson_id}", json=a_revision())

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["revision"] == 2
    assert body["statement"] == a_revision()["statement"]
    assert body["confidence"] == "high"
    assert body["context"]["countries"] == ["PE"]
    assert body["revised_at"]
    event = (await outbox(app))[-1]
    assert event.event_type == REVISED
    assert event.message_key == lesson_id
    assert event.data["revision"] == 2
    assert event.data["statement"] == body["statement"]
    assert event.data["context"] == body["context"]
    assert "evidence" not in event.data  # it stays here, with the lesson


async def test_each_revision_counts_one_more(client: httpx.AsyncClient) -> None:
    lesson_id = await recorded(client)

    await client.put(f"/lessons/{lesson_id}", json=a_revision())
    third = await client.put(f"/lessons/{lesson_id}", json=a_revision(statement="Third."))

    assert third.json()["revision"] == 3
    assert (await client.get(f"/lessons/{lesson_id}")).json()["statement"] == "Third."


async def test_a_revised_context_is_what_the_search_finds(client: httpx.AsyncClient) -> None:
    lesson_id = await recorded(client)

    await client.put(f"/lessons/{lesson_id}", json=a_revision())

    assert (await client.get("/lessons", params={"country": "CO"})).json() == []
    assert [x["id"] for x in (await client.get("/lessons", params={"track": 2})).json()] == [
        lesson_id
    ]


async def test_retiring_a_lesson_keeps_it_inactive_with_its_reason_and_publishes_it_without(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    lesson_id = await recorded(client)

    response = await client.post(
        f"/lessons/{lesson_id}/retirement", json={"reason": "Contradicted in 2025."}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["active"] is False
    assert body["retired_reason"] == "Contradicted in 2025."
    assert body["retired_at"]
    event = (await outbox(app))[-1]
    assert event.event_type == RETIRED
    assert event.data["lesson_id"] == lesson_id
    assert "reason" not in event.data


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        pytest.param("PUT", "", a_revision(), id="revise"),
        pytest.param("POST", "/retirement", {"reason": "Again."}, id="retire-again"),
    ],
)
async def test_a_retired_lesson_is_neither_revised_nor_retired_again(
    client: httpx.AsyncClient, snapshot: Any, method: str, suffix: str, body: dict[str, Any]
) -> None:
    lesson_id = await recorded(client)
    await client.post(f"/lessons/{lesson_id}/retirement", json={"reason": "No longer holds."})
    before = await snapshot()

    response = await client.request(method, f"/lessons/{lesson_id}{suffix}", json=body)

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "lesson_retired"
    assert error["fields"][0]["field"] == "lesson_id"
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        pytest.param("PUT", "", a_revision(), id="revise"),
        pytest.param("POST", "/retirement", {"reason": "Gone."}, id="retire"),
    ],
)
async def test_an_unknown_lesson_answers_404_and_nothing_is_written(
    client: httpx.AsyncClient, snapshot: Any, method: str, suffix: str, body: dict[str, Any]
) -> None:
    before = await snapshot()

    response = await client.request(method, f"/lessons/no-such-lesson{suffix}", json=body)

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "lesson_id"
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("suffix", "body", "field"),
    [
        pytest.param("", {**a_revision(), "statement": ""}, "body.statement", id="blank"),
        pytest.param(
            "", {k: v for k, v in a_revision().items() if k != "context"}, "body.context", id="ctx"
        ),
        pytest.param("", a_revision(confidence="sure"), "body.confidence", id="confidence"),
        pytest.param("", a_revision(owner_org="other"), "body.owner_org", id="not-revisable"),
        pytest.param(
            "",
            a_revision(context={"tracks": [10]}),
            "body.context.tracks.0",
            id="track-out-of-range",
        ),
        pytest.param("/retirement", {}, "body.reason", id="no-reason"),
        pytest.param("/retirement", {"reason": "  "}, "body.reason", id="blank-reason"),
        pytest.param(
            "/retirement", {"reason": "x", "by": "me"}, "body.by", id="retirement-extra-field"
        ),
    ],
)
async def test_invalid_revisions_and_retirements_answer_422_naming_the_field(
    client: httpx.AsyncClient, snapshot: Any, suffix: str, body: dict[str, Any], field: str
) -> None:
    lesson_id = await recorded(client)
    before = await snapshot()
    method = "PUT" if suffix == "" else "POST"

    response = await client.request(method, f"/lessons/{lesson_id}{suffix}", json=body)

    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await snapshot() == before


async def test_searching_by_active_tells_lessons_in_force_from_retired_ones(
    client: httpx.AsyncClient,
) -> None:
    in_force = await recorded(client, statement="In force.")
    retired = await recorded(client, statement="Retired.")
    await client.post(f"/lessons/{retired}/retirement", json={"reason": "Superseded."})

    async def ids(**params: Any) -> set[str]:
        response = await client.get("/lessons", params=params)
        assert response.status_code == 200, response.text
        return {lesson["id"] for lesson in response.json()}

    assert await ids() == {in_force, retired}
    assert await ids(active="true") == {in_force}
    assert await ids(active="false") == {retired}


async def test_searching_with_an_unreadable_active_flag_answers_422_naming_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/lessons", params={"active": "perhaps"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.active"


def responded(
    lesson_id: str, engagement_id: str, response: LessonResponse, day: int
) -> LessonRespondedV2:
    return LessonRespondedV2(
        engagement_id=engagement_id,
        lesson_id=lesson_id,
        response=response,
        responded_at=datetime(2025, 5, day, 12, 0, tzinfo=UTC),
    )


async def test_a_lesson_shows_each_engagements_latest_response_and_their_counts(
    client: httpx.AsyncClient, apply: Any, open_engagement: Any
) -> None:
    lesson_id = await recorded(client)
    for engagement_id in ("eng-1", "eng-2", "eng-3"):
        await open_engagement(engagement_id)
    await apply(
        responded(lesson_id, "eng-1", LessonResponse.applied, 1),
        responded(lesson_id, "eng-2", LessonResponse.adapted, 2),
        responded(lesson_id, "eng-3", LessonResponse.applied, 3),
        responded(lesson_id, "eng-1", LessonResponse.rejected, 4),
        responded("another-lesson", "eng-1", LessonResponse.applied, 5),
    )

    responses = (await client.get(f"/lessons/{lesson_id}")).json()["responses"]

    assert (responses["applied"], responses["adapted"], responses["rejected"]) == (1, 1, 1)
    assert [(r["engagement_id"], r["response"]) for r in responses["items"]] == [
        ("eng-2", "adapted"),
        ("eng-3", "applied"),
        ("eng-1", "rejected"),
    ]
    assert responses["items"][-1]["at"].startswith("2025-05-04T12:00:00")


async def test_an_earlier_response_arriving_late_does_not_replace_a_later_one(
    client: httpx.AsyncClient, apply: Any, open_engagement: Any
) -> None:
    lesson_id = await recorded(client)
    await open_engagement("eng-1")
    await apply(
        responded(lesson_id, "eng-1", LessonResponse.rejected, 9),
        responded(lesson_id, "eng-1", LessonResponse.applied, 2),
    )

    responses = (await client.get(f"/lessons/{lesson_id}")).json()["responses"]

    assert (responses["applied"], responses["adapted"], responses["rejected"]) == (0, 0, 1)


async def test_the_same_response_applied_twice_counts_once(
    client: httpx.AsyncClient, apply: Any, open_engagement: Any
) -> None:
    lesson_id = await recorded(client)
    await open_engagement("eng-1")
    event = responded(lesson_id, "eng-1", LessonResponse.adapted, 3)

    await apply(event, event)

    responses = (await client.get(f"/lessons/{lesson_id}")).json()["responses"]
    assert (responses["applied"], responses["adapted"], responses["rejected"]) == (0, 1, 0)
    assert len(responses["items"]) == 1
