"""What the invitations service consumes: evaluation's lessons, into the lessons read model."""

from __future__ import annotations

from multitrack_invitations.adapters.uow import InvitationsUnitOfWork
from multitrack_invitations.application import lessons
from multitrack_shared.events.evaluation import LessonRecorded, LessonRetired, LessonRevised
from multitrack_shared.messaging.consumer import Subscription

subscription: Subscription[InvitationsUnitOfWork] = Subscription(
    handlers={
        LessonRecorded: lessons.on_lesson_recorded,
        LessonRevised: lessons.on_lesson_revised,
        LessonRetired: lessons.on_lesson_retired,
    }
)
