"""What the partners service consumes, and which handler each event reaches.

Both versions of an event that has two: the ``.v1`` records stay on the topic and a rebuild
replays them.
"""

from __future__ import annotations

from multitrack_partners.application import projections
from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.events import engagements as eng
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[PartnersUoW] = {
    eng.EngagementOpened: projections.on_engagement_opened,
    eng.EngagementStatusChanged: projections.on_engagement_status_changed,
    eng.EngagementStatusChangedV2: projections.on_engagement_status_changed,
    eng.EngagementClosed: projections.on_engagement_closed,
    eng.ActivityRecorded: projections.on_activity_recorded,
    eng.ActivityRecordedV2: projections.on_activity_recorded,
}
