"""Engagements as IATI 2.03 activities, for donors: one engagement, or every engagement an
organization shares with the consortium. Nothing personal goes in (``domain.iati``)."""

from __future__ import annotations

from dataclasses import replace

from multitrack_engagements.application.lookup import readable_engagement
from multitrack_engagements.application.ports import (
    CONSORTIUM_WIDE,
    EngagementFilter,
    EngagementsUoW,
)
from multitrack_engagements.domain.coverage import nine_track_coverage, track_labels
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.iati import ActivitySources, IatiActivity, iati_activity
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import DomainError, NotFound

PAGE = 200


async def iati_of_engagement(
    engagement_id: str, caller: Principal, uow: EngagementsUoW
) -> IatiActivity:
    async with uow:
        engagement = await readable_engagement(uow, engagement_id, caller)
        return await _activity(uow, engagement)


async def iati_of_organization(
    organization: str | None, caller: Principal, uow: EngagementsUoW
) -> list[IatiActivity]:
    """The engagements ``organization`` (the caller's own when not named) shares with the
    whole consortium; its owner-only ones are never reported, even to itself."""
    owner = organization or caller.organization
    if owner is None:
        raise DomainError(
            "name the organization whose engagements to report",
            field="organization",
            code="required",
        )
    async with uow:
        engagements = await _shared_by(uow, owner)
        if not engagements:
            raise NotFound(
                f"{owner} shares no engagement with the consortium: there is nothing to report",
                field="organization",
            )
        return [await _activity(uow, e) for e in engagements]


async def _shared_by(uow: EngagementsUoW, owner: str) -> list[Engagement]:
    where = EngagementFilter(scope=CONSORTIUM_WIDE, owner_org=owner, limit=PAGE)
    found: list[Engagement] = []
    while page := await uow.engagements.search(replace(where, offset=len(found))):
        found.extend(page)
        if len(page) < PAGE:
            break
    return found


async def _activity(uow: EngagementsUoW, engagement: Engagement) -> IatiActivity:
    funding = await uow.funding.sources_of(engagement.id)
    partnerships = await uow.partnerships.of_engagement(engagement.id)
    partner_ids = {s.funder_id for s in funding} | {p.partner_id for p in partnerships}
    coverage = nine_track_coverage(
        await uow.facts.of(engagement), track_labels(await uow.track_labels.active_labels())
    )
    return iati_activity(
        ActivitySources(
            engagement=engagement,
            owner=await uow.organizations.member_acting_as(engagement.owner_org),
            funding=tuple(funding),
            budgets=tuple(await uow.funding.budget_of(engagement.id)),
            partnerships=tuple(partnerships),
            partners=await uow.organizations.partners(partner_ids),
            tracks=tuple((t.track, t.label) for t in coverage.tracks if t.covered),
            activities=tuple(await uow.activities.of_engagement(engagement.id)),
        )
    )
