"""The engagement: standard procedure 2, a long-term commitment of at least five years.

An engagement exists only because an invitation was accepted; it starts by listening.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

MIN_COMMITMENT_YEARS = 5
_ENGAGEMENT_IDS = uuid.UUID("6f1d3c9e-8f7a-4b8e-9a55-2c4a1e7b5d10")


class Status(StrEnum):
    listening = "listening"
    active = "active"
    paused = "paused"
    closing = "closing"
    closed = "closed"


@dataclass(frozen=True)
class ConflictDescription:
    name: str
    country: str
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None


@dataclass
class Engagement:
    id: str
    invitation_id: str
    owner_org: str
    visibility: str
    purpose: str
    conflict: ConflictDescription
    inviter_track: int
    start_date: date
    committed_until: date
    opened_at: datetime
    status: Status = Status.listening

    @classmethod
    def open_from_invitation(
        cls,
        *,
        invitation_id: str,
        owner_org: str,
        visibility: str,
        purpose: str,
        conflict: ConflictDescription,
        inviter_track: int,
        commitment_years: int,
        accepted_at: datetime,
    ) -> Engagement:
        start = accepted_at.date()
        return cls(
            id=engagement_id_for(invitation_id),
            invitation_id=invitation_id,
            owner_org=owner_org,
            visibility=visibility,
            purpose=purpose,
            conflict=conflict,
            inviter_track=inviter_track,
            start_date=start,
            committed_until=add_years(start, max(commitment_years, MIN_COMMITMENT_YEARS)),
            opened_at=accepted_at,
        )


def engagement_id_for(invitation_id: str) -> str:
    """One invitation opens at most one engagement, whatever the redeliveries: derive its id."""
    return str(uuid.uuid5(_ENGAGEMENT_IDS, invitation_id))


def add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a non-leap year
        return start.replace(year=start.year + years, day=28)
