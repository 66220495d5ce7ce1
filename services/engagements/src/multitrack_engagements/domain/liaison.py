"""Standard procedure 3, relationship: a transparent log of contacts with track one.

The officials met are named here and nowhere else: the event carries the institution only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class LiaisonEntry:
    id: str
    engagement_id: str
    institution: str
    officials: tuple[str, ...]
    kind: str
    held_on: date
    summary: str
    recorded_at: datetime
