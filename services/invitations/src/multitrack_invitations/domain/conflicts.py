"""The consortium's shared conflict records, as the engagements service publishes them: what
an invitation may name as the conflict it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KnownConflict:
    conflict_id: str
    owner_org: str
    visibility: str
    name: str
    country: str
    changed_at: datetime
