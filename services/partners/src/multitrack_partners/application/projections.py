"""Consumed events, applied to the read models. The consumer runtime opens the unit of work,
records the event in the inbox and commits; these only write.

Every handler is an upsert keyed by ids from the event and dated by the event, and none
publishes: applying an event twice, or replaying them all into emptied read models, gives the
same tables and no new event. The ``.v1`` events still on the topic reach these handlers as
their ``.v2`` (``events.upcasting``), without the free text they carried.
"""

from __future__ import annotations

from datetime import datetime

from multitrack_partners.application.ports import PartnersUoW
from multitrack_partners.domain.activity import ActivityFacts, tallied
from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.methods import CataloguedMethod, latest
from multitrack_shared.events.engagements import (
    ActivityRecordedV2,
    EngagementClosed,
    EngagementOpened,
    EngagementStatusChangedV2,
)
from multitrack_shared.events.evaluation import ReferenceChanged

CLOSED = "closed"

METHOD_KIND = "method"


async def on_reference_changed(event: ReferenceChanged, uow: PartnersUoW) -> None:
    """Keep the consortium's catalogue of methods as its latest change says; other reference
    data is not this service's concern."""
    if event.kind != METHOD_KIND:
        return
    changed = CataloguedMethod(event.code, event.active, event.changed_at)
    await uow.methods.put(latest(await uow.methods.get(event.code), changed))


async def on_engagement_opened(event: EngagementOpened, uow: PartnersUoW) -> None:
    fresh = KnownEngagement(
        engagement_id=event.engagement_id,
        owner_org=event.ownership.owner_org,
        visibility=event.ownership.visibility.value,
        country=event.conflict.country.upper(),
        region=event.conflict.region,
        inviter_track=event.inviter_track,
        opened_at=event.opened_at,
    )
    known = await uow.engagements.get(event.engagement_id)
    await uow.engagements.put(known.reopened_as(fresh) if known else fresh)


async def on_engagement_status_changed(event: EngagementStatusChangedV2, uow: PartnersUoW) -> None:
    await _set_status(uow, event.engagement_id, event.to_status, event.changed_at)


async def on_engagement_closed(event: EngagementClosed, uow: PartnersUoW) -> None:
    await _set_status(uow, event.engagement_id, CLOSED, event.closed_at)


async def _set_status(uow: PartnersUoW, engagement_id: str, status: str, at: datetime) -> None:
    known = await uow.engagements.get(engagement_id)
    # An engagement's events share a Kafka key, so its opening always comes first; a status
    # of an engagement never opened has nothing to attach to.
    if known is not None:
        await uow.engagements.put(known.with_status(status, at))


async def on_activity_recorded(event: ActivityRecordedV2, uow: PartnersUoW) -> None:
    await uow.activities.put(
        ActivityFacts(
            activity_id=event.activity_id,
            engagement_id=event.engagement_id,
            held_on=event.held_on,
            led_locally=event.led_locally,
            tracks=tuple(sorted(set(event.tracks))),
            participants=tallied((p.sex.value, p.role.value, p.count) for p in event.participants),
        )
    )
