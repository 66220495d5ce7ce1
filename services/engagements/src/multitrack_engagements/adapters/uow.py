from __future__ import annotations

from multitrack_engagements.adapters.engagement_repository import SqlEngagementRepository
from multitrack_engagements.adapters.facts_repository import SqlFactsRepository
from multitrack_engagements.adapters.lesson_repositories import (
    SqlDeliveryRepository,
    SqlLessonRepository,
    SqlResponseRepository,
)
from multitrack_engagements.adapters.partner_repositories import (
    SqlPartnershipRepository,
    SqlTrackLabelRepository,
)
from multitrack_engagements.adapters.record_repositories import (
    SqlActivityRepository,
    SqlAnalysisRepository,
    SqlLiaisonRepository,
    SqlListeningRepository,
)
from multitrack_shared.db.uow import UnitOfWork


class EngagementsUnitOfWork(UnitOfWork):
    engagements: SqlEngagementRepository
    analyses: SqlAnalysisRepository
    listening: SqlListeningRepository
    activities: SqlActivityRepository
    liaison: SqlLiaisonRepository
    lessons: SqlLessonRepository
    deliveries: SqlDeliveryRepository
    responses: SqlResponseRepository
    partnerships: SqlPartnershipRepository
    track_labels: SqlTrackLabelRepository
    facts: SqlFactsRepository

    def _opened(self) -> None:
        s = self.session
        self.engagements = SqlEngagementRepository(s)
        self.analyses = SqlAnalysisRepository(s)
        self.listening = SqlListeningRepository(s)
        self.activities = SqlActivityRepository(s)
        self.liaison = SqlLiaisonRepository(s)
        self.lessons = SqlLessonRepository(s)
        self.deliveries = SqlDeliveryRepository(s)
        self.responses = SqlResponseRepository(s)
        self.partnerships = SqlPartnershipRepository(s)
        self.track_labels = SqlTrackLabelRepository(s)
        self.facts = SqlFactsRepository(s)
