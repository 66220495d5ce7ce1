"""What the partners service consumes, and which handler each event reaches.

Current versions only: the runtime reads a record of an older one through the upcasters
(``multitrack_shared.events.upcasting``).
"""

from __future__ import annotations

from multitrack_partners.application import projections
from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.events import engagements as eng
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[PartnersUoW] = {
    eng.EngagementOpened: projections.on_engagement_opened,
    eng.EngagementStatusChangedV2: projections.on_engagement_status_changed,
    eng.EngagementClosed: projections.on_engagement_closed,
    eng.ActivityRecordedV2: projections.on_activity_recorded,
}
