"""Read-only use cases over owned records and read models together: suggested partners and
inclusion figures."""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_partners.application.ports import PartnerFilter, PartnersUoW, Scope
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.inclusion import (
    ActivityFigures,
    Inclusion,
    ParticipantFigures,
    PartnerFigures,
)
from multitrack_partners.domain.suggestions import Suggestion, suggest
from multitrack_shared.errors import found
from multitrack_shared.ports import Clock


@dataclass(frozen=True)
class ConsortiumInclusion:
    engagements: int
    figures: Inclusion


async def suggest_partners(engagement_id: str, uow: PartnersUoW, clock: Clock) -> list[Suggestion]:
    async with uow:
        engagement = await _engagement(uow, engagement_id)
        activity_tracks = await uow.activities.tracks_of(engagement_id)
        candidates = await uow.partners.search(
            PartnerFilter(country=engagement.country, limit=None)
        )
        engaged = await uow.partnerships.partners_not_over(engagement_id, clock().date())
    return suggest(
        engagement=engagement,
        activity_tracks=activity_tracks,
        candidates=candidates,
        engaged=engaged,
    )


async def engagement_inclusion(engagement_id: str, uow: PartnersUoW) -> Inclusion:
    async with uow:
        await _engagement(uow, engagement_id)
        return await _figures(uow, Scope(engagement_id=engagement_id))


async def consortium_inclusion(owner_org: str | None, uow: PartnersUoW) -> ConsortiumInclusion:
    async with uow:
        engagements = await uow.engagements.count(owner_org)
        figures = await _figures(uow, Scope(owner_org=owner_org))
    return ConsortiumInclusion(engagements, figures)


async def _figures(uow: PartnersUoW, scope: Scope) -> Inclusion:
    partners = await uow.partners.get_many(await uow.partnerships.partners_within(scope))
    total, led_locally = await uow.activities.led_locally(scope)
    return Inclusion(
        partners=PartnerFigures.of(p.profile for p in partners),
        participants=ParticipantFigures.of(await uow.activities.tallies(scope)),
        activities=ActivityFigures(total=total, led_locally=led_locally),
    )


async def _engagement(uow: PartnersUoW, engagement_id: str) -> KnownEngagement:
    return found(
        await uow.engagements.get(engagement_id),
        f"no engagement {engagement_id} is known from the engagements service",
        field="engagement_id",
    )
