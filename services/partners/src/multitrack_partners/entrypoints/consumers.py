"""What the partners service consumes, and which handler each event reaches.

Current versions only: the runtime reads a record of an older one through the upcasters
(``multitrack_shared.events.upcasting``). Every event of the platform also reaches
``forwarding.on_any_event``, which passes it on to partner systems (webhooks and the partner
feed), after this service's own projection of it where there is one.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from multitrack_partners.application import forwarding, projections
from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.events import IntegrationEvent
from multitrack_shared.events import engagements as eng
from multitrack_shared.events import evaluation as ev
from multitrack_shared.ports import EventHandlers

Handler = Callable[[Any, PartnersUoW], Awaitable[None]]

PROJECTIONS: Mapping[type[IntegrationEvent], Handler] = {
    eng.EngagementOpened: projections.on_engagement_opened,
    eng.EngagementStatusChangedV2: projections.on_engagement_status_changed,
    eng.EngagementClosed: projections.on_engagement_closed,
    eng.ActivityRecordedV2: projections.on_activity_recorded,
    ev.ReferenceChanged: projections.on_reference_changed,
}

PLATFORM_EVENTS = "multitrack_shared.events."


def _then_forwarded(projection: Handler) -> Handler:
    # Named as the projection, so that an operator following an event sees which one ran.
    @functools.wraps(projection)
    async def both(event: Any, uow: PartnersUoW) -> None:
        await projection(event, uow)
        await forwarding.on_any_event(event, uow)

    return both


# One wrapper per projection, so that every version of an event reaches the same handler.
_FORWARDED_AFTER = {projection: _then_forwarded(projection) for projection in PROJECTIONS.values()}

handlers: EventHandlers[PartnersUoW] = {
    event: _FORWARDED_AFTER[PROJECTIONS[event]] if event in PROJECTIONS else forwarding.on_any_event
    for event in IntegrationEvent.registry.values()
    if event.__module__.startswith(PLATFORM_EVENTS) and event.superseded_by is None
}
