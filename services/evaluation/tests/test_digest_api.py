"""The engagement digest, built only from the engagements' and partners' events: the current
ones, and the ``.v1`` ones a replay still reads, whose free text the digest never shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from multitrack_evaluation.adapters.tables import READ_MODELS
from multitrack_shared.events import engagements as eng
from multitrack_shared.events import partners as par
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.vocabulary import (
    LessonResponse,
    MethodOrigin,
    ParticipantRole,
    RppQuadrant,
    Sex,
)
from multitrack_shared.testing.superseded import as_superseded

E = "eng-1"


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def people(sex: Sex, count: int, track: int = 4) -> eng.ParticipantCount:
    return eng.ParticipantCount(
        sex=sex, role=ParticipantRole.participant, track=track, side="claimants", count=count
    )


def activity(
    n: int, held_on: str, *, led_locally: bool, tracks: list[int]
) -> eng.ActivityRecordedV2:
    return eng.ActivityRecordedV2(
        engagement_id=E,
        activity_id=f"act-{n}",
        kind="dialogue",
        held_on=date.fromisoformat(held_on),
        tracks=tracks,
        peacebuilding_kind="social",
        rpp_quadrant=RppQuadrant.key_people_socio_political,
        methods=[
            eng.Method(name="palabrero", origin=MethodOrigin.local),
            eng.Method(name="problem-solving workshop", origin=MethodOrigin.external),
        ][: 1 if led_locally else 2],
        local_facilitators=1,
        external_facilitators=0 if led_locally else 1,
        led_locally=led_locally,
        participants=[people(Sex.female, 6), people(Sex.male, 4, track=2)],
    )


def story() -> list[IntegrationEvent]:
    """An engagement's first year, in the order its events are published."""
    return [
        eng.EngagementStatusChangedV2(
            engagement_id=E,
            from_status="listening",
            to_status="active",
            changed_at=at("2024-04-02"),
        ),
        eng.ConflictAnalysisRecorded(
            engagement_id=E,
            version=1,
            sides=["claimants", "returning families"],
            actor_tracks=[1, 7],
            actors_by_role={"party": 2},
            dividers=3,
            connectors=1,
            analysed_on=date(2024, 3, 20),
        ),
        eng.PartyHeard(
            engagement_id=E, hearing_id="h-1", side="claimants", track=4, heard_on=date(2024, 3, 15)
        ),
        eng.PartyHeard(
            engagement_id=E,
            hearing_id="h-2",
            side="returning families",
            track=6,
            heard_on=date(2024, 4, 2),
        ),
        activity(1, "2024-05-10", led_locally=True, tracks=[4]),
        activity(2, "2024-06-10", led_locally=False, tracks=[2, 4]),
        eng.LiaisonRecorded(
            engagement_id=E,
            liaison_id="l-1",
            institution="Gobernación de Bolívar",
            kind="briefing",
            held_on=date(2024, 5, 10),
        ),
        eng.LessonRespondedV2(
            engagement_id=E, lesson_id="lesson-1", response=LessonResponse.applied,
            responded_at=at("2024-07-01"),
        ),
        par.PartnershipFormed(
            partnership_id="ps-1", engagement_id=E, partner_id="p-1", role="trainer",
            starts_on=date(2024, 4, 1), partner_name="Red de Mujeres del Caribe",
            partner_tracks=[4, 6], partner_is_local=True, partner_women_led=True,
            formed_at=at("2024-03-28"),
        ),
        par.PartnershipEnded(
            partnership_id="ps-1", engagement_id=E, partner_id="p-1",
            ends_on=date(2024, 12, 31), ended_at=at("2024-12-20"),
        ),
    ]  # fmt: skip


async def digest_of(client: httpx.AsyncClient, engagement_id: str = E) -> dict[str, Any]:
    response = await client.get(f"/engagements/{engagement_id}/digest")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_an_unknown_engagement_has_no_digest(client: httpx.AsyncClient) -> None:
    response = await client.get("/engagements/nope/digest")

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "engagement_id"


async def test_the_digest_shows_the_engagement_as_the_events_left_it(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    await apply(*story())

    digest = await digest_of(client)

    header = digest["engagement"]
    assert (header["country"], header["region"], header["status"]) == (
        "CO", "Caribbean region", "active",
    )  # fmt: skip
    assert (header["start"], header["committed_until"]) == ("2024-03-01", "2029-03-01")
    assert digest["coverage"] == {
        "activities": [2, 4],
        "parties_heard": [4, 6],
        "analysis_actors": [1, 7],
        "partners": [4, 6],
        "reached": [1, 2, 4, 6, 7],
        "gaps": [3, 5, 8, 9],
    }
    assert digest["inclusion"] == {
        "participants": {"total": 20, "women": 12, "women_share": 0.6},
        "activities": {"total": 2, "led_locally": 1, "led_locally_share": 0.5},
        "methods": {"local": 2, "external": 1, "local_share": 0.667},
    }
    assert [a["version"] for a in digest["analysis_versions"]] == [1]
    assert digest["evaluations"] == []


async def test_the_timeline_runs_by_date_then_by_the_events_time(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    await apply(*story())

    timeline = (await digest_of(client))["timeline"]

    assert [(t["date"], t["what"]) for t in timeline] == [
        ("2024-03-01", "opened"),
        ("2024-03-15", "party_heard"),
        ("2024-03-20", "analysis_recorded"),
        ("2024-04-01", "partnership_formed"),
        ("2024-04-02", "party_heard"),  # a day without a time comes first that day
        ("2024-04-02", "status_changed"),
        ("2024-05-10", "activity_recorded"),
        ("2024-05-10", "liaison_recorded"),
        ("2024-06-10", "activity_recorded"),
        ("2024-07-01", "lesson_responded"),
        ("2024-12-31", "partnership_ended"),
    ]
    assert timeline[5]["summary"] == "listening → active"
    assert timeline[3]["summary"] == "Red de Mujeres del Caribe joined as trainer"
    assert timeline[6]["summary"] == "Dialogue: 10 participants, tracks 4"
    assert timeline[9]["summary"] == "Lesson lesson-1 applied"


async def test_partnership_events_arriving_before_the_opening_still_count(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    # Partners publish on their own topic: its events may be consumed before the opening.
    partnership = [e for e in story() if isinstance(e, par.PartnershipFormed)]
    await apply(*partnership)
    await open_engagement()

    assert (await digest_of(client))["coverage"]["partners"] == [4, 6]


async def test_a_closed_engagement_reads_closed(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    await apply(
        eng.EngagementClosed(
            engagement_id=E, early=True, reason="safety", closed_at=at("2025-01-05")
        )
    )

    digest = await digest_of(client)

    assert digest["engagement"]["status"] == "closed"
    assert digest["timeline"][-1]["summary"] == "Closed early (safety)"


async def test_applying_every_event_twice_changes_nothing(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    await apply(*story())
    once = await digest_of(client)

    await open_engagement()
    await apply(*story())

    assert await digest_of(client) == once


CONFIDED = "Ana Ruiz asked us to keep this quiet"


def as_v1(event: IntegrationEvent) -> IntegrationEvent:
    """``event`` as its ``.v1`` carried it, with the text that no longer travels."""
    if isinstance(event, eng.EngagementStatusChangedV2):
        return as_superseded(event, eng.EngagementStatusChanged, note=CONFIDED)
    if isinstance(event, eng.ActivityRecordedV2):
        return as_superseded(event, eng.ActivityRecorded, place=CONFIDED)
    if isinstance(event, eng.LessonRespondedV2):
        return as_superseded(event, eng.LessonResponded, why=CONFIDED)
    return event


@pytest.mark.parametrize("replayed", [lambda e: e, as_v1], ids=["current", "as-v1"])
async def test_dropping_the_read_models_and_replaying_rebuilds_the_same_digest(
    replayed: Callable[[IntegrationEvent], IntegrationEvent],
    app: FastAPI,
    client: httpx.AsyncClient,
    open_engagement: Any,
    apply: Any,
    snapshot: Any,
) -> None:
    await open_engagement()
    await apply(*story())
    analysis = eng.ConflictAnalysisRecorded(
        engagement_id=E, version=2, sides=["claimants"], actor_tracks=[3], actors_by_role={},
        dividers=0, connectors=0, analysed_on=date(2025, 1, 2),
    )  # fmt: skip
    await apply(analysis)
    evaluation = await client.post("/evaluations", json=_evaluation())
    assert evaluation.status_code == 201, evaluation.text
    before, owned = await digest_of(client), await snapshot()

    await app.state.runtime.rebuild_read_models()
    emptied = await client.get(f"/engagements/{E}/digest")
    await open_engagement()
    await apply(*map(replayed, story()), analysis)

    assert emptied.status_code == 404
    assert await digest_of(client) == before
    assert "Ana Ruiz" not in str(await read_models(app))
    assert await snapshot() == owned  # no event published again, no own state duplicated


async def read_models(app: FastAPI) -> list[Any]:
    async with app.state.runtime.engine.connect() as connection:
        return [(await connection.execute(select(table))).all() for table in READ_MODELS]


def _evaluation() -> dict[str, Any]:
    procedures = [
        "invitation", "long_term_commitment", "relationship", "trust", "engagement",
        "partnership", "synthesis_of_wisdom", "multiple_technologies", "action_research",
        "responsibility", "empowerment", "transformation",
    ]  # fmt: skip
    criteria = ["relevance", "coherence", "effectiveness", "efficiency", "impact"]
    return {
        "engagement_id": E,
        "period_start": "2024-03-01",
        "period_end": "2025-02-28",
        "evaluated_by": "evaluators",
        "dac": {c: {"score": 2, "narrative": "fair"} for c in [*criteria, "sustainability"]},
        "procedures": {p: {"rating": "partly", "evidence": "notes"} for p in procedures},
        "indicators": {i: {} for i in ("trust", "responsibility", "empowerment", "transformation")},
        "baseline_analysis_version": 2,
    }


async def test_the_list_shows_each_engagements_header_filtered_by_country(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    await apply(*story())
    await open_engagement(
        "eng-ke",
        opened_at=at("2024-09-01"),
        conflict={"name": "Rift Valley land conflict", "country": "KE"},
    )

    listed = (await client.get("/engagements")).json()
    in_colombia = (await client.get("/engagements", params={"country": "co"})).json()

    assert [(h["engagement_id"], h["country"], h["status"]) for h in listed] == [
        ("eng-ke", "KE", "listening"),
        (E, "CO", "active"),
    ]
    assert [h["engagement_id"] for h in in_colombia] == [E]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "ZZ"}, "query.country"),
        ({"limit": 0}, "query.limit"),
        ({"offset": "x"}, "query.offset"),
    ],
)
async def test_listing_with_bad_parameters_answers_422_naming_them(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/engagements", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == field


async def test_two_hearings_of_the_same_side_on_the_same_day_are_two_entries(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any
) -> None:
    await open_engagement()
    same_day = {"engagement_id": E, "side": "claimants", "track": 4, "heard_on": date(2024, 3, 15)}
    await apply(
        eng.PartyHeard(hearing_id="h-1", **same_day), eng.PartyHeard(hearing_id="h-2", **same_day)
    )
    await apply(eng.PartyHeard(hearing_id="h-2", **same_day))  # redelivered: still two

    timeline = (await digest_of(client))["timeline"]

    assert [t["what"] for t in timeline].count("party_heard") == 2
