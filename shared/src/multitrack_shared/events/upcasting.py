"""Old versions of an event, read as the current one: one upcaster per step, all of them here.

A version superseded by a newer one stays on its topic: a read model rebuilt from the
beginning reads it again. Consumers handle only the current version of each event; a record of
an older one is validated against its own version's model (the contract it was written under),
then carried step by step (``.v1`` → ``.v2`` → …) to the current one by the upcasters below.

Each step is a plain function from the older model to its successor, registered with
``@upcaster``; its source must name the target as ``superseded_by``, so the chain of steps and
the chain of versions cannot disagree (a test checks that every superseded version has its
step). The steps of this platform so far only leave out what the newer version no longer
carries (personal data, free text that may name people): what a consumer would otherwise have
to know how to ignore is dropped here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from multitrack_shared.events import engagements as eng
from multitrack_shared.events import evaluation as ev
from multitrack_shared.events import invitations as inv
from multitrack_shared.events.envelope import IntegrationEvent

Old = TypeVar("Old", bound=IntegrationEvent)
New = TypeVar("New", bound=IntegrationEvent)
Step = Callable[[Any], IntegrationEvent]

_STEPS: dict[str, tuple[type[IntegrationEvent], Step]] = {}


class UnknownEventType(LookupError):
    """A record of a type no model of this platform declares."""


def upcaster(
    source: type[Old], target: type[New]
) -> Callable[[Callable[[Old], New]], Callable[[Old], New]]:
    """Register the one step from ``source`` to ``target``, its successor."""
    if source.superseded_by != target.event_type:
        raise TypeError(f"{source.event_type} is not superseded by {target.event_type}")
    if source.event_type in _STEPS:
        raise TypeError(f"{source.event_type} has two upcasters")

    def register(step: Callable[[Old], New]) -> Callable[[Old], New]:
        _STEPS[source.event_type] = (target, step)
        return step

    return register


def steps() -> Mapping[str, type[IntegrationEvent]]:
    """Each version that has a step → the version the step reads it as."""
    return {source: target for source, (target, _) in _STEPS.items()}


def current_type(event_type: str) -> str:
    """The version a record of ``event_type`` is read as: the end of its chain of steps."""
    while event_type in _STEPS:
        event_type = _STEPS[event_type][0].event_type
    return event_type


def upcast(event: IntegrationEvent) -> IntegrationEvent:
    """``event`` carried through every step to the current version (itself if current)."""
    while event.event_type in _STEPS:
        target, step = _STEPS[event.event_type]
        event = step(event)
        if type(event) is not target:
            raise TypeError(f"the upcaster of {target.event_type}'s predecessor returned {event}")
    return event


def read_event(event_type: str, data: Mapping[str, Any]) -> IntegrationEvent:
    """A record's payload, validated against its own version, then read as the current one.

    A payload its own version refuses raises pydantic's ``ValidationError``; a type nothing
    declares, ``UnknownEventType``.
    """
    model = IntegrationEvent.registry.get(event_type)
    if model is None:
        raise UnknownEventType(event_type)
    return upcast(model.model_validate(data))


def _without(old: IntegrationEvent, new: type[New], *dropped: str) -> New:
    """``old``'s fields, less ``dropped``, as ``new``."""
    return new.model_validate(old.model_dump(exclude=set(dropped)))


# --- invitations ------------------------------------------------------------------------------


def _inviter_profile(inviter: inv.Inviter) -> inv.InviterProfile:
    return inv.InviterProfile.model_validate(inviter.model_dump(exclude={"name"}))


@upcaster(inv.InvitationReceived, inv.InvitationReceivedV2)
def invitation_received_v2(old: inv.InvitationReceived) -> inv.InvitationReceivedV2:
    """The inviter without their name; the support asked for travels once accepted."""
    return inv.InvitationReceivedV2(
        invitation_id=old.invitation_id,
        ownership=old.ownership,
        inviter=_inviter_profile(old.inviter),
        conflict=old.conflict,
        received_at=old.received_at,
    )


@upcaster(inv.InvitationAccepted, inv.InvitationAcceptedV2)
def invitation_accepted_v2(old: inv.InvitationAccepted) -> inv.InvitationAcceptedV2:
    """The inviter without their name, no rationale, the overridden criteria without reasons."""
    return inv.InvitationAcceptedV2(
        invitation_id=old.invitation_id,
        ownership=old.ownership,
        inviter=_inviter_profile(old.inviter),
        conflict=old.conflict,
        support_requested=old.support_requested,
        overridden_criteria=list(old.overridden_criteria),
        commitment_years=old.commitment_years,
        accepted_at=old.accepted_at,
    )


@upcaster(inv.InvitationDeclined, inv.InvitationDeclinedV2)
def invitation_declined_v2(old: inv.InvitationDeclined) -> inv.InvitationDeclinedV2:
    return _without(old, inv.InvitationDeclinedV2, "rationale")


@upcaster(inv.InvitationWithdrawn, inv.InvitationWithdrawnV2)
def invitation_withdrawn_v2(old: inv.InvitationWithdrawn) -> inv.InvitationWithdrawnV2:
    return _without(old, inv.InvitationWithdrawnV2, "reason")


# --- engagements ------------------------------------------------------------------------------


@upcaster(eng.EngagementStatusChanged, eng.EngagementStatusChangedV2)
def status_changed_v2(old: eng.EngagementStatusChanged) -> eng.EngagementStatusChangedV2:
    return _without(old, eng.EngagementStatusChangedV2, "note")


@upcaster(eng.ActivityRecorded, eng.ActivityRecordedV2)
def activity_recorded_v2(old: eng.ActivityRecorded) -> eng.ActivityRecordedV2:
    return _without(old, eng.ActivityRecordedV2, "place")


@upcaster(eng.LessonResponded, eng.LessonRespondedV2)
def lesson_responded_v2(old: eng.LessonResponded) -> eng.LessonRespondedV2:
    return _without(old, eng.LessonRespondedV2, "why")


# --- evaluation -------------------------------------------------------------------------------


@upcaster(ev.LessonRecorded, ev.LessonRecordedV2)
def lesson_recorded_v2(old: ev.LessonRecorded) -> ev.LessonRecordedV2:
    return _without(old, ev.LessonRecordedV2, "evidence")


@upcaster(ev.LessonRevised, ev.LessonRevisedV2)
def lesson_revised_v2(old: ev.LessonRevised) -> ev.LessonRevisedV2:
    return _without(old, ev.LessonRevisedV2, "evidence")


@upcaster(ev.LessonRecordedV2, ev.LessonRecordedV3)
def lesson_recorded_v3(old: ev.LessonRecordedV2) -> ev.LessonRecordedV3:
    """A lesson recorded before contexts named conflicts names none."""
    return _without(old, ev.LessonRecordedV3)


@upcaster(ev.LessonRevisedV2, ev.LessonRevisedV3)
def lesson_revised_v3(old: ev.LessonRevisedV2) -> ev.LessonRevisedV3:
    return _without(old, ev.LessonRevisedV3)


@upcaster(ev.LessonRetired, ev.LessonRetiredV2)
def lesson_retired_v2(old: ev.LessonRetired) -> ev.LessonRetiredV2:
    return _without(old, ev.LessonRetiredV2, "reason")
