"""What the engagements unit tests start from: the clock, the caller, an engagement opened from
an accepted invitation, and the records it keeps, as its repositories would hold them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from multitrack_engagements.application.activities import RecordActivity
from multitrack_engagements.application.analyses import RecordAnalysis
from multitrack_engagements.application.liaison import RecordLiaison
from multitrack_engagements.application.listening import RecordHeard
from multitrack_engagements.domain.activities import DoNoHarm, Facilitator, ParticipantCount
from multitrack_engagements.domain.analysis import Actor, ActorRole, ConflictAnalysis
from multitrack_engagements.domain.ending import Ending, ExitPlan
from multitrack_engagements.domain.engagement import (
    ClosingReason,
    Engagement,
    Status,
    StatusChange,
)
from multitrack_engagements.domain.lessons import Lesson
from multitrack_engagements.domain.listening import HeardParty
from multitrack_engagements.domain.methods import CataloguedMethod
from multitrack_engagements.domain.training import CataloguedTrainer
from multitrack_shared.auth.policy import Scope
from multitrack_shared.auth.principal import Role
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.events.vocabulary import (
    CatalogueOrigin,
    ParticipantRole,
    RppQuadrant,
    Sex,
)
from multitrack_shared.matching import LessonScope
from multitrack_shared.testing.principals import acting_for
from multitrack_shared.testing.samples import invitation_body

from ..conftest import ACCEPTED_AT, NOW
from ..fakes import FakeEngagementsUnitOfWork

ENGAGEMENT = "eng-1"
OWNER = "org-a"
"""The organization that owns the sample engagements and lessons."""
COORDINATOR = acting_for(OWNER, Role.coordinator)
"""The caller of the use cases, unless a test is about another."""
EVERY_LESSON = Scope(None, everything=True)
"""What the deliveries read model holds, whoever may see it."""
CONFLICT = ConflictDescription(**invitation_body()["conflict"])
"""Montes de María land conflict, CO, Caribbean region, land, post-agreement."""


def clock() -> datetime:
    return NOW


def an_engagement(engagement_id: str = ENGAGEMENT, **changes: Any) -> Engagement:
    """Opened on 29 February 2024, committed until 28 February 2029, still listening."""
    engagement = Engagement(
        id=engagement_id,
        invitation_id=f"inv-of-{engagement_id}",
        owner_org=OWNER,
        visibility="consortium",
        purpose="Dialogue between land claimants and returning families",
        conflict=CONFLICT,
        inviter_track=4,
        start_date=ACCEPTED_AT.date(),
        committed_until=date(2029, 2, 28),
        opened_at=ACCEPTED_AT,
    )
    return replace(engagement, **changes)


def an_analysis(version: int = 1, engagement_id: str = ENGAGEMENT) -> ConflictAnalysis:
    """Two sides: land claimants and returning families; actors on tracks 4 and 7."""
    return ConflictAnalysis(
        engagement_id=engagement_id,
        version=version,
        analysed_on=date(2024, 3, 15),
        participants=("María Pérez",),
        actors=(
            Actor("Asociación de Campesinos", "land claimants", 4, ActorRole.party),
            Actor("Familias retornadas", "returning families", 4, ActorRole.party),
            Actor("Diócesis de Sincelejo", "Returning Families", 7, ActorRole.capacity_for_peace),
        ),
        causes=("Unresolved land titles",),
        dividers=("Competing land claims",),
        connectors=("Shared market town",),
        recorded_at=ACCEPTED_AT,
    )


ANALYSIS = RecordAnalysis(
    engagement_id=ENGAGEMENT,
    analysed_on=date(2024, 3, 15),
    participants=("María Pérez",),
    actors=an_analysis().actors,
    causes=("Unresolved land titles",),
    dividers=("Competing land claims", "Memories of displacement"),
    connectors=("Shared market town",),
)
HEARD = RecordHeard(
    ENGAGEMENT, "Rosa Villa", "land claimants", 4, ("Titles",), "team", date(2024, 4, 1)
)
ACTIVITY = RecordActivity(
    engagement_id=ENGAGEMENT,
    kind="dialogue",
    held_on=date(2026, 1, 20),
    place="Carmen de Bolívar",
    tracks=(4, 7),
    peacebuilding_kind="social",
    rpp_quadrant=RppQuadrant.more_people_individual,
    methods=("palabreo", "problem_solving_workshop"),
    facilitators=(Facilitator("Luis Mendoza", True), Facilitator("Anne Keller", False)),
    participants=(ParticipantCount(Sex.female, ParticipantRole.participant, 4, 12, "claimants"),),
    do_no_harm=DoNoHarm("Neutral venue"),
)
LIAISON = RecordLiaison(
    ENGAGEMENT, "Gobernación de Bolívar", ("Pedro Gómez",), "briefing", date(2024, 5, 2), "Briefed"
)
"""One record of each kind for eng-1, as its coordinator sends them."""


def heard(side: str, entry_id: str, engagement_id: str = ENGAGEMENT) -> HeardParty:
    return HeardParty(
        id=entry_id,
        engagement_id=engagement_id,
        who="Rosa Villa",
        side=side,
        track=4,
        needs=("Titles recognised",),
        heard_by="field team",
        heard_on=date(2024, 4, 1),
        recorded_at=ACCEPTED_AT,
    )


def a_lesson(lesson_id: str, recorded_at: datetime = ACCEPTED_AT, /, **scope: Any) -> Lesson:
    return Lesson(
        lesson_id=lesson_id,
        revision=1,
        statement=f"Lesson {lesson_id}",
        confidence="high",
        scope=LessonScope.of(**scope),
        recorded_at=recorded_at,
        active=True,
        owner_org=OWNER,
    )


def catalogued(
    code: str, label: str, origin: CatalogueOrigin, active: bool = True
) -> CataloguedMethod:
    return CataloguedMethod(code, label, origin, active, changed_at=ACCEPTED_AT)


CATALOGUE = (
    catalogued("palabreo", "Palabreo", CatalogueOrigin.indigenous),
    catalogued("problem_solving_workshop", "Problem-solving workshop", CatalogueOrigin.external),
    catalogued("minga", "Minga", CatalogueOrigin.local),
)
"""The consortium's catalogue of methods, as its reference data told the service."""
TRAINERS = (
    CataloguedTrainer("trainer-1", OWNER, "consortium", local=True),
    CataloguedTrainer("trainer-2", "org-b", "consortium", local=False),
)
"""The consortium's catalogue of trainers, as the partners service told the service."""


async def holding(*engagements: Engagement) -> FakeEngagementsUnitOfWork:
    """A unit holding ``engagements`` and the consortium's catalogues of methods and
    trainers."""
    uow = FakeEngagementsUnitOfWork()
    for method in CATALOGUE:
        await uow.methods.save(method)
    for trainer in TRAINERS:
        await uow.trainers.put(trainer)
    for engagement in engagements:
        await uow.engagements.add(engagement)
    return uow


async def listened_to_every_side(uow: FakeEngagementsUnitOfWork) -> None:
    """The latest analysis names two sides and both were heard: listening is complete."""
    await uow.analyses.add(an_analysis())
    await uow.listening.add(heard("Land Claimants", "h-1"))
    await uow.listening.add(heard("returning families", "h-2"))


def in_status(status: Status) -> Engagement:
    return an_engagement(status=status)


EXIT_PLAN = ExitPlan(
    handover="Listening circles go on under Mujeres Tejiendo Paz.",
    planned_end_on=date(2026, 6, 30),
    follow_up_until=date(2027, 6, 30),
    planned_at=NOW,
)


def ready_to_close(**changes: Any) -> Engagement:
    """Closing since the day before ``NOW`` (mutual agreement), with an exit plan."""
    began = StatusChange(
        Status.active, Status.closing, ClosingReason.mutual_agreement, None, NOW - timedelta(days=1)
    )
    fields: dict[str, Any] = {
        "status": Status.closing,
        "closing_reason": ClosingReason.mutual_agreement,
        "history": [began],
        "ending": Ending(exit_plan=EXIT_PLAN),
    }
    return an_engagement(**{**fields, **changes})
