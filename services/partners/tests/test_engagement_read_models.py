"""The read models built from the engagements service's events, and their rebuild by replay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, insert, select, text

from multitrack_partners.adapters.tables import messaging, metadata
from multitrack_partners.application.projections import on_engagement_opened
from multitrack_partners.bootstrap import PartnersSettings
from multitrack_partners.main import create_app
from multitrack_shared.events.common import ConflictContext, Ownership
from multitrack_shared.events.engagements import (
    EngagementClosed,
    EngagementOpened,
    EngagementStatusChangedV2,
    ParticipantCount,
)
from multitrack_shared.messaging.topics import PARTNER_FEED

MARCH = datetime(2026, 3, 1, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, tzinfo=UTC)


def status_changed(
    to: str, at: datetime, engagement_id: str = "eng-1"
) -> EngagementStatusChangedV2:
    return EngagementStatusChangedV2(
        engagement_id=engagement_id, from_status="listening", to_status=to, changed_at=at
    )


def people(sex: str, role: str, count: int, track: int = 4, side: str | None = None) -> Any:
    return ParticipantCount.model_validate(
        {"sex": sex, "role": role, "track": track, "side": side, "count": count}
    )


async def tallies(db: Any) -> set[tuple[str, str, str, int]]:
    return {(r.activity_id, r.sex, r.role, r.count) for r in await db.rows("activity_participants")}


async def engagement(db: Any, engagement_id: str = "eng-1") -> dict[str, Any]:
    (row,) = [r for r in await db.rows("engagements") if r.engagement_id == engagement_id]
    return dict(row._mapping)


async def test_an_opened_engagement_is_known_with_its_owner_place_track_and_status(
    db: Any, open_engagement: Any
) -> None:
    await open_engagement("eng-1")

    row = await engagement(db)
    assert (row["owner_org"], row["visibility"]) == ("org-a", "consortium")
    assert row["country"] == "CO"
    assert row["region"] == "Caribbean region"
    assert row["inviter_track"] == 4
    assert row["opened_at"].replace(tzinfo=UTC) == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert row["status"] == "listening"


async def test_status_changes_and_closing_keep_the_status(
    db: Any, open_engagement: Any, deliver: Any
) -> None:
    await open_engagement("eng-1")

    await deliver(status_changed("active", MARCH))
    assert (await engagement(db))["status"] == "active"

    await deliver(EngagementClosed(engagement_id="eng-1", early=False, closed_at=APRIL))
    assert (await engagement(db))["status"] == "closed"


async def test_a_status_change_older_than_the_known_one_is_ignored(
    db: Any, open_engagement: Any, deliver: Any
) -> None:
    await open_engagement("eng-1")
    await deliver(status_changed("paused", APRIL))

    await deliver(status_changed("active", MARCH))

    assert (await engagement(db))["status"] == "paused"


async def test_an_opening_delivered_again_keeps_the_status_reached(
    db: Any, open_engagement: Any, deliver: Any
) -> None:
    opened = await open_engagement("eng-1")
    await deliver(status_changed("active", MARCH))

    await deliver(opened)

    assert await db.count("engagements") == 1
    assert (await engagement(db))["status"] == "active"


async def test_a_status_for_an_engagement_never_opened_changes_nothing(
    db: Any, deliver: Any
) -> None:
    await deliver(status_changed("active", MARCH, engagement_id="unknown"))

    assert await db.count("engagements") == 0


async def test_applying_events_publishes_nothing_but_their_copies_on_the_partner_feed(
    db: Any, open_engagement: Any, deliver: Any
) -> None:
    await open_engagement("eng-1")
    await deliver(status_changed("active", MARCH))

    assert [row.topic for row in await db.outbox()] == [PARTNER_FEED.name] * 2


async def test_an_activity_keeps_its_tracks_its_local_lead_and_counts_by_sex_and_role(
    db: Any, record_activity: Any
) -> None:
    await record_activity(
        "act-1",
        tracks=[7, 4, 7],
        led_locally=False,
        participants=[
            people("female", "participant", 5, track=4, side="returnees"),
            people("female", "participant", 3, track=7, side="claimants"),
            people("male", "participant", 6),
            people("female", "facilitator", 1),
        ],
    )

    (activity,) = await db.rows("engagement_activities")
    assert activity.engagement_id == "eng-1"
    assert activity.tracks == [4, 7]
    assert activity.led_locally is False
    assert await tallies(db) == {
        ("act-1", "female", "participant", 8),
        ("act-1", "male", "participant", 6),
        ("act-1", "female", "facilitator", 1),
    }


async def test_an_activity_recorded_again_replaces_its_counts_instead_of_adding_to_them(
    db: Any, record_activity: Any
) -> None:
    await record_activity("act-1", participants=[people("female", "participant", 5)])

    await record_activity("act-1", led_locally=False, participants=[people("male", "observer", 2)])

    assert await db.count("engagement_activities") == 1
    assert (await db.rows("engagement_activities"))[0].led_locally is False
    assert await tallies(db) == {("act-1", "male", "observer", 2)}


async def test_replaying_every_event_into_emptied_read_models_rebuilds_the_same_answers(
    app: FastAPI,
    client: Any,
    db: Any,
    open_engagement: Any,
    record_activity: Any,
    deliver: Any,
    register: Any,
) -> None:
    history = [
        await open_engagement("eng-1"),
        await open_engagement("eng-2", ownership={"owner_org": "org-b"}),
        await record_activity("act-1", participants=[people("female", "participant", 5)]),
        await record_activity("act-2", "eng-2", participants=[people("male", "delegate", 2)]),
    ]
    for event in (status_changed("active", MARCH), status_changed("paused", APRIL)):
        await deliver(event)
        history.append(event)
    partner = await register()
    formed = await client.post(
        "/partnerships",
        json={
            "partner_id": partner["id"],
            "engagement_id": "eng-1",
            "role": "host",
            "starts_on": "2026-04-01",
        },
    )
    assert formed.status_code == 201
    read_models = ("engagements", "engagement_activities", "activity_participants")

    async def answers() -> Any:
        suggested = await client.get("/engagements/eng-1/suggested-partners")
        inclusion = await client.get("/inclusion")
        assert (suggested.status_code, inclusion.status_code) == (200, 200)
        return suggested.json(), inclusion.json()

    before = {name: sorted(await db.rows(name)) for name in read_models}
    owned, answered = await db.snapshot(), await answers()
    assert answered[1]["engagements"] == 2
    assert answered[1]["participants"]["total"] == 7

    await app.state.runtime.rebuild_read_models()
    assert [await db.count(name) for name in read_models] == [0, 0, 0]
    for event in history:
        await deliver(event)

    assert {name: sorted(await db.rows(name)) for name in read_models} == before
    # Replayed here under new event ids, the events are copied to the partner feed again (a
    # replay from the topics keeps their ids, and forwarding skips what it passed on).
    assert without_feed_copies(await db.snapshot()) == without_feed_copies(owned)
    assert await answers() == answered


async def test_a_read_model_dropped_while_stopped_is_rebuilt_at_start_and_owned_records_stay(
    settings: PartnersSettings, admin: httpx.Auth
) -> None:
    opened = EngagementOpened(
        engagement_id="eng-1",
        invitation_id="inv-1",
        ownership=Ownership(owner_org="org-a"),
        conflict=ConflictContext(name="Montes de María land conflict", country="CO"),
        inviter_track=4,
        start_date=date(2026, 1, 5),
        committed_until=date(2031, 1, 5),
        opened_at=MARCH,
    )
    first = create_app(settings)
    async with first.router.lifespan_context(first):
        runtime = first.state.runtime
        async with runtime.new_uow() as uow:
            await on_engagement_opened(opened, uow)
            await uow.session.exec(
                insert(messaging.inbox).values(
                    event_id="e-1",
                    event_type=opened.event_type,
                    topic="multitrack.engagements.v1",
                    partition=0,
                    offset=0,
                    applied_at=MARCH,
                )
            )
            await uow.commit()
        transport = httpx.ASGITransport(app=first)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://partners", auth=admin
        ) as client:
            joined = await client.post("/members", json={"name": "IMTD", "roles": ["lead"]})
            assert joined.status_code == 201
        async with runtime.engine.begin() as connection:
            await connection.execute(text("DROP TABLE engagement_activities"))

    second = create_app(settings)
    async with second.router.lifespan_context(second):
        engine = second.state.runtime.engine

        async def count(table: Any) -> int:
            async with engine.connect() as connection:
                query = select(func.count()).select_from(table)
                return int((await connection.execute(query)).scalar())

        assert await count(metadata.tables["engagement_activities"]) == 0
        assert await count(metadata.tables["engagements"]) == 0
        assert await count(messaging.inbox) == 0
        assert await count(metadata.tables["members"]) == 1
        assert second.state.runtime.consumer.replay_from_beginning


def without_feed_copies(snapshot: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        **snapshot,
        "outbox": [row for row in snapshot["outbox"] if row.topic != PARTNER_FEED.name],
    }
