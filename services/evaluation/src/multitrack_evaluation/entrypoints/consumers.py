"""What the evaluation service consumes, and which handler each event reaches.

Current versions only: the runtime reads a record of an older one through the upcasters
(``multitrack_shared.events.upcasting``).
"""

from __future__ import annotations

from multitrack_evaluation.application import projections as p
from multitrack_evaluation.application.ports import EvaluationUoW
from multitrack_shared.events import engagements as eng
from multitrack_shared.events import partners as par
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[EvaluationUoW] = {
    eng.EngagementOpened: p.on_engagement_opened,
    eng.ConflictLinked: p.on_conflict_linked,
    eng.EngagementStatusChangedV2: p.on_status_changed,
    eng.EngagementClosed: p.on_engagement_closed,
    eng.ConflictAnalysisRecorded: p.on_analysis_recorded,
    eng.PartyHeard: p.on_party_heard,
    eng.ActivityRecordedV2: p.on_activity_recorded,
    eng.FollowUpRecorded: p.on_follow_up_recorded,
    eng.LiaisonRecorded: p.on_liaison_recorded,
    eng.LessonRespondedV2: p.on_lesson_responded,
    par.PartnershipFormed: p.on_partnership_formed,
    par.PartnershipEnded: p.on_partnership_ended,
}
