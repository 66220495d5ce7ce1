"""Trainings and their follow-ups on in-memory fakes (standards 8 and 10): a training says
what it teaches, who trains and when its trainees are followed up; a follow-up of a training
answers one of those set intervals, after it, among its trainees. Events carry ids, counts
and intervals, never the curriculum; a refusal keeps and publishes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from multitrack_engagements.application.activities import record_activity
from multitrack_engagements.application.ending import RecordFollowUp, record_follow_up
from multitrack_engagements.domain.engagement import Status
from multitrack_engagements.domain.training import (
    CataloguedTrainer,
    Training,
    TrainingLink,
    link_of,
)
from multitrack_shared.errors import DomainError
from multitrack_shared.events import engagements as events

from ..fakes import FakeEngagementsUnitOfWork
from .samples import ACTIVITY, COORDINATOR, ENGAGEMENT, clock, holding, in_status

pytestmark = pytest.mark.unit

CURRICULUM = ("Active listening", "Mediating boundary disputes")
TRAINERS = ("trainer-1", "trainer-2")
TRAINING = replace(
    ACTIVITY,
    kind="training",
    held_on=date(2025, 6, 10),
    designed_locally=True,
    training=Training(CURRICULUM, TRAINERS, (3, 6, 12)),
)
"""Twelve trainees, on 10 June 2025, followed up after 3, 6 and 12 months."""


async def a_training() -> tuple[FakeEngagementsUnitOfWork, str]:
    uow = await holding(in_status(Status.active))
    training = await record_activity(TRAINING, COORDINATOR, uow, clock)
    uow.published.clear()
    return uow, training.id


def follow_up(training_id: str, months: int, held_on: date, reached: int = 10) -> RecordFollowUp:
    return RecordFollowUp(
        ENGAGEMENT, held_on, reached, 7, training=TrainingLink(training_id, months)
    )


async def test_a_training_publishes_its_trainers_and_intervals_but_not_its_curriculum() -> None:
    uow = await holding(in_status(Status.active))

    training = await record_activity(TRAINING, COORDINATOR, uow, clock)

    assert training.training == Training(CURRICULUM, TRAINERS, (3, 6, 12))
    assert training.designed_locally is True
    (event,) = [e for e in uow.published if isinstance(e, events.ActivityRecordedV2)]
    assert event.training == events.TrainingDetails(
        trainer_ids=list(TRAINERS), follow_up_months=[3, 6, 12]
    )
    assert event.designed_locally is True
    assert "Active listening" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("trainers", "refused_at"),
    [
        pytest.param(("trainer-1", "trainer-9"), "training.trainers.1", id="not-catalogued"),
        pytest.param(("org-b-own",), "training.trainers.0", id="another-members-own"),
    ],
)
async def test_a_training_names_trainers_of_the_catalogue_its_organization_sees(
    trainers: tuple[str, ...], refused_at: str
) -> None:
    uow = await holding(in_status(Status.active))
    await uow.trainers.put(CataloguedTrainer("org-b-own", "org-b", "owner", local=True))
    named = replace(TRAINING, training=Training(CURRICULUM, trainers, (3,)))

    with pytest.raises(DomainError) as refused:
        await record_activity(named, COORDINATOR, uow, clock)

    assert (refused.value.code, refused.value.field) == ("unknown_trainer", refused_at)
    assert uow.nothing_committed


@pytest.mark.parametrize(
    ("kind", "training", "code"),
    [
        ("training", None, "training_details_required"),
        ("dialogue", Training(CURRICULUM, TRAINERS, (3,)), "not_a_training"),
    ],
    ids=["training-without-details", "dialogue-with-details"],
)
async def test_only_a_training_has_training_details_and_it_must(
    kind: str, training: Training | None, code: str
) -> None:
    uow = await holding(in_status(Status.active))

    with pytest.raises(DomainError) as refused:
        await record_activity(
            replace(ACTIVITY, kind=kind, training=training), COORDINATOR, uow, clock
        )

    assert (refused.value.code, refused.value.field) == (code, "training")
    assert uow.nothing_committed


@pytest.mark.parametrize(
    ("curriculum", "trainers", "months", "code", "field"),
    [
        ((), TRAINERS, (3,), "required", "training.curriculum"),
        (CURRICULUM, ("t-1", "t-1"), (3,), "trainers_not_distinct", "training.trainers"),
        (CURRICULUM, TRAINERS, (), "required", "training.follow_up_months"),
        (CURRICULUM, TRAINERS, (6, 3), "intervals_not_ascending", "training.follow_up_months"),
        (CURRICULUM, TRAINERS, (3, 3), "intervals_not_ascending", "training.follow_up_months"),
        (CURRICULUM, TRAINERS, (3, 121), "interval_out_of_range", "training.follow_up_months.1"),
    ],
)
def test_a_training_teaches_something_and_sets_its_intervals_once_each_shortest_first(
    curriculum: tuple[str, ...], trainers: tuple[str, ...], months: tuple[int, ...], code: str,
    field: str,
) -> None:  # fmt: skip
    with pytest.raises(DomainError) as refused:
        Training(curriculum, trainers, months)

    assert (refused.value.code, refused.value.field) == (code, field)


async def test_a_follow_up_of_a_training_names_it_and_its_interval_in_the_event() -> None:
    uow, training_id = await a_training()

    kept = await record_follow_up(
        follow_up(training_id, 6, date(2025, 12, 12)), COORDINATOR, uow, clock
    )

    assert kept.training == TrainingLink(training_id, 6)
    (event,) = uow.published
    assert isinstance(event, events.FollowUpRecorded)
    assert (event.training_id, event.months_after, event.using_skills) == (training_id, 6, 7)
    (listed,) = await uow.follow_ups.of_engagement(ENGAGEMENT)
    assert listed.training == TrainingLink(training_id, 6)


@pytest.mark.parametrize(
    ("months", "held_on", "reached", "code", "field"),
    [
        (4, date(2025, 10, 10), 10, "not_a_set_interval", "months_after"),
        (3, date(2025, 6, 9), 10, "before_training", "held_on"),
        (3, date(2025, 9, 10), 13, "more_than_trained", "participants_reached"),
    ],
    ids=["interval-not-set", "before-the-training", "more-than-its-trainees"],
)
async def test_a_follow_up_of_a_training_keeps_to_its_intervals_dates_and_trainees(
    months: int, held_on: date, reached: int, code: str, field: str
) -> None:
    uow, training_id = await a_training()

    with pytest.raises(DomainError) as refused:
        await record_follow_up(
            follow_up(training_id, months, held_on, reached), COORDINATOR, uow, clock
        )

    assert (refused.value.code, refused.value.field) == (code, field)
    assert await uow.follow_ups.of_engagement(ENGAGEMENT) == []
    assert uow.published == []


async def test_a_follow_up_of_an_activity_that_is_no_training_is_refused() -> None:
    uow = await holding(in_status(Status.active))
    dialogue = await record_activity(ACTIVITY, COORDINATOR, uow, clock)

    for training_id in (dialogue.id, "no-such-activity"):
        with pytest.raises(DomainError) as refused:
            await record_follow_up(
                follow_up(training_id, 3, date(2026, 2, 25)), COORDINATOR, uow, clock
            )
        assert (refused.value.code, refused.value.field) == ("unknown_training", "training_id")
    assert await uow.follow_ups.of_engagement(ENGAGEMENT) == []


@pytest.mark.parametrize(
    ("training_id", "months", "field"), [("t-1", None, "months_after"), (None, 3, "training_id")]
)
def test_a_training_and_its_interval_are_named_together(
    training_id: str | None, months: int | None, field: str
) -> None:
    assert link_of(None, None) is None
    assert link_of("t-1", 3) == TrainingLink("t-1", 3)
    with pytest.raises(DomainError) as refused:
        link_of(training_id, months)
    assert (refused.value.code, refused.value.field) == ("training_and_interval", field)
