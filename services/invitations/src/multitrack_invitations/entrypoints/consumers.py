"""What the invitations service consumes: evaluation's lessons and assessment criteria, and
the engagements service's shared conflict records, into their read models.

Current versions only: the runtime reads a record of an older one through the upcasters
(``multitrack_shared.events.upcasting``).
"""

from __future__ import annotations

from multitrack_invitations.application import projections
from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_shared.events import conflicts as con
from multitrack_shared.events import evaluation as ev
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[InvitationsUoW] = {
    ev.LessonRecordedV3: projections.on_lesson_recorded,
    ev.LessonRevisedV3: projections.on_lesson_revised,
    ev.LessonRetiredV2: projections.on_lesson_retired,
    ev.ReferenceChanged: projections.on_reference_changed,
    con.ConflictRegistered: projections.on_conflict_changed,
    con.ConflictRevised: projections.on_conflict_changed,
}
