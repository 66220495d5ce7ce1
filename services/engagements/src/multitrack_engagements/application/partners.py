"""Partnerships and the consortium's track labels, from other services' events; and the
nine-track coverage they feed."""

from __future__ import annotations

from multitrack_engagements.application.deliveries import refresh_engagement
from multitrack_engagements.application.lookup import require_engagement
from multitrack_engagements.application.ports import EngagementsUoW, TrackLabel
from multitrack_engagements.domain.coverage import Coverage, nine_track_coverage, track_labels
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.events.partners import PartnershipEnded, PartnershipFormed

TRACK_KIND = "track"


async def on_partnership_formed(event: PartnershipFormed, uow: EngagementsUoW) -> None:
    earlier = await uow.partnerships.get(event.partnership_id)
    partnership = (
        earlier or Partnership(event.partnership_id, event.engagement_id, event.partner_id)
    ).formed(
        partner_name=event.partner_name,
        tracks=tuple(event.partner_tracks),
        role=event.role,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    await _apply(uow, partnership)


async def on_partnership_ended(event: PartnershipEnded, uow: EngagementsUoW) -> None:
    earlier = await uow.partnerships.get(event.partnership_id)
    partnership = (
        earlier or Partnership(event.partnership_id, event.engagement_id, event.partner_id)
    ).ending(event.ends_on)
    await _apply(uow, partnership)


async def _apply(uow: EngagementsUoW, partnership: Partnership) -> None:
    await uow.partnerships.save(partnership)
    engagement = await uow.engagements.get(partnership.engagement_id)
    if engagement is not None:  # otherwise its opening, whenever it comes, takes this in
        await refresh_engagement(uow, engagement)


async def on_reference_changed(event: ReferenceChanged, uow: EngagementsUoW) -> None:
    """Keep the consortium's latest wording of each track; older changes never win."""
    if event.kind != TRACK_KIND:
        return
    earlier = await uow.track_labels.get(event.code)
    if earlier is not None and earlier.changed_at > event.changed_at:
        return
    await uow.track_labels.save(
        TrackLabel(
            code=event.code,
            label=event.label,
            description=event.description,
            active=event.active,
            changed_at=event.changed_at,
        )
    )


async def coverage(engagement_id: str, uow: EngagementsUoW) -> Coverage:
    async with uow:
        engagement = await require_engagement(uow, engagement_id)
        facts = await uow.facts.of(engagement)
        labels = track_labels(await uow.track_labels.active_labels())
    return nine_track_coverage(facts, labels)
