"""What the partners service knows of engagements: only what the engagements service published.

A read model, rebuilt from events at will. Events of one engagement arrive in order (they
share a Kafka key); dates come from the events, never from this service's clock, so a replay
gives the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

OPENED_STATUS = "listening"
"""An engagement opens listening to every side (engagements service, standard 4)."""


@dataclass(frozen=True)
class KnownEngagement:
    engagement_id: str
    owner_org: str
    visibility: str
    """As the opening said: ``consortium`` or ``owner``; its partnerships follow it."""
    country: str
    region: str | None
    inviter_track: int
    opened_at: datetime
    status: str = OPENED_STATUS
    status_changed_at: datetime | None = None

    def reopened_as(self, fresh: KnownEngagement) -> KnownEngagement:
        """The opening delivered again: its facts are taken, the status reached is kept."""
        return replace(fresh, status=self.status, status_changed_at=self.status_changed_at)

    def with_status(self, status: str, at: datetime) -> KnownEngagement:
        """The status as of ``at``; a change older than the one known is ignored."""
        if self.status_changed_at is not None and at < self.status_changed_at:
            return self
        return replace(self, status=status, status_changed_at=at)
