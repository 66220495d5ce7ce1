"""What the engagements service consumes, and which handler each event reaches."""

from __future__ import annotations

from multitrack_engagements.application import projections
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_shared.events.evaluation import (
    LessonRecorded,
    LessonRetired,
    LessonRevised,
    ReferenceChanged,
)
from multitrack_shared.events.invitations import InvitationAccepted
from multitrack_shared.events.partners import PartnershipEnded, PartnershipFormed
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[EngagementsUoW] = {
    InvitationAccepted: projections.on_invitation_accepted,
    LessonRecorded: projections.on_lesson_recorded,
    LessonRevised: projections.on_lesson_revised,
    LessonRetired: projections.on_lesson_retired,
    PartnershipFormed: projections.on_partnership_formed,
    PartnershipEnded: projections.on_partnership_ended,
    ReferenceChanged: projections.on_reference_changed,
}
