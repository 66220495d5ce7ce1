"""The engagement's own records over HTTP: conflict analysis, listening ledger, activities,
track-one liaison, and the nine-track coverage they (and partnerships) feed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.events.partners import PartnershipEnded, PartnershipFormed

from .conftest import (
    Api,
    Database,
    Deliver,
    OpenEngagement,
    activity_body,
    catalogued_method,
)

RETIRED_AT = datetime(2025, 6, 1, tzinfo=UTC)

PERSONAL = ("María Pérez", "Jorge Díaz", "Rosa Villa", "Luis Mendoza", "Anne Keller", "Pedro")


def no_personal_data(data: object) -> bool:
    text = json.dumps(data, ensure_ascii=False)
    return not any(name in text for name in PERSONAL)


# --- conflict analysis ----------------------------------------------------------------------


async def test_each_analysis_is_a_new_version_readable_alone_and_in_the_list(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()

    first = await api.analysis(engagement_id)
    second = await api.analysis(engagement_id, analysed_on="2025-03-15", causes=[])

    assert (first["version"], second["version"]) == (1, 2)
    assert first["sides"] == ["land claimants", "returning families"]
    assert first["participants"] == ["María Pérez", "Jorge Díaz"]
    listed = (await client.get(f"/engagements/{engagement_id}/analyses")).json()
    assert [a["version"] for a in listed] == [1, 2]
    one = await client.get(f"/engagements/{engagement_id}/analyses/2")
    assert one.json() == second
    missing = await client.get(f"/engagements/{engagement_id}/analyses/3")
    assert missing.status_code == 404
    assert missing.json()["error"]["fields"][0]["field"] == "version"


async def test_an_analysis_publishes_counts_and_sides_but_not_who_took_part(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()

    await api.analysis(engagement_id)

    recorded = (await db.outbox())[-1]
    assert recorded.event_type == "multitrack.engagement.analysis_recorded.v1"
    assert recorded.message_key == engagement_id
    assert recorded.data["version"] == 1
    assert recorded.data["sides"] == ["land claimants", "returning families"]
    assert recorded.data["actor_tracks"] == [4, 7]
    assert recorded.data["actors_by_role"] == {
        "party": 2,
        "stakeholder": 0,
        "spoiler": 0,
        "capacity_for_peace": 1,
    }
    assert (recorded.data["dividers"], recorded.data["connectors"]) == (2, 1)
    assert no_personal_data(recorded.data)
    assert "Asociación de Campesinos" not in json.dumps(recorded.data, ensure_ascii=False)


# --- listening ledger -----------------------------------------------------------------------


async def test_the_ledger_counts_per_side_of_the_latest_analysis_and_names_the_missing(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()
    await api.analysis(engagement_id)
    for _ in range(3):
        await api.heard(engagement_id, side="Land Claimants")

    ledger = (await client.get(f"/engagements/{engagement_id}/listening")).json()

    assert len(ledger["entries"]) == 3
    assert ledger["entries"][0]["who"] == "Rosa Villa"
    assert ledger["summary"] == {
        "heard_per_side": {"land claimants": 3, "returning families": 0},
        "complete": False,
        "missing_sides": ["returning families"],
        "imbalanced": True,
    }


async def test_a_new_analysis_version_with_a_new_side_makes_listening_incomplete_again(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()
    await api.listened_to_every_side(engagement_id)
    before = (await client.get(f"/engagements/{engagement_id}/listening")).json()["summary"]
    actors = [
        {"name": "Ganaderos", "side": "ranchers", "track": 3, "role": "spoiler"},
        {"name": "Familias", "side": "returning families", "track": 4, "role": "party"},
    ]

    await api.analysis(engagement_id, actors=actors)

    after = (await client.get(f"/engagements/{engagement_id}/listening")).json()["summary"]
    assert before["complete"] is True
    assert after["complete"] is False
    assert after["missing_sides"] == ["ranchers"]


async def test_hearing_a_party_publishes_side_track_and_date_only(
    open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    engagement_id = await open_engagement()

    entry = await api.heard(engagement_id)

    assert entry["needs"] == ["Titles recognised before any return"]
    heard = (await db.outbox())[-1]
    assert heard.event_type == "multitrack.engagement.party_heard.v1"
    assert heard.data == {
        "engagement_id": engagement_id,
        "hearing_id": entry["id"],
        "side": "land claimants",
        "track": 4,
        "heard_on": "2024-04-01",
    }


# --- activities -----------------------------------------------------------------------------


async def test_an_activity_is_recorded_listed_and_published_as_counts(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient, db: Database
) -> None:
    engagement_id = await open_engagement()

    activity = await api.activity(engagement_id, kind="Dialogue")

    assert activity["kind"] == "dialogue"
    assert activity["led_locally"] is True
    assert (activity["local_facilitators"], activity["external_facilitators"]) == (2, 1)
    listed = (await client.get(f"/engagements/{engagement_id}/activities")).json()
    assert listed == [activity]
    recorded = (await db.outbox())[-1]
    assert recorded.event_type == "multitrack.engagement.activity_recorded.v2"
    assert recorded.data["activity_id"] == activity["id"]
    assert recorded.data["tracks"] == [4, 7]
    assert recorded.data["led_locally"] is True
    assert recorded.data["local_facilitators"] == 2
    assert recorded.data["methods"][0] == {
        "name": "Palabreo",
        "origin": "local",
        "code": "palabreo",
    }
    assert activity["methods"][0] == {"code": "palabreo", "name": "Palabreo", "origin": "local"}
    assert recorded.data["participants"][0]["count"] == 12
    assert no_personal_data(recorded.data)
    assert "place" not in recorded.data
    assert activity["place"] not in json.dumps(recorded.data, ensure_ascii=False)


async def test_an_activity_naming_a_retired_method_answers_422_and_writes_nothing(
    open_engagement: OpenEngagement,
    api: Api,
    client: httpx.AsyncClient,
    db: Database,
    deliver: Deliver,
) -> None:
    engagement_id = await open_engagement()
    await deliver(catalogued_method("minga", "Minga", "local", active=False, at=RETIRED_AT))
    await deliver(catalogued_method("minga", "Minga (older wording)", "local"))
    before = await db.snapshot()

    answer = await client.post(
        f"/engagements/{engagement_id}/activities",
        json=activity_body(methods=[{"code": "palabreo"}, {"code": "minga"}]),
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "unknown_method"
    assert answer.json()["error"]["fields"][0]["field"] == "methods.1.code"
    assert await db.snapshot() == before


@pytest.mark.parametrize("record", ["analyses", "listening", "liaison"])
async def test_a_closed_engagement_refuses_new_records_with_409_and_writes_nothing(
    open_engagement: OpenEngagement,
    api: Api,
    client: httpx.AsyncClient,
    db: Database,
    record: str,
    sample_bodies: dict[str, dict[str, Any]],
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    await api.status(engagement_id, "closing", reason="mutual_agreement")
    await api.close(engagement_id)
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/{record}", json=sample_bodies[record]
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "engagement_closed"
    assert await db.snapshot() == before


async def test_a_closed_engagement_refuses_activities_with_409_and_writes_nothing(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient, db: Database
) -> None:
    engagement_id = await open_engagement()
    await api.active(engagement_id)
    await api.status(engagement_id, "closing", reason="mutual_agreement")
    await api.close(engagement_id)
    before = await db.snapshot()

    response = await client.post(
        f"/engagements/{engagement_id}/activities",
        json={
            "kind": "dialogue",
            "held_on": "2026-03-01",
            "place": "Sincelejo",
            "tracks": [4],
            "peacebuilding_kind": "social",
            "rpp_quadrant": "key_people_individual",
            "do_no_harm": {"note": "Checked."},
        },
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "engagement_closed"
    assert await db.snapshot() == before


# --- liaison --------------------------------------------------------------------------------


async def test_a_liaison_entry_keeps_the_officials_and_publishes_the_institution_only(
    open_engagement: OpenEngagement, api: Api, client: httpx.AsyncClient, db: Database
) -> None:
    engagement_id = await open_engagement()

    entry = await api.liaison(engagement_id)

    assert entry["officials"] == ["Secretario del Interior Pedro Gómez"]
    assert (await client.get(f"/engagements/{engagement_id}/liaison")).json() == [entry]
    recorded = (await db.outbox())[-1]
    assert recorded.event_type == "multitrack.engagement.liaison_recorded.v1"
    assert recorded.data == {
        "engagement_id": engagement_id,
        "liaison_id": entry["id"],
        "institution": "Gobernación de Bolívar",
        "kind": "briefing",
        "held_on": "2024-05-02",
    }


# --- coverage -------------------------------------------------------------------------------


def partnership(engagement_id: str, **changes: object) -> PartnershipFormed:
    fields: dict[str, object] = {
        "partnership_id": "ps-1",
        "engagement_id": engagement_id,
        "partner_id": "partner-1",
        "role": "host",
        "starts_on": date(2024, 6, 1),
        "partner_name": "Red de Mujeres del Caribe",
        "partner_tracks": [6, 8],
        "partner_is_local": True,
        "partner_women_led": True,
        "formed_at": datetime(2024, 6, 1, tzinfo=UTC),
    }
    return PartnershipFormed.model_validate({**fields, **changes})


async def test_a_new_engagement_is_covered_on_the_inviters_track_only(
    open_engagement: OpenEngagement, client: httpx.AsyncClient
) -> None:
    engagement_id = await open_engagement()

    coverage = (await client.get(f"/engagements/{engagement_id}/coverage")).json()

    assert [t["track"] for t in coverage["tracks"]] == list(range(1, 10))
    assert [t["track"] for t in coverage["tracks"] if t["covered"]] == [4]
    assert coverage["tracks"][3]["sources"]["inviter"] is True
    assert [g["track"] for g in coverage["gaps"]] == [1, 2, 3, 5, 6, 7, 8, 9]
    assert coverage["gaps"][0] == {"track": 1, "label": "Government"}


async def test_coverage_gaps_close_as_parties_activities_and_partners_reach_tracks(
    open_engagement: OpenEngagement,
    api: Api,
    client: httpx.AsyncClient,
    deliver: Deliver,
) -> None:
    engagement_id = await open_engagement()
    await api.analysis(engagement_id)  # tracks 4, 7
    await api.heard(engagement_id, track=1)
    await api.activity(engagement_id, tracks=[5])
    await deliver(partnership(engagement_id))  # tracks 6, 8
    await deliver(
        PartnershipEnded(
            partnership_id="ps-1",
            engagement_id=engagement_id,
            partner_id="partner-1",
            ends_on=date(2025, 6, 1),
            ended_at=datetime(2025, 6, 1, tzinfo=UTC),
        )
    )

    coverage = (await client.get(f"/engagements/{engagement_id}/coverage")).json()

    by_track = {t["track"]: t for t in coverage["tracks"]}
    assert by_track[7]["sources"]["analysis_actors"] == 1
    assert by_track[1]["sources"]["heard_parties"] == 1
    assert by_track[5]["sources"]["activities"] == 1
    assert by_track[8]["sources"]["partners"] == [
        {"partnership_id": "ps-1", "partner_name": "Red de Mujeres del Caribe", "ended": True}
    ]
    assert [g["track"] for g in coverage["gaps"]] == [2, 3, 9]


async def test_gaps_use_the_consortiums_track_labels_and_ignore_older_or_other_changes(
    open_engagement: OpenEngagement, client: httpx.AsyncClient, deliver: Deliver
) -> None:
    engagement_id = await open_engagement()

    def change(code: str, label: str, day: int, kind: str = "track") -> ReferenceChanged:
        return ReferenceChanged(
            key=f"{kind}:{code}",
            kind=kind,
            code=code,
            label=label,
            description="",
            active=True,
            changed_at=datetime(2025, 1, day, tzinfo=UTC),
        )

    await deliver(change("9", "Media and communication", day=5))
    await deliver(change("9", "Public opinion (old wording)", day=2))
    await deliver(change("2", "Mediation professionals", day=1, kind="peacebuilding_kind"))

    gaps = (await client.get(f"/engagements/{engagement_id}/coverage")).json()["gaps"]

    labels = {g["track"]: g["label"] for g in gaps}
    assert labels[9] == "Media and communication"
    assert labels[2] == "Professional conflict resolution"


async def test_records_of_an_unknown_engagement_answer_404(client: httpx.AsyncClient) -> None:
    for path in ("analyses", "analyses/1", "listening", "activities", "liaison", "coverage"):
        response = await client.get(f"/engagements/nope/{path}")
        assert response.status_code == 404, path
        assert response.json()["error"]["fields"][0]["field"] == "engagement_id"
