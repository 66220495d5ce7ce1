"""Other services' events applied on in-memory fakes: an accepted invitation opens one
engagement, whatever the redeliveries; lessons, partnerships and track labels fill the read
models, and each change recomputes the lessons inbox it touches. The ``.v1`` events still on
the topics do the same, and their free text is kept nowhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from multitrack_engagements.application.ports import CONSORTIUM_WIDE, TrackLabel
from multitrack_engagements.application.projections import (
    on_invitation_accepted,
    on_lesson_recorded,
    on_lesson_retired,
    on_lesson_revised,
    on_partnership_ended,
    on_partnership_formed,
    on_reference_changed,
    on_trainer_catalogued,
)
from multitrack_engagements.domain.engagement import Status, engagement_id_for
from multitrack_engagements.domain.lessons import ResponseToLesson
from multitrack_engagements.domain.methods import CataloguedMethod
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_engagements.domain.training import CataloguedTrainer
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.events import engagements as events
from multitrack_shared.events.common import ConflictContext, Ownership, Visibility
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
from multitrack_shared.events.invitations import InvitationAccepted
from multitrack_shared.events.partners import (
    PartnershipEnded,
    PartnershipFormed,
    TrainerCatalogued,
)
from multitrack_shared.events.vocabulary import CatalogueOrigin, Confidence, LessonResponse
from multitrack_shared.testing.superseded import as_replayed

from ..conftest import ACCEPTED_AT, NOW, an_acceptance
from ..fakes import FakeEngagementsUnitOfWork
from .samples import EVERY_LESSON, an_engagement, holding

pytestmark = pytest.mark.unit

RECORDED_AT = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
IN_COLOMBIA = LessonContextV3(countries=["CO"])


def recorded(lesson_id: str = "l-1", **changes: Any) -> LessonRecordedV3:
    fields: dict[str, Any] = {
        "lesson_id": lesson_id,
        "ownership": Ownership(owner_org="imtd"),
        "statement": "Listen first",
        "confidence": Confidence.high,
        "context": IN_COLOMBIA,
        "recorded_at": RECORDED_AT,
    }
    return LessonRecordedV3(**{**fields, **changes})


def revised(revision: int, statement: str) -> LessonRevisedV3:
    return LessonRevisedV3(
        lesson_id="l-1",
        revision=revision,
        statement=statement,
        confidence=Confidence.medium,
        context=IN_COLOMBIA,
        revised_at=RECORDED_AT + timedelta(days=revision),
    )


RETIRED = LessonRetiredV2(lesson_id="l-1", retired_at=NOW)


# --- an accepted invitation opens the engagement ----------------------------------------------


async def test_an_accepted_invitation_opens_its_engagement_and_publishes_the_opening() -> None:
    uow = FakeEngagementsUnitOfWork()
    acceptance = an_acceptance(invitation_id="inv-1", commitment_years=6)

    await uow.consume(on_invitation_accepted, acceptance)

    engagement_id = engagement_id_for("inv-1")
    engagement = await uow.engagements.get(engagement_id)
    assert engagement is not None
    assert (engagement.status, engagement.start_date, engagement.committed_until) == (
        Status.listening,
        date(2024, 2, 29),
        date(2030, 2, 28),
    )
    assert uow.published == [
        events.EngagementOpened(
            engagement_id=engagement_id,
            invitation_id="inv-1",
            ownership=Ownership(owner_org="org-a", visibility=Visibility.consortium),
            conflict=ConflictContext(
                name="Montes de María land conflict",
                country="CO",
                region="Caribbean region",
                conflict_type="land",
                phase="post-agreement",
            ),
            purpose="Dialogue facilitation between land claimants",
            inviter_track=4,
            start_date=date(2024, 2, 29),
            committed_until=date(2030, 2, 28),
            opened_at=ACCEPTED_AT,
        )
    ]


async def test_an_acceptance_delivered_again_opens_nothing_more_and_publishes_nothing() -> None:
    uow = FakeEngagementsUnitOfWork()
    acceptance = an_acceptance(invitation_id="inv-1")
    await uow.consume(on_invitation_accepted, acceptance)
    engagement_id = engagement_id_for("inv-1")
    opened = await uow.engagements.get(engagement_id)
    assert opened is not None
    opened.status = Status.active
    await uow.engagements.save(opened)

    await uow.consume(on_invitation_accepted, acceptance)

    assert len(uow.engagements.engagements) == 1
    assert len(uow.published) == 1
    kept = await uow.engagements.get(engagement_id)
    assert kept is not None
    assert kept.status is Status.active


async def test_an_engagement_opens_briefed_with_the_lessons_already_known() -> None:
    uow = FakeEngagementsUnitOfWork()
    await uow.consume(on_lesson_recorded, recorded())

    await uow.consume(on_invitation_accepted, an_acceptance(invitation_id="inv-1"))

    inbox = await uow.deliveries.of_engagement(engagement_id_for("inv-1"), EVERY_LESSON)
    assert [(d.lesson_id, d.statement) for d in inbox] == [("l-1", "Listen first")]


# --- lessons reach the engagements they match -------------------------------------------------


async def two_engagements() -> FakeEngagementsUnitOfWork:
    """eng-1 in Colombia, listening; eng-closed in Colombia, closed; eng-ke in Kenya."""
    kenya = ConflictDescription("Marsabit grazing conflict", "KE")
    return await holding(
        an_engagement(),
        an_engagement("eng-closed", status=Status.closed),
        an_engagement("eng-ke", conflict=kenya),
    )


async def inboxes(uow: FakeEngagementsUnitOfWork) -> dict[str, list[tuple[str, str, bool]]]:
    return {
        e: [
            (d.lesson_id, d.statement, d.retired)
            for d in await uow.deliveries.of_engagement(e, EVERY_LESSON)
        ]
        for e in ("eng-1", "eng-closed", "eng-ke")
    }


async def test_a_recorded_lesson_reaches_the_open_engagements_it_matches_and_no_other() -> None:
    uow = await two_engagements()

    await uow.consume(on_lesson_recorded, recorded())

    assert await inboxes(uow) == {
        "eng-1": [("l-1", "Listen first", False)],
        "eng-closed": [],
        "eng-ke": [],
    }
    assert uow.published == []


async def test_a_lesson_for_its_owner_only_reaches_no_other_members_engagement() -> None:
    uow = await two_engagements()

    await uow.consume(
        on_lesson_recorded,
        recorded(ownership=Ownership(owner_org="cdr", visibility=Visibility.owner)),
    )

    assert (await inboxes(uow))["eng-1"] == []


async def test_a_revision_replaces_the_wording_in_the_inbox_and_a_stale_one_is_ignored() -> None:
    uow = await two_engagements()
    await uow.consume(on_lesson_recorded, recorded())

    await uow.consume(on_lesson_revised, revised(3, "third"))
    await uow.consume(on_lesson_revised, revised(2, "second"))

    assert (await inboxes(uow))["eng-1"] == [("l-1", "third", False)]
    lesson = await uow.lessons.get("l-1")
    assert lesson is not None
    assert (lesson.revision, lesson.recorded_at) == (3, RECORDED_AT)


async def test_a_retired_lesson_leaves_the_inbox_unless_the_engagement_responded_to_it() -> None:
    uow = await two_engagements()
    await uow.engagements.add(an_engagement("eng-2"))
    await uow.consume(on_lesson_recorded, recorded())
    answer = ResponseToLesson("eng-2", "l-1", LessonResponse.applied, "Done", 1, NOW)
    await uow.responses.add(answer)

    await uow.consume(on_lesson_retired, RETIRED)

    assert (await inboxes(uow))["eng-1"] == []
    kept = await uow.deliveries.of_engagement("eng-2", EVERY_LESSON)
    assert [(d.lesson_id, d.retired) for d in kept] == [("l-1", True)]


async def test_a_retirement_seen_before_the_recording_keeps_the_lesson_out() -> None:
    uow = await two_engagements()

    await uow.consume(on_lesson_retired, RETIRED)
    await uow.consume(on_lesson_recorded, recorded())

    assert (await inboxes(uow))["eng-1"] == []
    lesson = await uow.lessons.get("l-1")
    assert lesson is not None
    assert (lesson.active, lesson.statement) == (False, "Listen first")


# --- partnerships and track labels ------------------------------------------------------------

FORMED = PartnershipFormed(
    partnership_id="ps-1",
    engagement_id="eng-1",
    partner_id="p-1",
    role="co_facilitator",
    starts_on=date(2024, 4, 1),
    ends_on=date(2026, 3, 31),
    partner_name="Red de Mujeres del Caribe",
    partner_tracks=[6],
    partner_is_local=True,
    partner_women_led=True,
    formed_at=NOW,
)
ENDED = PartnershipEnded(
    partnership_id="ps-1",
    engagement_id="eng-1",
    partner_id="p-1",
    ends_on=date(2025, 12, 31),
    ended_at=NOW,
)


@pytest.mark.parametrize("ended_first", [False, True], ids=["formed-first", "ended-first"])
async def test_a_partnership_formed_and_ended_is_the_same_in_either_order(
    ended_first: bool,
) -> None:
    uow = await two_engagements()

    if ended_first:
        await uow.consume(on_partnership_ended, ENDED)
    await uow.consume(on_partnership_formed, FORMED)
    if not ended_first:
        await uow.consume(on_partnership_ended, ENDED)

    assert await uow.partnerships.get("ps-1") == Partnership(
        partnership_id="ps-1",
        engagement_id="eng-1",
        partner_id="p-1",
        partner_name="Red de Mujeres del Caribe",
        tracks=(6,),
        role="co_facilitator",
        starts_on=date(2024, 4, 1),
        ends_on=date(2025, 12, 31),
        ended=True,
    )
    facts = await uow.facts.of(an_engagement())
    assert 6 in facts.tracks
    assert uow.published == []


async def test_a_partnership_reaching_a_track_brings_the_lessons_of_that_track() -> None:
    uow = await two_engagements()
    land_on_track_six = LessonContextV3(conflict_types=["land"], tracks=[6])  # 2 + 1 with track 6
    await uow.consume(on_lesson_recorded, recorded(context=land_on_track_six))
    await uow.consume(
        on_lesson_recorded, recorded("l-ke", context=LessonContextV3(countries=["KE"], tracks=[6]))
    )
    assert (await inboxes(uow))["eng-1"] == []

    await uow.consume(on_partnership_formed, FORMED)

    assert [lesson for lesson, _, _ in (await inboxes(uow))["eng-1"]] == ["l-1"]


async def test_a_track_label_keeps_the_latest_wording_and_ignores_other_kinds() -> None:
    uow = FakeEngagementsUnitOfWork()

    def changed(label: str, days: int, kind: str = "track") -> ReferenceChanged:
        return ReferenceChanged(
            key=f"{kind}:4",
            kind=kind,
            code="4",
            label=label,
            description="Private citizens",
            active=True,
            changed_at=RECORDED_AT + timedelta(days=days),
        )

    await uow.consume(on_reference_changed, changed("Citizens", days=2))
    await uow.consume(on_reference_changed, changed("Older wording", days=1))
    await uow.consume(
        on_reference_changed, changed("Not a track", days=3, kind="standard_procedure")
    )

    assert await uow.track_labels.get("4") == TrackLabel(
        "4", "Citizens", "Private citizens", True, RECORDED_AT + timedelta(days=2)
    )
    assert await uow.track_labels.active_labels() == {"4": "Citizens"}


async def test_the_catalogue_keeps_each_methods_latest_change_and_its_origin() -> None:
    uow = FakeEngagementsUnitOfWork()

    def changed(label: str, days: int, active: bool = True) -> ReferenceChanged:
        return ReferenceChanged(
            key="method:palabreo",
            kind="method",
            code="palabreo",
            label=label,
            description="A community word circle.",
            active=active,
            origin="indigenous",
            changed_at=RECORDED_AT + timedelta(days=days),
        )

    await uow.consume(on_reference_changed, changed("Palabreo", days=2, active=False))
    await uow.consume(on_reference_changed, changed("Older wording", days=1))

    assert await uow.methods.get("palabreo") == CataloguedMethod(
        "palabreo",
        "Palabreo",
        CatalogueOrigin.indigenous,
        active=False,
        changed_at=RECORDED_AT + timedelta(days=2),
    )
    assert await uow.track_labels.get("palabreo") is None


async def test_a_catalogued_trainer_is_kept_by_id_with_whose_it_is() -> None:
    uow = FakeEngagementsUnitOfWork()
    catalogued = TrainerCatalogued(
        trainer_id="trainer-1",
        ownership=Ownership(owner_org="org-a", visibility=Visibility.owner),
        organization="Tejiendo Paz",
        methods=["palabreo"],
        local=True,
        catalogued_at=RECORDED_AT,
    )

    await uow.consume(on_trainer_catalogued, catalogued)
    await uow.consume(on_trainer_catalogued, catalogued)

    assert await uow.trainers.named(["trainer-1", "trainer-2"]) == {
        "trainer-1": CataloguedTrainer("trainer-1", "org-a", "owner", local=True)
    }


# --- the .v1 events still on the topics -------------------------------------------------------

CONFIDED = "Ana Ruiz vouched for the council"


async def test_a_v1_acceptance_opens_the_same_engagement_and_keeps_neither_name_nor_rationale() -> (
    None
):
    acceptance = an_acceptance(invitation_id="inv-1", overridden_criteria=["local_partners"])
    current, replayed = FakeEngagementsUnitOfWork(), FakeEngagementsUnitOfWork()
    v1 = as_replayed(
        acceptance,
        InvitationAccepted,
        inviter={**acceptance.inviter.model_dump(), "name": "Ana Ruiz"},
        rationale=CONFIDED,
        overridden_criteria={"local_partners": CONFIDED},
    )

    await current.consume(on_invitation_accepted, acceptance)
    await replayed.consume(on_invitation_accepted, v1)

    engagement = await replayed.engagements.get(engagement_id_for("inv-1"))
    assert engagement == await current.engagements.get(engagement_id_for("inv-1"))
    assert replayed.published == current.published
    assert "Ana Ruiz" not in repr(engagement) + repr(replayed.published)


async def test_v1_lesson_events_give_the_same_inbox_and_keep_no_evidence() -> None:
    engagement = an_engagement()
    current, replayed = await holding(engagement), await holding(engagement)

    await current.consume(on_lesson_recorded, recorded())
    await current.consume(on_lesson_revised, revised(2, "second"))
    await current.consume(on_lesson_retired, RETIRED)
    await replayed.consume(
        on_lesson_recorded, as_replayed(recorded(), LessonRecorded, evidence=CONFIDED)
    )
    await replayed.consume(
        on_lesson_revised, as_replayed(revised(2, "second"), LessonRevised, evidence=CONFIDED)
    )
    await replayed.consume(on_lesson_retired, as_replayed(RETIRED, LessonRetired, reason=CONFIDED))

    lesson = await replayed.lessons.get("l-1")
    assert lesson == await current.lessons.get("l-1")
    assert await replayed.deliveries.of_engagement(engagement.id, CONSORTIUM_WIDE) == (
        await current.deliveries.of_engagement(engagement.id, CONSORTIUM_WIDE)
    )
    assert "Ana Ruiz" not in repr(lesson)
