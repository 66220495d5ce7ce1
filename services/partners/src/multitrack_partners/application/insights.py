"""Read-only use cases over owned records and read models together: suggested partners and
inclusion figures.

Both show only what the caller may see. An engagement the caller may not see has neither
suggestions nor figures (not found). A partner is suggested for an engagement only when both the
caller and the engagement's owning organization may see it, so that one organization's
owner-only partner is never put forward for another organization's engagement. Figures count
the engagements the caller may see, their activities, and the partners the caller may see that
held a partnership on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_partners.application.ports import Coverage, PartnerFilter, PartnersUoW
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.inclusion import (
    ActivityFigures,
    Inclusion,
    ParticipantFigures,
    PartnerFigures,
)
from multitrack_partners.domain.suggestions import Suggestion, suggest
from multitrack_shared.auth.policy import Scope, readable, scope_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class ConsortiumInclusion:
    engagements: int
    figures: Inclusion


async def suggest_partners(
    engagement_id: str, caller: Principal, uow: PartnersUoW, clock: Clock
) -> list[Suggestion]:
    async with uow:
        engagement = await _engagement(uow, engagement_id, caller)
        activity_tracks = await uow.activities.tracks_of(engagement_id)
        candidates = await uow.partners.search(
            PartnerFilter(
                country=engagement.country,
                limit=None,
                scope=scope_of(caller),
                also_seen_by=Scope(engagement.owner_org),
            )
        )
        engaged = await uow.partnerships.partners_not_over(engagement_id, clock().date())
        # The tracks the engagement's partners reach, whoever may see them: a gap shown as
        # filled reveals no partner.
        partners_on_it = await uow.partners.get_many(engaged, Scope(engagement.owner_org))
    return suggest(
        engagement=engagement,
        activity_tracks=activity_tracks,
        candidates=candidates,
        engaged=engaged,
        engaged_tracks=(t for p in partners_on_it for t in p.profile.tracks),
    )


async def engagement_inclusion(
    engagement_id: str, caller: Principal, uow: PartnersUoW
) -> Inclusion:
    async with uow:
        await _engagement(uow, engagement_id, caller)
        return await _figures(uow, Coverage(engagement_id=engagement_id, scope=scope_of(caller)))


async def consortium_inclusion(
    owner_org: str | None, caller: Principal, uow: PartnersUoW
) -> ConsortiumInclusion:
    coverage = Coverage(owner_org=owner_org, scope=scope_of(caller))
    async with uow:
        engagements = await uow.engagements.count(coverage)
        figures = await _figures(uow, coverage)
    return ConsortiumInclusion(engagements, figures)


async def _figures(uow: PartnersUoW, coverage: Coverage) -> Inclusion:
    partner_ids = await uow.partnerships.partners_within(coverage)
    partners = await uow.partners.get_many(partner_ids, coverage.scope)
    total, led_locally = await uow.activities.led_locally(coverage)
    return Inclusion(
        partners=PartnerFigures.of(p.profile for p in partners),
        participants=ParticipantFigures.of(await uow.activities.tallies(coverage)),
        activities=ActivityFigures(total=total, led_locally=led_locally),
    )


async def _engagement(uow: PartnersUoW, engagement_id: str, caller: Principal) -> KnownEngagement:
    return readable(
        await uow.engagements.get(engagement_id),
        caller,
        f"no engagement {engagement_id} is known from the engagements service",
        field="engagement_id",
    )
