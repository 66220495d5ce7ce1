"""What the engagements service consumes, and which handler each event reaches.

Current versions only: the runtime reads a record of an older one through the upcasters
(``multitrack_shared.events.upcasting``).
"""

from __future__ import annotations

from multitrack_engagements.application import projections
from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_shared.events import evaluation as ev
from multitrack_shared.events import invitations as inv
from multitrack_shared.events import partners as par
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[EngagementsUoW] = {
    inv.InvitationAcceptedV2: projections.on_invitation_accepted,
    inv.InvitationWithdrawnV2: projections.on_invitation_withdrawn,
    ev.EvaluationCompleted: projections.on_evaluation_completed,
    ev.LessonRecordedV3: projections.on_lesson_recorded,
    ev.LessonRevisedV3: projections.on_lesson_revised,
    ev.LessonRetiredV2: projections.on_lesson_retired,
    par.PartnershipFormed: projections.on_partnership_formed,
    par.PartnershipEnded: projections.on_partnership_ended,
    par.TrainerCatalogued: projections.on_trainer_catalogued,
    par.PartnerRegistered: projections.on_partner_registered,
    par.PartnerUpdated: projections.on_partner_updated,
    par.MemberJoined: projections.on_member_joined,
    ev.ReferenceChanged: projections.on_reference_changed,
}
