"""Conflict analysis, repeated over time: each version dated, with who took part.

The sides of the conflict are the distinct sides of the actors named in the LATEST version;
listening completeness and coverage are measured against them. Side names compare
case-insensitively everywhere (``side_key``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from multitrack_shared.errors import DomainError


class ActorRole(StrEnum):
    party = "party"
    stakeholder = "stakeholder"
    spoiler = "spoiler"
    capacity_for_peace = "capacity_for_peace"


@dataclass(frozen=True)
class Actor:
    name: str
    side: str
    track: int
    role: ActorRole


@dataclass(frozen=True)
class ConflictAnalysis:
    engagement_id: str
    version: int
    analysed_on: date
    participants: tuple[str, ...]
    actors: tuple[Actor, ...]
    causes: tuple[str, ...]
    dividers: tuple[str, ...]
    connectors: tuple[str, ...]
    recorded_at: datetime

    @classmethod
    def next_version(
        cls,
        *,
        engagement_id: str,
        latest_version: int | None,
        analysed_on: date,
        participants: Iterable[str],
        actors: Iterable[Actor],
        causes: Iterable[str],
        dividers: Iterable[str],
        connectors: Iterable[str],
        recorded_at: datetime,
    ) -> ConflictAnalysis:
        analysis = cls(
            engagement_id=engagement_id,
            version=(latest_version or 0) + 1,
            analysed_on=analysed_on,
            participants=tuple(participants),
            actors=tuple(actors),
            causes=tuple(causes),
            dividers=tuple(dividers),
            connectors=tuple(connectors),
            recorded_at=recorded_at,
        )
        analysis._check()
        return analysis

    def _check(self) -> None:
        if not self.participants:
            raise DomainError(
                "say who took part in the analysis", field="participants", code="required"
            )
        if not self.actors:
            raise DomainError(
                "an analysis names at least one actor, with its side",
                field="actors",
                code="required",
            )
        for i, actor in enumerate(self.actors):
            if not 1 <= actor.track <= 9:
                raise DomainError(
                    "a track is 1 to 9", field=f"actors.{i}.track", code="track_out_of_range"
                )

    @property
    def sides(self) -> list[str]:
        return distinct_sides(actor.side for actor in self.actors)

    @property
    def actor_tracks(self) -> list[int]:
        return [actor.track for actor in self.actors]

    @property
    def actors_by_role(self) -> dict[str, int]:
        counts = Counter(actor.role.value for actor in self.actors)
        return {role.value: counts[role.value] for role in ActorRole}


def side_key(side: str) -> str:
    return side.strip().casefold()


def distinct_sides(sides: Iterable[str]) -> list[str]:
    """Each side once, case-insensitively, spelled as first named, in the order named."""
    seen: dict[str, str] = {}
    for side in sides:
        seen.setdefault(side_key(side), side.strip())
    return list(seen.values())
