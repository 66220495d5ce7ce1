"""The engagements service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from multitrack_engagements.adapters.repositories.activities import SqlActivityRepository
from multitrack_engagements.adapters.repositories.analyses import SqlAnalysisRepository
from multitrack_engagements.adapters.repositories.conflicts import SqlConflictRepository
from multitrack_engagements.adapters.repositories.do_no_harm import SqlHarmRepository
from multitrack_engagements.adapters.repositories.engagements import SqlEngagementRepository
from multitrack_engagements.adapters.repositories.facts import SqlFactsRepository
from multitrack_engagements.adapters.repositories.follow_ups import (
    SqlEvaluationRepository,
    SqlFollowUpRepository,
)
from multitrack_engagements.adapters.repositories.funding import SqlFundingRepository
from multitrack_engagements.adapters.repositories.lessons import (
    SqlDeliveryRepository,
    SqlLessonRepository,
    SqlResponseRepository,
)
from multitrack_engagements.adapters.repositories.liaison import SqlLiaisonRepository
from multitrack_engagements.adapters.repositories.listening import SqlListeningRepository
from multitrack_engagements.adapters.repositories.methods import SqlMethodCatalogueRepository
from multitrack_engagements.adapters.repositories.organizations import SqlOrganizationRepository
from multitrack_engagements.adapters.repositories.partnerships import SqlPartnershipRepository
from multitrack_engagements.adapters.repositories.track_labels import SqlTrackLabelRepository
from multitrack_engagements.adapters.repositories.trainers import SqlTrainerCatalogueRepository
from multitrack_shared.db.uow import Repository, UnitOfWork


class EngagementsUnitOfWork(UnitOfWork):
    engagements = Repository(SqlEngagementRepository)
    conflicts = Repository(SqlConflictRepository)
    analyses = Repository(SqlAnalysisRepository)
    listening = Repository(SqlListeningRepository)
    activities = Repository(SqlActivityRepository)
    liaison = Repository(SqlLiaisonRepository)
    lessons = Repository(SqlLessonRepository)
    deliveries = Repository(SqlDeliveryRepository)
    responses = Repository(SqlResponseRepository)
    partnerships = Repository(SqlPartnershipRepository)
    track_labels = Repository(SqlTrackLabelRepository)
    methods = Repository(SqlMethodCatalogueRepository)
    trainers = Repository(SqlTrainerCatalogueRepository)
    facts = Repository(SqlFactsRepository)
    evaluations = Repository(SqlEvaluationRepository)
    follow_ups = Repository(SqlFollowUpRepository)
    harm = Repository(SqlHarmRepository)
    funding = Repository(SqlFundingRepository)
    organizations = Repository(SqlOrganizationRepository)
