"""Bodies of conflicts as shared records, and of the consortium's compass for one.

The actors' names are personal (an actor may be a person): only the owning organization's
people see them; everyone who may read the conflict sees the sides, tracks and roles.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from multitrack_engagements.application.conflicts import ConflictView
from multitrack_engagements.domain.analysis import Actor
from multitrack_engagements.domain.compass import CompassPoint, EngagementOnConflict
from multitrack_engagements.domain.conflicts import ConflictProfile, SharedConflict
from multitrack_engagements.entrypoints.api.schemas.analyses import ActorIn, ActorOut
from multitrack_shared.events.common import Visibility
from multitrack_shared.validation import CountryCode, Name, ShortCode, Strict


class ConflictProfileIn(Strict):
    name: Name = Field(
        description="Name by which the conflict is known.",
        examples=["Montes de María land conflict"],
    )
    country: CountryCode
    region: Name | None = Field(
        default=None, description="Region within or across countries.", examples=["Caribbean"]
    )
    conflict_type: ShortCode | None = Field(
        default=None, description="Kind of conflict, e.g. ethno-political, land.", examples=["land"]
    )
    phase: ShortCode | None = Field(
        default=None,
        description="Phase of the conflict, e.g. latent, escalation, post-agreement.",
        examples=["post-agreement"],
    )
    actors: list[ActorIn] = Field(
        default_factory=list, description="The conflict's actors, with their sides."
    )

    def profile(self) -> ConflictProfile:
        return ConflictProfile(
            name=self.name,
            country=self.country.value,
            region=self.region,
            conflict_type=self.conflict_type,
            phase=self.phase,
            actors=tuple(Actor(a.name, a.side, a.track, a.role) for a in self.actors),
        )


class ConflictCreate(ConflictProfileIn):
    """A conflict becoming a shared record; the caller's organization registers and owns it."""

    visibility: Visibility = Field(
        default=Visibility.consortium,
        description="consortium: every member sees it; owner: the caller's organization only.",
        examples=["consortium"],
    )


class ConflictPublic(BaseModel):
    id: str
    owner_org: str
    visibility: str
    name: str
    country: str
    region: str | None
    conflict_type: str | None
    phase: str | None
    actors: list[ActorOut]
    registered_at: datetime
    revised_at: datetime | None
    version: int

    @classmethod
    def of(cls, conflict: SharedConflict) -> ConflictPublic:
        p = conflict.profile
        return cls(
            id=conflict.id,
            owner_org=conflict.owner_org,
            visibility=conflict.visibility,
            name=p.name,
            country=p.country,
            region=p.region,
            conflict_type=p.conflict_type,
            phase=p.phase,
            actors=[
                ActorOut(name=a.name, side=a.side, track=a.track, role=a.role) for a in p.actors
            ],
            registered_at=conflict.registered_at,
            revised_at=conflict.revised_at,
            version=conflict.version,
        )


class EngagementOnConflictOut(BaseModel):
    engagement_id: str
    owner_org: str = Field(description="The member organization working through it.")
    status: str
    tracks: list[int] = Field(description="Tracks it reaches (its nine-track coverage).")

    @classmethod
    def of(cls, e: EngagementOnConflict) -> EngagementOnConflictOut:
        return cls(
            engagement_id=e.engagement_id,
            owner_org=e.owner_org,
            status=e.status.value,
            tracks=list(e.tracks),
        )


class CompassPointOut(BaseModel):
    track: int
    label: str
    covered: bool
    engagements: list[str] = Field(description="Engagements reaching the track.")
    members: list[str] = Field(description="Member organizations reaching the track.")

    @classmethod
    def of(cls, p: CompassPoint) -> CompassPointOut:
        return cls(
            track=p.track,
            label=p.label,
            covered=p.covered,
            engagements=list(p.engagements),
            members=list(p.members),
        )


class UncoveredOut(BaseModel):
    track: int
    label: str


class ConflictCompassPublic(BaseModel):
    """The consortium's presence on the conflict, as far as the caller may see it."""

    conflict: ConflictPublic
    engagements: list[EngagementOnConflictOut] = Field(
        description="Every engagement on the conflict the caller may see, closed ones included "
        "(their tracks no longer count). Another organization's owner-only engagement is "
        "neither listed nor counted."
    )
    members: list[str] = Field(
        description="Member organizations working on the conflict: owners of its engagements "
        "that are not closed."
    )
    tracks: list[CompassPointOut] = Field(description="The nine tracks, each with who reaches it.")
    uncovered: list[UncoveredOut] = Field(description="Tracks nobody in the consortium reaches.")

    @classmethod
    def of(cls, view: ConflictView, conflict: ConflictPublic) -> ConflictCompassPublic:
        c = view.compass
        return cls(
            conflict=conflict,
            engagements=[EngagementOnConflictOut.of(e) for e in c.engagements],
            members=list(c.members),
            tracks=[CompassPointOut.of(p) for p in c.tracks],
            uncovered=[UncoveredOut(track=p.track, label=p.label) for p in c.uncovered],
        )
