"""What the invitations service consumes: evaluation's lessons and assessment criteria, into
their read models.

Both versions of each event: the ``.v1`` records stay on the topic and a rebuild replays them.
"""

from __future__ import annotations

from multitrack_invitations.application import projections
from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_shared.events import evaluation as ev
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[InvitationsUoW] = {
    ev.LessonRecorded: projections.on_lesson_recorded,
    ev.LessonRecordedV2: projections.on_lesson_recorded,
    ev.LessonRevised: projections.on_lesson_revised,
    ev.LessonRevisedV2: projections.on_lesson_revised,
    ev.LessonRetired: projections.on_lesson_retired,
    ev.LessonRetiredV2: projections.on_lesson_retired,
    ev.ReferenceChanged: projections.on_reference_changed,
}
