"""The partners service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from multitrack_partners.adapters.repositories.activities import SqlActivityRepository
from multitrack_partners.adapters.repositories.deliveries import SqlDeliveryRepository
from multitrack_partners.adapters.repositories.engagements import SqlEngagementRepository
from multitrack_partners.adapters.repositories.forwarded import SqlForwardedEventRepository
from multitrack_partners.adapters.repositories.members import SqlMemberRepository
from multitrack_partners.adapters.repositories.methods import SqlMethodCatalogueRepository
from multitrack_partners.adapters.repositories.partners import SqlPartnerRepository
from multitrack_partners.adapters.repositories.partnerships import SqlPartnershipRepository
from multitrack_partners.adapters.repositories.subscriptions import SqlSubscriptionRepository
from multitrack_partners.adapters.repositories.trainers import SqlTrainerRepository
from multitrack_shared.db.uow import Repository, UnitOfWork


class PartnersUnitOfWork(UnitOfWork):
    partners = Repository(SqlPartnerRepository)
    members = Repository(SqlMemberRepository)
    trainers = Repository(SqlTrainerRepository)
    methods = Repository(SqlMethodCatalogueRepository)
    partnerships = Repository(SqlPartnershipRepository)
    engagements = Repository(SqlEngagementRepository)
    activities = Repository(SqlActivityRepository)
    subscriptions = Repository(SqlSubscriptionRepository)
    forwarded_events = Repository(SqlForwardedEventRepository)
    deliveries = Repository(SqlDeliveryRepository)
