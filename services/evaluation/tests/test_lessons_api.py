"""The lessons API: recording, reading back and searching lessons learned."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Table, func, select

from multitrack_evaluation.adapters.tables import messaging, metadata


def a_context(**changes: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "countries": ["co", "PE"],
        "regions": ["Caribbean region"],
        "conflict_types": ["Land"],
        "phases": ["post-agreement"],
        "tracks": [1, 4],
        "methods": ["problem-solving workshop"],
        "peacebuilding_kinds": ["social"],
        "rpp_quadrants": ["key_people_socio_political"],
        "dac_criteria": ["effectiveness", "impact"],
        "conflict_ids": ["6f1c2b7e-0d1a-4c55-9d1e-3b2f1a0c9e11"],
    }
    return {**context, **changes}


def a_lesson(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "visibility": "consortium",
        "statement": "Hearing every side before the first joint dialogue kept spoilers away.",
        "evidence": "Three dialogue rounds in 2024; attendance and follow-up interviews.",
        "confidence": "medium",
        "context": a_context(),
    }
    return {**body, **changes}


async def rows(app: FastAPI, table: Table) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(select(table))).all())


async def count(app: FastAPI, table: Table) -> int:
    async with app.state.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


async def test_recording_a_lesson_answers_201_with_the_lesson(client: httpx.AsyncClient) -> None:
    response = await client.post("/lessons", json=a_lesson())

    assert response.status_code == 201
    body = response.json()
    assert body["id"]
    assert body["confidence"] == "medium"
    assert body["context"] == a_context(countries=["CO", "PE"], conflict_types=["land"])
    assert body["recorded_at"]
    assert body["revision"] == 1
    assert body["active"] is True
    assert body["retired_reason"] is None
    assert body["source_engagement_id"] is None
    assert body["responses"] == {
        "applied": 0,
        "adapted": 0,
        "rejected": 0,
        "items": [],
    }


async def test_recording_a_lesson_publishes_lesson_recorded_with_its_context(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    lesson = (await client.post("/lessons", json=a_lesson())).json()

    outbox = await rows(app, messaging.outbox)
    assert len(outbox) == 1
    (event,) = outbox
    assert event.event_type == "multitrack.lesson.recorded.v3"
    assert event.message_key == lesson["id"]
    assert event.data["lesson_id"] == lesson["id"]
    assert event.data["ownership"] == {"owner_org": "org-a", "visibility": "consortium"}
    assert event.data["statement"] == lesson["statement"]
    assert event.data["confidence"] == "medium"
    assert event.data["context"] == lesson["context"]
    assert event.data["source_engagement_id"] is None
    assert "evidence" not in event.data  # it stays here, with the lesson


async def test_a_lesson_names_the_engagement_whose_evaluation_taught_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    lesson = (await client.post("/lessons", json=a_lesson(source_engagement_id="eng-7"))).json()

    assert lesson["source_engagement_id"] == "eng-7"
    (event,) = await rows(app, messaging.outbox)
    assert event.data["source_engagement_id"] == "eng-7"


async def test_a_lesson_may_hold_everywhere_with_an_empty_context(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/lessons", json=a_lesson(context={}))

    assert response.status_code == 201
    assert response.json()["context"] == {
        "countries": [],
        "regions": [],
        "conflict_types": [],
        "phases": [],
        "tracks": [],
        "methods": [],
        "peacebuilding_kinds": [],
        "rpp_quadrants": [],
        "dac_criteria": [],
        "conflict_ids": [],
    }


async def test_a_recorded_lesson_can_be_read_back(client: httpx.AsyncClient) -> None:
    created = (await client.post("/lessons", json=a_lesson())).json()

    response = await client.get(f"/lessons/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_reading_an_unknown_lesson_answers_404_with_the_error_body(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/lessons/no-such-lesson")

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["fields"][0]["field"] == "lesson_id"


INVALID = [
    pytest.param(
        {k: v for k, v in a_lesson().items() if k != "statement"}, "body.statement", id="missing"
    ),
    pytest.param(
        {k: v for k, v in a_lesson().items() if k != "context"}, "body.context", id="no-context"
    ),
    pytest.param(a_lesson(confidence="certain"), "body.confidence", id="bad-enum"),
    pytest.param(a_lesson(statement=42), "body.statement", id="wrong-type"),
    pytest.param(a_lesson(statement="   "), "body.statement", id="blank"),
    pytest.param(
        a_lesson(context=a_context(tracks="4")), "body.context.tracks", id="wrong-list-type"
    ),
    pytest.param(
        a_lesson(context=a_context(countries=["XX"])),
        "body.context.countries.0",
        id="bad-country",
    ),
    pytest.param(
        a_lesson(context=a_context(tracks=[4, 4])), "body.context.tracks", id="duplicate-track"
    ),
    pytest.param(
        a_lesson(context=a_context(tracks=[0])), "body.context.tracks.0", id="track-out-of-range"
    ),
    pytest.param(
        a_lesson(context=a_context(countries=["PE", "pe"])),
        "body.context.countries",
        id="duplicate-country",
    ),
    pytest.param(
        a_lesson(context=a_context(actors=["x"])), "body.context.actors", id="unknown-field"
    ),
    pytest.param(
        a_lesson(context=a_context(peacebuilding_kinds=["cultural"])),
        "body.context.peacebuilding_kinds.0",
        id="unknown-peacebuilding-kind",
    ),
    pytest.param(
        a_lesson(context=a_context(rpp_quadrants=["many_people"])),
        "body.context.rpp_quadrants.0",
        id="unknown-rpp-quadrant",
    ),
    pytest.param(
        a_lesson(context=a_context(dac_criteria=["impact", "impact"])),
        "body.context.dac_criteria",
        id="duplicate-dac-criterion",
    ),
    pytest.param(
        a_lesson(context=a_context(methods=[""])), "body.context.methods.0", id="blank-method"
    ),
    pytest.param(a_lesson(source_engagement_id=""), "body.source_engagement_id", id="blank-source"),
]


@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_invalid_input_answers_422_naming_the_field_and_writes_nothing(
    app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/lessons", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [problem["field"] for problem in error["fields"]]
    assert await count(app, metadata.tables["lessons"]) == 0
    assert await count(app, messaging.outbox) == 0


async def test_a_repeated_track_is_reported_under_the_duplicate_rule(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/lessons", json=a_lesson(context=a_context(tracks=[3, 3])))

    (problem,) = response.json()["error"]["fields"]
    assert problem == {
        "field": "body.context.tracks",
        "rule": "duplicate",
        "message": "values must not repeat: 3",
    }


async def test_searching_filters_by_country_and_track(client: httpx.AsyncClient) -> None:
    colombia = a_lesson(statement="Colombia", context=a_context(countries=["CO"], tracks=[4]))
    andes = a_lesson(statement="Andes", context=a_context(countries=["CO", "PE"], tracks=[1, 2]))
    kenya = a_lesson(statement="Kenya", context=a_context(countries=["KE"], tracks=[4]))
    for body in (colombia, andes, kenya):
        assert (await client.post("/lessons", json=body)).status_code == 201

    async def statements(**params: Any) -> set[str]:
        response = await client.get("/lessons", params=params)
        assert response.status_code == 200
        return {lesson["statement"] for lesson in response.json()}

    assert await statements() == {"Colombia", "Andes", "Kenya"}
    assert await statements(country="co") == {"Colombia", "Andes"}
    assert await statements(country="PE") == {"Andes"}
    assert await statements(track=4) == {"Colombia", "Kenya"}
    assert await statements(country="CO", track=4) == {"Colombia"}
    assert await statements(track=9) == set()


async def test_searching_pages_with_limit_and_offset(client: httpx.AsyncClient) -> None:
    for n in range(3):
        await client.post("/lessons", json=a_lesson(statement=f"Lesson {n}"))

    first = (await client.get("/lessons", params={"limit": 2})).json()
    rest = (await client.get("/lessons", params={"limit": 2, "offset": 2})).json()

    assert len(first) == 2
    assert len(rest) == 1
    assert {lesson["id"] for lesson in first}.isdisjoint({lesson["id"] for lesson in rest})


async def test_searching_with_a_track_out_of_range_answers_422_naming_the_query_parameter(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/lessons", params={"track": 10})

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.track"
