"""What the invitations service consumes: evaluation's lessons, into the lessons read model."""

from __future__ import annotations

from multitrack_invitations.application import projections
from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_shared.events.evaluation import LessonRecorded, LessonRetired, LessonRevised
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[InvitationsUoW] = {
    LessonRecorded: projections.on_lesson_recorded,
    LessonRevised: projections.on_lesson_revised,
    LessonRetired: projections.on_lesson_retired,
}
