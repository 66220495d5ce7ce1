"""Lessons reaching engagements: deliveries recomputed on every lesson event and every change
of an engagement's context, the briefing at opening, the inbox, responses, and a replay of
every event rebuilding exactly the same answers, from the current events or from the ``.v1``
ones still on the topics (whose free text is kept nowhere)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event as sql_event

from multitrack_engagements.domain.engagement import engagement_id_for
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
from multitrack_shared.events.envelope import IntegrationEvent
from multitrack_shared.events.evaluation import (
    LessonContextV3,
    LessonRecorded,
    LessonRecordedV3,
    LessonRetired,
    LessonRetiredV2,
    LessonRevised,
    LessonRevisedV3,
    ReferenceChanged,
)
from multitrack_shared.events.invitations import InvitationAccepted, InvitationAcceptedV2
from multitrack_shared.events.partners import PartnershipEnded
from multitrack_shared.events.vocabulary import Confidence
from multitrack_shared.testing.superseded import as_superseded

from .conftest import (
    METHOD_CATALOGUE,
    Api,
    Database,
    Deliver,
    DeliverTogether,
    OpenEngagement,
    partnership_formed,
)

BEFORE_OPENING = datetime(2023, 11, 1, tzinfo=UTC)
AFTER_OPENING = datetime(2025, 6, 1, tzinfo=UTC)
RESPONDED = "multitrack.engagement.lesson_responded.v2"

COLOMBIA_LAND = LessonContextV3(countries=["CO"], conflict_types=["land"])
KENYA = LessonContextV3(countries=["KE"], conflict_types=["land"])
NEEDS_AN_ACTIVITY = LessonContextV3(
    tracks=[5], methods=["palabreo"], peacebuilding_kinds=["social"]
)  # 3 points, no place: reaches only once such an activity is recorded
NEEDS_A_PARTNER = LessonContextV3(conflict_types=["land"], tracks=[6])  # 2 + 1, a track-6 partner


def recorded(
    lesson_id: str = "lesson-1",
    context: LessonContextV3 = COLOMBIA_LAND,
    at: datetime = BEFORE_OPENING,
    statement: str = "Hold dialogues on neutral ground.",
) -> LessonRecordedV3:
    return LessonRecordedV3(
        lesson_id=lesson_id,
        ownership=Ownership(owner_org="imtd"),
        statement=statement,
        confidence=Confidence.high,
        context=context,
        recorded_at=at,
    )


def revised(
    lesson_id: str = "lesson-1",
    context: LessonContextV3 = COLOMBIA_LAND,
    revision: int = 2,
    statement: str = "Hold dialogues on ground both sides call neutral.",
) -> LessonRevisedV3:
    return LessonRevisedV3(
        lesson_id=lesson_id,
        revision=revision,
        statement=statement,
        confidence=Confidence.medium,
        context=context,
        revised_at=datetime(2025, 9, 1, tzinfo=UTC),
    )


def retired(lesson_id: str = "lesson-1") -> LessonRetiredV2:
    return LessonRetiredV2(lesson_id=lesson_id, retired_at=datetime(2025, 10, 1, tzinfo=UTC))


Inbox = Callable[..., Any]


@pytest.fixture
def inbox(client: httpx.AsyncClient) -> Callable[..., Any]:
    async def read(engagement_id: str, what: str = "lessons") -> list[dict[str, Any]]:
        response = await client.get(f"/engagements/{engagement_id}/{what}")
        assert response.status_code == 200, response.text
        body: list[dict[str, Any]] = response.json()
        return body

    return read


async def respond(
    client: httpx.AsyncClient, engagement_id: str, lesson_id: str = "lesson-1", **body: Any
) -> httpx.Response:
    return await client.post(
        f"/engagements/{engagement_id}/lessons/{lesson_id}/response",
        json={"response": "adapted", "why": "Chosen with the elders.", **body},
    )


# --- delivery on record, revise, retire -----------------------------------------------------


async def test_a_recorded_lesson_reaches_the_engagements_whose_context_matches(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    colombia = await open_engagement()
    kenya = await open_engagement(conflict=ConflictContext(name="Rift Valley", country="KE"))

    await deliver(recorded())

    (delivery,) = await inbox(colombia)
    assert delivery["lesson_id"] == "lesson-1"
    assert delivery["statement"] == "Hold dialogues on neutral ground."
    assert delivery["score"] == 5
    assert delivery["relevance"] == 1.0
    assert delivery["reasons"] == ["same country: CO", "same conflict type: land"]
    assert (delivery["reaches"], delivery["retired"], delivery["response"]) == (True, False, None)
    assert await inbox(kenya) == []


async def test_an_owner_only_lesson_reaches_only_its_owners_engagements(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    ours = await open_engagement()
    theirs = await open_engagement(ownership=Ownership(owner_org="org-b"))
    private = recorded().model_copy(
        update={"ownership": Ownership(owner_org="org-a", visibility=Visibility.owner)}
    )

    await deliver(private)

    assert [d["lesson_id"] for d in await inbox(ours)] == ["lesson-1"]
    assert await inbox(theirs) == []


async def test_a_revised_lesson_updates_its_delivery_and_an_old_revision_never_wins(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded())

    await deliver(revised(revision=3, statement="Third wording."))
    await deliver(revised(revision=2, statement="Second wording, late."))

    (delivery,) = await inbox(engagement_id)
    assert delivery["revision"] == 3
    assert delivery["statement"] == "Third wording."
    assert delivery["confidence"] == "medium"


async def test_a_lesson_recorded_revised_and_retired_in_one_poll_ends_as_its_last_event_left_it(
    open_engagement: OpenEngagement, deliver_together: DeliverTogether, inbox: Inbox
) -> None:
    """One poll's records share a transaction: each handler reads what the one before wrote."""
    engagement_id = await open_engagement()

    await deliver_together([recorded(), revised(revision=2), recorded("lesson-2")])
    delivered = {d["lesson_id"]: d for d in await inbox(engagement_id)}
    assert delivered["lesson-1"]["revision"] == 2
    assert delivered["lesson-1"]["statement"] == "Hold dialogues on ground both sides call neutral."
    assert delivered["lesson-2"]["revision"] == 1

    await deliver_together([revised("lesson-2", revision=2), retired("lesson-2")])
    assert [d["lesson_id"] for d in await inbox(engagement_id)] == ["lesson-1"]


async def test_a_lesson_revised_out_of_reach_leaves_the_inbox_unless_already_responded(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, client: httpx.AsyncClient
) -> None:
    quiet = await open_engagement()
    answered = await open_engagement()
    await deliver(recorded())
    assert (await respond(client, answered)).status_code == 201

    await deliver(revised(context=KENYA))

    assert await inbox(quiet) == []
    (kept,) = await inbox(answered)
    assert kept["revision"] == 2
    assert kept["reaches"] is False
    assert kept["response"]["response"] == "adapted"
    assert kept["response"]["revision"] == 1


async def test_a_retired_lesson_leaves_the_inbox_unless_responded_then_shows_retired(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, client: httpx.AsyncClient
) -> None:
    quiet = await open_engagement()
    answered = await open_engagement()
    await deliver(recorded())
    assert (await respond(client, answered, response="rejected")).status_code == 201

    await deliver(retired())

    assert await inbox(quiet) == []
    (kept,) = await inbox(answered)
    assert kept["retired"] is True
    assert kept["response"]["response"] == "rejected"


async def test_a_retirement_seen_before_its_recording_keeps_the_lesson_out(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    engagement_id = await open_engagement()

    await deliver(retired())
    await deliver(recorded())
    await deliver(revised())

    assert await inbox(engagement_id) == []


# --- a constant number of statements, however many engagements -----------------------------


MESSAGING_TABLES = re.compile(r"\b(outbox|inbox|idempotency_keys)\b")


@contextmanager
def statements_run(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the service's engine sends while the block runs (an executemany
    counts once, as it is one statement), but those on the messaging tables, which the relay,
    the health probe and the pruning may send meanwhile (a lesson publishes nothing)."""
    seen: list[str] = []
    engine = app.state.runtime.engine.sync_engine

    def note(*args: Any) -> None:
        statement: str = args[2]  # (connection, cursor, statement, parameters, context, many)
        if not MESSAGING_TABLES.search(statement):
            seen.append(statement)

    sql_event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sql_event.remove(engine, "before_cursor_execute", note)


async def test_a_lesson_reaches_many_engagements_in_as_many_statements_as_it_reaches_one(
    app: FastAPI, open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, db: Database
) -> None:
    first = await open_engagement()
    with statements_run(app) as for_one:
        await deliver(recorded("lesson-1"))
    colombia = [first, *[await open_engagement() for _ in range(7)]]
    kenya = [
        await open_engagement(conflict=ConflictContext(name="Rift Valley", country="KE"))
        for _ in range(3)
    ]

    with statements_run(app) as for_eight:
        await deliver(recorded("lesson-2"))

    assert len(for_eight) == len(for_one)
    for engagement_id in colombia:
        assert {d["lesson_id"] for d in await inbox(engagement_id)} >= {"lesson-2"}
    for engagement_id in kenya:
        assert await inbox(engagement_id) == []
    assert (
        await db.count("lesson_deliveries") == 2 * 8
    )  # lesson-1 reached the later ones on opening


async def test_a_lesson_delivered_again_replaces_its_deliveries_and_adds_none(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, db: Database
) -> None:
    engagements = [await open_engagement() for _ in range(3)]
    await deliver(recorded())
    before = await db.rows("lesson_deliveries")

    await deliver(recorded())
    await deliver(revised())
    await deliver(revised())

    assert await db.count("lesson_deliveries") == len(before) == 3
    for engagement_id in engagements:
        (delivery,) = await inbox(engagement_id)
        assert (delivery["lesson_id"], delivery["revision"]) == ("lesson-1", 2)


async def test_opening_an_engagement_reads_none_of_the_records_it_cannot_have_yet(
    app: FastAPI, acceptance: Callable[..., InvitationAcceptedV2], deliver: Deliver, inbox: Inbox
) -> None:
    await deliver(recorded())
    opening = acceptance()

    with statements_run(app) as run:
        await deliver(opening)

    said = " ".join(run).lower()
    for table in ("analyses", "heard_parties", "activities", "delete from lesson_deliveries"):
        assert table not in said
    assert [d["lesson_id"] for d in await inbox(engagement_id_for(opening.invitation_id))] == [
        "lesson-1"
    ]


# --- delivery on a change of the engagement's context ---------------------------------------


async def test_a_lesson_recorded_before_the_engagement_opened_reaches_it_on_opening(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    await deliver(recorded())

    engagement_id = await open_engagement()

    assert [d["lesson_id"] for d in await inbox(engagement_id)] == ["lesson-1"]


async def test_an_activity_that_brings_the_lessons_method_and_track_delivers_it(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, api: Api
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded(context=NEEDS_AN_ACTIVITY))
    before = await inbox(engagement_id)

    await api.activity(engagement_id, tracks=[5], methods=[{"code": "palabreo"}])

    assert before == []
    (delivery,) = await inbox(engagement_id)
    assert delivery["score"] == 3
    assert delivery["reasons"] == [
        "same tracks: 5",
        "same methods: palabreo",
        "same peacebuilding kinds: social",
    ]


@pytest.mark.parametrize("how", ["analysis", "listening"])
async def test_tracks_from_the_analysis_or_the_ledger_deliver_a_track_lesson(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, api: Api, how: str
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded(context=LessonContextV3(conflict_types=["land"], tracks=[9])))

    if how == "analysis":
        await api.analysis(engagement_id, actors=[{"name": "Radio", "side": "media",
                                                   "track": 9, "role": "stakeholder"}])  # fmt: skip
    else:
        await api.heard(engagement_id, track=9)

    assert [d["lesson_id"] for d in await inbox(engagement_id)] == ["lesson-1"]


async def test_a_partnership_on_the_lessons_track_delivers_it_even_once_ended(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded(context=NEEDS_A_PARTNER))

    await deliver(partnership_formed(engagement_id, tracks=[6]))
    after_forming = await inbox(engagement_id)
    await deliver(
        PartnershipEnded(
            partnership_id="ps-1",
            engagement_id=engagement_id,
            partner_id="partner-1",
            ends_on=date(2025, 1, 1),
            ended_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )

    assert [d["lesson_id"] for d in after_forming] == ["lesson-1"]
    assert [d["lesson_id"] for d in await inbox(engagement_id)] == ["lesson-1"]


async def test_closing_an_engagement_empties_its_inbox_but_keeps_responded_lessons(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    inbox: Inbox,
    api: Api,
    client: httpx.AsyncClient,
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded("lesson-1"))
    await deliver(recorded("lesson-2"))
    await respond(client, engagement_id, "lesson-2")
    await api.active(engagement_id)
    await api.status(engagement_id, "closing", reason="participants_request")
    still_closing = await inbox(engagement_id)

    await api.close(engagement_id)
    await deliver(recorded("lesson-3"))

    assert {d["lesson_id"] for d in still_closing} == {"lesson-1", "lesson-2"}
    assert [d["lesson_id"] for d in await inbox(engagement_id)] == ["lesson-2"]


# --- briefing and inbox ---------------------------------------------------------------------


async def test_the_briefing_holds_the_lessons_recorded_by_the_opening_and_the_inbox_all(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    await deliver(recorded("early", at=BEFORE_OPENING))
    engagement_id = await open_engagement()
    await deliver(recorded("late", at=AFTER_OPENING))

    briefing = await inbox(engagement_id, "briefing")
    lessons = await inbox(engagement_id)

    assert [d["lesson_id"] for d in briefing] == ["early"]
    assert {d["lesson_id"] for d in lessons} == {"early", "late"}


async def test_the_inbox_is_ranked_by_score_then_relevance(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded("country-only", context=LessonContextV3(countries=["CO"])))
    await deliver(recorded("country-and-type", context=COLOMBIA_LAND))
    await deliver(
        recorded("country-type-phase", context=LessonContextV3(
            countries=["CO"], conflict_types=["land"], phases=["post-agreement"]))
    )  # fmt: skip
    await deliver(
        recorded("country-and-wrong-type", context=LessonContextV3(
            countries=["CO"], conflict_types=["resource"]))
    )  # fmt: skip

    ranked = [(d["lesson_id"], d["score"]) for d in await inbox(engagement_id)]

    assert ranked == [
        ("country-type-phase", 6),
        ("country-and-type", 5),
        ("country-only", 3),
        ("country-and-wrong-type", 3),
    ]


# --- responses ------------------------------------------------------------------------------


async def test_responding_to_a_delivered_lesson_stores_it_and_publishes_lesson_responded(
    open_engagement: OpenEngagement, deliver: Deliver, inbox: Inbox, client: httpx.AsyncClient,
    db: Database,
) -> None:  # fmt: skip
    engagement_id = await open_engagement()
    await deliver(recorded())

    response = await respond(client, engagement_id, response="applied", why="Used in March.")

    assert response.status_code == 201, response.text
    assert response.json()["response"]["response"] == "applied"
    (delivery,) = await inbox(engagement_id)
    assert delivery["response"] == {
        "response": "applied",
        "why": "Used in March.",
        "revision": 1,
        "responded_at": "2026-03-02T09:30:00Z",
    }
    published = (await db.outbox())[-1]
    assert published.event_type == RESPONDED
    assert published.message_key == engagement_id
    assert published.data == {
        "engagement_id": engagement_id,
        "lesson_id": "lesson-1",
        "response": "applied",
        "responded_at": "2026-03-02T09:30:00Z",
    }  # why stays here, where the engagement's coordinators wrote it


async def test_responding_twice_answers_409_and_keeps_the_first_response(
    open_engagement: OpenEngagement, deliver: Deliver, client: httpx.AsyncClient, db: Database
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded())
    await respond(client, engagement_id, response="applied")
    before = await db.snapshot()

    again = await respond(client, engagement_id, response="rejected")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_responded"
    assert await db.snapshot() == before


@pytest.mark.parametrize("lesson_id", ["lesson-for-kenya", "retired-lesson", "never-heard-of"])
async def test_responding_to_a_lesson_not_in_the_inbox_answers_404_naming_it(
    open_engagement: OpenEngagement,
    deliver: Deliver,
    client: httpx.AsyncClient,
    db: Database,
    lesson_id: str,
) -> None:
    engagement_id = await open_engagement()
    await deliver(recorded("lesson-for-kenya", context=KENYA))
    await deliver(recorded("retired-lesson"))
    await deliver(retired("retired-lesson"))
    before = await db.snapshot()

    response = await respond(client, engagement_id, lesson_id)

    assert response.status_code == 404
    assert response.json()["error"]["fields"][0]["field"] == "lesson_id"
    assert await db.snapshot() == before


async def test_lessons_of_an_unknown_engagement_answer_404(client: httpx.AsyncClient) -> None:
    for path in ("lessons", "briefing"):
        response = await client.get(f"/engagements/nope/{path}")
        assert response.status_code == 404
    responded = await respond(client, "nope")
    assert responded.status_code == 404
    assert responded.json()["error"]["fields"][0]["field"] == "engagement_id"


# --- replay ---------------------------------------------------------------------------------


async def answers(client: httpx.AsyncClient, engagement_ids: list[str]) -> dict[str, Any]:
    """Every read the read models feed, for every engagement."""
    found: dict[str, Any] = {}
    for engagement_id in engagement_ids:
        for what in ("lessons", "briefing", "coverage", ""):
            path = f"/engagements/{engagement_id}/{what}".rstrip("/")
            found[path] = (await client.get(path)).json()
    return found


V1_TEXT = "Ana Ruiz told us so in confidence."
V1_NAME = "Ana Ruiz"


def as_v1(event: IntegrationEvent) -> IntegrationEvent:
    """``event`` as its ``.v1`` carried it, with the text that no longer travels."""
    if isinstance(event, InvitationAcceptedV2):
        inviter = {**event.inviter.model_dump(), "name": V1_NAME}
        return as_superseded(
            event, InvitationAccepted, inviter=inviter, rationale=V1_TEXT, overridden_criteria={}
        )
    if isinstance(event, LessonRecordedV3):
        return as_superseded(event, LessonRecorded, evidence=V1_TEXT)
    if isinstance(event, LessonRevisedV3):
        return as_superseded(event, LessonRevised, evidence=V1_TEXT)
    if isinstance(event, LessonRetiredV2):
        return as_superseded(event, LessonRetired, reason=V1_TEXT)
    return event


@pytest.mark.parametrize("replayed", [lambda e: e, as_v1], ids=["current", "as-v1"])
async def test_replaying_every_event_after_a_rebuild_gives_the_same_answers_and_publishes_nothing(
    replayed: Callable[[IntegrationEvent], IntegrationEvent],
    app: FastAPI,
    acceptance: Callable[..., InvitationAcceptedV2],
    deliver: Deliver,
    api: Api,
    client: httpx.AsyncClient,
    db: Database,
) -> None:
    colombia = acceptance()
    kenya = acceptance(conflict=ConflictContext(name="Rift Valley", country="KE"))
    history: list[IntegrationEvent] = [
        *METHOD_CATALOGUE,
        recorded("early"),
        colombia,
        kenya,
        recorded("late", context=NEEDS_AN_ACTIVITY, at=AFTER_OPENING),
        recorded("kenyan", context=KENYA),
        recorded("partnered", context=NEEDS_A_PARTNER),
        recorded("to-retire"),
        ReferenceChanged(key="track:9", kind="track", code="9", label="Media",
                         description="", active=True, changed_at=AFTER_OPENING),
    ]  # fmt: skip
    for event in history:
        await deliver(event)
    ids = [e["id"] for e in (await client.get("/engagements")).json()]
    search = await client.get("/engagements", params={"country": "CO"})
    (colombia_id,) = [e["id"] for e in search.json()]
    await api.activity(colombia_id, tracks=[5], methods=[{"code": "palabreo"}])
    await respond(client, colombia_id, "to-retire")
    later: list[IntegrationEvent] = [
        partnership_formed(colombia_id, tracks=[6]),
        revised("early", revision=2, statement="Reworded."),
        retired("to-retire"),
    ]
    for event in later:
        await deliver(event)
    before = await answers(client, ids)
    owned_before = await db.snapshot()

    await app.state.runtime.rebuild_read_models()
    assert await db.count("lesson_deliveries") == await db.count("partner_tracks") == 0
    for event in reversed(history + later):  # the worst order: every lesson's events backwards
        await deliver(replayed(event))

    assert await answers(client, ids) == before
    assert await db.snapshot() == owned_before
    kept = [await db.rows(t) for t in ("engagements", "lessons", "lesson_deliveries")]
    assert V1_NAME not in repr(kept)
    assert before[f"/engagements/{colombia_id}/lessons"] != []
