"""What the partners service consumes, and which handler each event reaches."""

from __future__ import annotations

from multitrack_partners.application import projections
from multitrack_partners.application.ports import PartnersUoW
from multitrack_shared.events.engagements import (
    ActivityRecorded,
    EngagementClosed,
    EngagementOpened,
    EngagementStatusChanged,
)
from multitrack_shared.ports import EventHandlers

handlers: EventHandlers[PartnersUoW] = {
    EngagementOpened: projections.on_engagement_opened,
    EngagementStatusChanged: projections.on_engagement_status_changed,
    EngagementClosed: projections.on_engagement_closed,
    ActivityRecorded: projections.on_activity_recorded,
}
