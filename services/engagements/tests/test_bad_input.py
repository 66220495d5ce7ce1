"""Bad input on every endpoint: a 4xx whose body names the field, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from multitrack_shared.events.common import Ownership
from multitrack_shared.events.evaluation import LessonContextV3, LessonRecordedV3
from multitrack_shared.events.vocabulary import Confidence

from .conftest import Database, Deliver, OpenEngagement

Bodies = dict[str, Callable[..., dict[str, Any]]]


def without(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != name}


def first_item(body: dict[str, Any], name: str, **changes: Any) -> dict[str, Any]:
    items = list(body[name])
    items[0] = {**items[0], **changes}
    return {**body, name: items}


CASES: list[Any] = [
    # status
    pytest.param("status", lambda b: {"to": "archived"}, "body.to", id="status-unknown"),
    pytest.param("status", lambda b: {}, "body.to", id="status-missing"),
    pytest.param(
        "status", lambda b: {"to": "paused", "reason": "boredom"}, "body.reason", id="bad-reason"
    ),
    pytest.param(
        "status", lambda b: {"to": "paused", "why": "x"}, "body.why", id="status-unknown-field"
    ),
    # analyses
    pytest.param("analysis", lambda b: {**b, "analysed_on": "yesterday"}, "body.analysed_on",
                 id="analysis-date"),
    pytest.param("analysis", lambda b: without(b, "participants"), "body.participants",
                 id="analysis-participants-missing"),
    pytest.param("analysis", lambda b: {**b, "participants": []}, "participants",
                 id="analysis-nobody-took-part"),
    pytest.param("analysis", lambda b: {**b, "actors": []}, "actors", id="analysis-no-actor"),
    pytest.param("analysis", lambda b: first_item(b, "actors", track=10),
                 "body.actors.0.track", id="actor-track"),
    pytest.param("analysis", lambda b: first_item(b, "actors", role="villain"),
                 "body.actors.0.role", id="actor-role"),
    pytest.param("analysis", lambda b: first_item(b, "actors", side="  "),
                 "body.actors.0.side", id="actor-blank-side"),
    pytest.param("analysis", lambda b: {**b, "notes": "x"}, "body.notes",
                 id="analysis-unknown-field"),
    # listening
    pytest.param("heard", lambda b: {**b, "track": 0}, "body.track", id="heard-track"),
    pytest.param("heard", lambda b: {**b, "side": " "}, "body.side", id="heard-blank-side"),
    pytest.param("heard", lambda b: without(b, "who"), "body.who", id="heard-who-missing"),
    pytest.param("heard", lambda b: without(b, "heard_on"), "body.heard_on",
                 id="heard-date-missing"),
    pytest.param("heard", lambda b: {**b, "needs": "land"}, "body.needs", id="heard-needs-text"),
    # activities
    pytest.param("activity", lambda b: {**b, "kind": "party"}, "kind", id="activity-kind"),
    pytest.param("activity", lambda b: {**b, "tracks": []}, "tracks", id="activity-no-track"),
    pytest.param("activity", lambda b: {**b, "tracks": [4, 4]}, "tracks",
                 id="activity-repeated-track"),
    pytest.param("activity", lambda b: {**b, "tracks": [10]}, "body.tracks.0",
                 id="activity-track-10"),
    pytest.param("activity", lambda b: {**b, "peacebuilding_kind": "military"},
                 "peacebuilding_kind", id="activity-peacebuilding-kind"),
    pytest.param("activity", lambda b: {**b, "rpp_quadrant": "everyone"}, "body.rpp_quadrant",
                 id="activity-quadrant"),
    pytest.param("activity", lambda b: first_item(b, "methods", origin="local"),
                 "body.methods.0.origin", id="method-origin-from-the-catalogue"),
    pytest.param("activity", lambda b: {**b, "methods": [{"code": "talking_stick"}]},
                 "methods.0.code", id="method-not-catalogued"),
    pytest.param("activity", lambda b: first_item(b, "facilitators", local="maybe"),
                 "body.facilitators.0.local", id="facilitator-local"),
    pytest.param("activity", lambda b: first_item(b, "participants", count=0),
                 "body.participants.0.count", id="participants-count"),
    pytest.param("activity", lambda b: first_item(b, "participants", sex="x"),
                 "body.participants.0.sex", id="participants-sex"),
    pytest.param("activity", lambda b: first_item(b, "participants", role="king"),
                 "body.participants.0.role", id="participants-role"),
    pytest.param("activity", lambda b: without(b, "do_no_harm"), "body.do_no_harm",
                 id="do-no-harm-missing"),
    pytest.param("activity", lambda b: {**b, "do_no_harm": {"note": ""}},
                 "body.do_no_harm.note", id="do-no-harm-note-blank"),
    pytest.param("activity", lambda b: {**b, "held_on": "2026-13-01"}, "body.held_on",
                 id="activity-date"),
    # liaison
    pytest.param("liaison", lambda b: {**b, "institution": ""}, "body.institution",
                 id="liaison-institution"),
    pytest.param("liaison", lambda b: without(b, "held_on"), "body.held_on",
                 id="liaison-date-missing"),
    pytest.param("liaison", lambda b: without(b, "summary"), "body.summary",
                 id="liaison-summary-missing"),
    pytest.param("liaison", lambda b: {**b, "officials": [""]}, "body.officials.0",
                 id="liaison-official-blank"),
    # responses
    pytest.param("response", lambda b: {**b, "response": "ignored"}, "body.response",
                 id="response-unknown"),
    pytest.param("response", lambda b: {**b, "why": " "}, "body.why", id="response-why-blank"),
    pytest.param("response", lambda b: without(b, "why"), "body.why", id="response-why-missing"),
]  # fmt: skip

PATHS = {
    "status": "status",
    "analysis": "analyses",
    "heard": "listening",
    "activity": "activities",
    "liaison": "liaison",
    "response": "lessons/lesson-1/response",
}


def a_lesson() -> LessonRecordedV3:
    return LessonRecordedV3(
        lesson_id="lesson-1",
        ownership=Ownership(owner_org="imtd"),
        statement="Hold dialogues on neutral ground.",
        confidence=Confidence.high,
        context=LessonContextV3(countries=["CO"]),
        recorded_at=datetime(2023, 1, 1, tzinfo=UTC),
    )


def base_body(what: str, bodies: Bodies) -> dict[str, Any]:
    if what == "status":
        return {"to": "active"}
    if what == "response":
        return {"response": "applied", "why": "Used it."}
    return bodies[what]()


@pytest.mark.parametrize(("what", "spoil", "field"), CASES)
async def test_a_bad_body_answers_422_naming_the_field_and_writes_nothing(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    client: httpx.AsyncClient,
    db: Database,
    bodies: Bodies,
    what: str,
    spoil: Callable[[dict[str, Any]], dict[str, Any]],
    field: str,
) -> None:
    engagement_id = await open_engagement()
    await deliver(a_lesson())
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/{PATHS[what]}", json=spoil(base_body(what, bodies))
    )

    assert response.status_code == 422, response.text
    assert field in [problem["field"] for problem in response.json()["error"]["fields"]]
    assert await db.snapshot() == before


@pytest.mark.parametrize("what", list(PATHS))
async def test_a_body_that_is_not_json_answers_400_naming_the_body_and_writes_nothing(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, db: Database, what: str
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/{PATHS[what]}",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"
    fields = [problem["field"] for problem in response.json()["error"]["fields"]]
    assert fields == ["body"]
    assert await db.snapshot() == before


@pytest.mark.parametrize("what", list(PATHS))
async def test_a_good_body_for_an_unknown_engagement_answers_404_and_writes_nothing(
    client: httpx.AsyncClient, db: Database, bodies: Bodies, what: str
) -> None:
    before = await db.snapshot()

    response = await client.post(f"/engagements/nope/{PATHS[what]}", json=base_body(what, bodies))

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "engagement_id"
    assert await db.snapshot() == before


async def test_an_analysis_version_that_is_not_a_number_answers_422_naming_it(
    open_engagement: OpenEngagement, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()

    response = await client.get(f"/engagements/{engagement_id}/analyses/latest")

    assert response.status_code == 422
    assert [p["field"] for p in response.json()["error"]["fields"]] == ["path.version"]


async def test_a_body_over_the_size_limit_answers_413_and_writes_nothing(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, db: Database, bodies: Bodies
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/liaison",
        json=bodies["liaison"](summary="x" * (256 * 1024 + 1)),
    )

    assert response.status_code == 413
    assert await db.snapshot() == before
