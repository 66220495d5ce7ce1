"""What the engagements service consumes, and which use case each event reaches."""

from __future__ import annotations

from multitrack_engagements.adapters.uow import EngagementsUnitOfWork
from multitrack_engagements.application import engagements, lessons, partners
from multitrack_shared.events.evaluation import (
    LessonRecorded,
    LessonRetired,
    LessonRevised,
    ReferenceChanged,
)
from multitrack_shared.events.invitations import InvitationAccepted
from multitrack_shared.events.partners import PartnershipEnded, PartnershipFormed
from multitrack_shared.messaging.consumer import Subscription

subscription: Subscription[EngagementsUnitOfWork] = Subscription(
    handlers={
        InvitationAccepted: engagements.on_invitation_accepted,
        LessonRecorded: lessons.on_lesson_recorded,
        LessonRevised: lessons.on_lesson_revised,
        LessonRetired: lessons.on_lesson_retired,
        PartnershipFormed: partners.on_partnership_formed,
        PartnershipEnded: partners.on_partnership_ended,
        ReferenceChanged: partners.on_reference_changed,
    }
)
