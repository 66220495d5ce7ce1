"""Completing evaluations: checked against the digest and the reference data, then published."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_evaluation.adapters.tables import messaging
from multitrack_shared.events import engagements as eng
from multitrack_shared.events.vocabulary import MethodOrigin, RppQuadrant

from .conftest import DAC, PROCEDURES, an_evaluation, without

COMPLETED = "multitrack.evaluation.completed.v1"
NOW = datetime(2025, 3, 20, 10, 0, tzinfo=UTC)


async def outbox(app: FastAPI) -> list[Any]:
    query = select(messaging.outbox).order_by(messaging.outbox.c.seq)
    async with app.state.runtime.engine.connect() as connection:
        return list((await connection.execute(query)).all())


async def test_completing_an_evaluation_answers_201_and_publishes_evaluation_completed(
    app: FastAPI, client: httpx.AsyncClient, known_engagement: str, set_clock: Any
) -> None:
    set_clock(NOW)

    response = await client.post("/evaluations", json=an_evaluation())

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["engagement_id"] == known_engagement
    assert body["owner_org"] == "org-a"
    assert body["dac"]["impact"] == {"score": 3, "narrative": "impact was good"}
    assert body["procedures"]["trust"] == {"rating": "met", "evidence": "on file"}
    assert body["rpp_effectiveness"]["resist_violence"] == {"met": False, "note": None}
    assert body["indicators"]["transformation"] == {"value": None, "note": "not measured yet"}
    assert body["indicators"]["responsibility"] == {"value": None, "note": "follow-up survey"}
    assert body["completed_at"].startswith("2025-03-20T10:00:00")
    (event,) = await outbox(app)
    assert event.event_type == COMPLETED
    assert event.message_key == known_engagement
    assert event.data["evaluation_id"] == body["id"]
    assert event.data["dac_scores"] == dict.fromkeys(DAC, 3)
    assert event.data["procedure_adherence"] == dict.fromkeys(PROCEDURES, "met")
    assert event.data["baseline_analysis_version"] == 1


async def test_an_evaluation_can_be_read_back_and_listed_by_engagement(
    client: httpx.AsyncClient, known_engagement: str, open_engagement: Any
) -> None:
    await open_engagement("eng-2")
    first = (await client.post("/evaluations", json=an_evaluation())).json()
    other = (
        await client.post(
            "/evaluations", json=an_evaluation("eng-2", baseline_analysis_version=None)
        )
    ).json()

    read = await client.get(f"/evaluations/{first['id']}")
    assert read.json() == first
    assert read.headers["ETag"] == f'"{first["id"]}.1"'  # never changed: at its first version
    listed = (await client.get("/evaluations", params={"engagement_id": "eng-1"})).json()
    assert [e["id"] for e in listed] == [first["id"]]
    everything = (await client.get("/evaluations")).json()
    assert {e["id"] for e in everything} == {first["id"], other["id"]}


async def test_reading_an_unknown_evaluation_answers_404_naming_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/evaluations/nope")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "evaluation_id"


async def test_an_evaluation_appears_in_its_engagements_digest_at_once(
    client: httpx.AsyncClient, known_engagement: str, set_clock: Any
) -> None:
    set_clock(NOW)
    evaluation = (await client.post("/evaluations", json=an_evaluation())).json()

    digest = (await client.get(f"/engagements/{known_engagement}/digest")).json()

    assert [e["evaluation_id"] for e in digest["evaluations"]] == [evaluation["id"]]
    assert digest["timeline"][-1]["what"] == "evaluation_completed"
    assert digest["timeline"][-1]["date"] == "2025-03-20"


async def test_the_indicators_of_standards_10_to_12_are_computed_from_the_records(
    client: httpx.AsyncClient, known_engagement: str, apply: Any, set_clock: Any
) -> None:
    set_clock(NOW)

    def activity(n: int, held_on: date, led: bool, designed: bool | None) -> eng.ActivityRecordedV2:
        return eng.ActivityRecordedV2(
            engagement_id=known_engagement,
            activity_id=f"act-{n}",
            kind="dialogue",
            held_on=held_on,
            tracks=[4],
            peacebuilding_kind="social",
            rpp_quadrant=RppQuadrant.more_people_individual,
            methods=[eng.Method(name="palabrero", origin=MethodOrigin.local)],
            local_facilitators=1,
            external_facilitators=0,
            led_locally=led,
            participants=[],
            designed_locally=designed,
        )

    def follow_up(n: int, held_on: date, reached: int, using: int) -> eng.FollowUpRecorded:
        return eng.FollowUpRecorded(
            engagement_id=known_engagement,
            follow_up_id=f"fu-{n}",
            held_on=held_on,
            participants_reached=reached,
            using_skills=using,
            after_closure=False,
            recorded_at=NOW,
        )

    await apply(
        activity(1, date(2024, 5, 1), True, True),
        activity(2, date(2024, 6, 1), True, False),  # led, but designed elsewhere
        activity(3, date(2024, 7, 1), True, None),  # design not recorded: counts as led
        activity(4, date(2023, 1, 1), False, None),  # before the period: not counted
        follow_up(1, date(2024, 9, 1), 10, 4),
        follow_up(2, date(2024, 12, 1), 10, 8),
    )
    instrument = {
        "code": "acceptance",
        "label": "Acceptance of returning families",
        "items": ["I would buy from their shop.", "I would let my children play with theirs."],
        "scale_low": 1,
        "scale_high": 5,
    }
    defined = await client.post("/attitude-instruments", json=instrument)
    measured = await client.post(
        "/attitude-measurements",
        json={
            "engagement_id": known_engagement,
            "instrument": "acceptance",
            "side": "claimants",
            "administered_on": "2024-10-15",
            "respondents": 20,
            "item_means": [3.0, 4.0],
        },
    )
    typed = an_evaluation()
    typed["indicators"]["empowerment"] = {"value": 0.9}
    refused = await client.post("/evaluations", json=typed)

    response = await client.post("/evaluations", json=an_evaluation())

    assert (defined.status_code, measured.status_code) == (201, 201), measured.text
    assert measured.json()["score"] == 0.625
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "indicator_computed"
    body = response.json()
    indicators = {name: i["value"] for name, i in body["indicators"].items()}
    assert indicators == {
        "trust": 0.6,
        "responsibility": 0.6,
        "empowerment": 0.667,
        "transformation": 0.625,
    }
    quarters = {q["quarter"]: q for q in body["evidence"]["quarters"]}
    assert list(quarters) == ["2024-Q2", "2024-Q3", "2024-Q4"]
    assert quarters["2024-Q2"]["empowerment"] == 0.5
    assert quarters["2024-Q4"]["attitude_by_side"] == {"claimants": 0.625}
    read_back = (await client.get(f"/evaluations/{body['id']}")).json()
    assert read_back["evidence"] == body["evidence"]
    digest = (await client.get(f"/engagements/{known_engagement}/digest")).json()
    assert [q["quarter"] for q in digest["trends"]] == ["2023-Q1", *quarters]
    assert digest["trends"][-1]["skills_share"] == 0.8


INVALID = [
    pytest.param(without(an_evaluation(), "dac", "impact"), "body.dac.impact", id="dac-missing"),
    pytest.param(
        {
            **an_evaluation(),
            "dac": {**an_evaluation()["dac"], "impact": {"score": 5, "narrative": "x"}},
        },
        "body.dac.impact.score",
        id="score-above-4",
    ),
    pytest.param(
        {**an_evaluation(), "dac": {**an_evaluation()["dac"], "impact": {"score": 3}}},
        "body.dac.impact.narrative",
        id="narrative-missing",
    ),
    pytest.param(
        {**an_evaluation(), "procedures": {"trust": {"rating": "mostly", "evidence": "x"}}},
        "body.procedures.trust.rating",
        id="bad-rating",
    ),
    pytest.param(
        an_evaluation(rpp_effectiveness={"peace_dividend": {"met": True}}),
        "body.rpp_effectiveness.peace_dividend",
        id="unknown-rpp-criterion",
    ),
    pytest.param(
        without(an_evaluation(), "indicators", "trust"), "body.indicators.trust", id="no-trust"
    ),
    pytest.param(
        {
            **an_evaluation(),
            "indicators": {**an_evaluation()["indicators"], "trust": {"value": 1.5}},
        },
        "body.indicators.trust.value",
        id="indicator-above-1",
    ),
    pytest.param(an_evaluation(period_start="March"), "body.period_start", id="bad-date"),
    pytest.param(without(an_evaluation(), "evaluated_by"), "body.evaluated_by", id="no-evaluator"),
    pytest.param(
        an_evaluation(baseline_analysis_version=0),
        "body.baseline_analysis_version",
        id="baseline-zero",
    ),
    pytest.param(an_evaluation(score=4), "body.score", id="extra-field"),
    pytest.param(an_evaluation(engagement_id=""), "body.engagement_id", id="blank-engagement"),
]


@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_invalid_evaluations_answer_422_naming_the_field_and_write_nothing(
    client: httpx.AsyncClient,
    known_engagement: str,
    snapshot: Any,
    body: dict[str, Any],
    field: str,
) -> None:
    before = await snapshot()

    response = await client.post("/evaluations", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in [p["field"] for p in response.json()["error"]["fields"]]
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "query.limit"), ({"offset": -1}, "query.offset")],
)
async def test_listing_evaluations_with_bad_paging_answers_422_naming_the_parameter(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/evaluations", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == field
