"""Conflicts as shared records: the consortium's common reference for a conflict.

Invitations, engagements, analyses and lessons about the same conflict name it by its id, so
the consortium sees its whole presence there (``compass``). A conflict belongs to the
organization that registered it and is seen by the consortium or by that organization alone,
like every record; its phase moves on and actors appear, so it is revised as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from multitrack_engagements.domain.analysis import Actor
from multitrack_shared.versioning import FIRST_VERSION


@dataclass(frozen=True)
class ConflictProfile:
    """What the conflict is: everything a revision may change."""

    name: str
    country: str
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None
    actors: tuple[Actor, ...] = ()
    """Actors' names are personal (an actor may be a person): events carry sides and tracks."""


@dataclass
class SharedConflict:
    id: str
    owner_org: str
    visibility: str
    profile: ConflictProfile
    registered_at: datetime
    revised_at: datetime | None = None
    version: int = field(default=FIRST_VERSION, compare=False)

    def revise(self, profile: ConflictProfile, at: datetime) -> None:
        self.profile = profile
        self.revised_at = at
