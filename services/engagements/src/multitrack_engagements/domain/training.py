"""Trainings (standards 8 and 10): an activity of kind ``training`` says what it teaches, who
trains (trainers of the consortium's catalogue, by id: their names are personal and stay in
the service that keeps them), and at which set intervals its trainees are followed up.

A follow-up of a training names the training and the interval it answers, so the share of
trainees using the skills can be told interval by interval, and over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from multitrack_shared.auth.policy import Scope
from multitrack_shared.errors import DomainError

TRAINING = "training"
LONGEST_INTERVAL_MONTHS = 120


@dataclass(frozen=True)
class Training:
    curriculum: tuple[str, ...]
    """The topics taught, in order."""
    trainers: tuple[str, ...]
    """Ids of the trainers of the consortium's catalogue who trained."""
    follow_up_months: tuple[int, ...]
    """The set intervals, in months after the training, at which trainees are followed up."""

    def __post_init__(self) -> None:
        if not self.curriculum:
            raise DomainError(
                "a training's curriculum names at least one topic",
                field="training.curriculum",
                code="required",
            )
        if len(set(self.trainers)) != len(self.trainers):
            raise DomainError(
                "each trainer once", field="training.trainers", code="trainers_not_distinct"
            )
        _check_intervals(self.follow_up_months)


def _check_intervals(months: tuple[int, ...]) -> None:
    if not months:
        raise DomainError(
            "a training sets at least one follow-up interval",
            field="training.follow_up_months",
            code="required",
        )
    for i, interval in enumerate(months):
        if not 1 <= interval <= LONGEST_INTERVAL_MONTHS:
            raise DomainError(
                f"a follow-up interval is 1 to {LONGEST_INTERVAL_MONTHS} months",
                field=f"training.follow_up_months.{i}",
                code="interval_out_of_range",
            )
    if list(months) != sorted(set(months)):
        raise DomainError(
            "follow-up intervals are given once each, shortest first",
            field="training.follow_up_months",
            code="intervals_not_ascending",
        )


@dataclass(frozen=True)
class CataloguedTrainer:
    """A trainer of the consortium's catalogue, as the partners service publishes it: by id,
    never by name."""

    trainer_id: str
    owner_org: str
    visibility: str
    local: bool


def check_trainers(
    training: Training, catalogue: Mapping[str, CataloguedTrainer], engagement_owner: str
) -> None:
    """A training names trainers of the catalogue that the engagement's organization sees."""
    seen_by_owner = Scope(engagement_owner)
    for i, trainer_id in enumerate(training.trainers):
        trainer = catalogue.get(trainer_id)
        if trainer is None or not seen_by_owner.admits(trainer.owner_org, trainer.visibility):
            raise DomainError(
                f"{trainer_id!r} is not a trainer of the consortium's catalogue",
                field=f"training.trainers.{i}",
                code="unknown_trainer",
            )


def require_training_details(kind: str, training: Training | None) -> None:
    """A training says what it teaches; no other kind of activity carries those details."""
    if kind == TRAINING and training is None:
        raise DomainError(
            "a training records its curriculum, trainers and follow-up intervals",
            field="training",
            code="training_details_required",
        )
    if kind != TRAINING and training is not None:
        raise DomainError(
            f"only an activity of kind {TRAINING} has training details",
            field="training",
            code="not_a_training",
        )


@dataclass(frozen=True)
class TrainingLink:
    """What a follow-up answers: the interval ``months_after`` of the training ``training_id``."""

    training_id: str
    months_after: int


def link_of(training_id: str | None, months_after: int | None) -> TrainingLink | None:
    """The training a follow-up answers, named with its interval, or none at all."""
    if training_id is None and months_after is None:
        return None
    if training_id is None or months_after is None:
        missing = "training_id" if training_id is None else "months_after"
        raise DomainError(
            "a follow-up of a training names the training and the interval it answers",
            field=missing,
            code="training_and_interval",
        )
    return TrainingLink(training_id, months_after)


def check_follow_up_of(
    link: TrainingLink,
    training: Training,
    held_on: date,
    trained_on: date,
    trainees: int,
    reached: int,
) -> None:
    """A follow-up of a training answers one of its set intervals, after it, among its
    trainees."""
    if link.months_after not in training.follow_up_months:
        sets = ", ".join(str(m) for m in training.follow_up_months)
        raise DomainError(
            f"the training sets follow-ups at {sets} months, not {link.months_after}",
            field="months_after",
            code="not_a_set_interval",
        )
    if held_on < trained_on:
        raise DomainError(
            f"a follow-up of the training comes after it ({trained_on})",
            field="held_on",
            code="before_training",
        )
    if reached > trainees:
        raise DomainError(
            f"{reached} reached, but the training counted {trainees} trainees",
            field="participants_reached",
            code="more_than_trained",
        )
