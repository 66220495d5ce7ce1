"""Activities: what was done, with whom, by which methods, and the Do No Harm check.

Facilitators' names are personal and stay here; events carry counts. An activity is led
locally (standard 11, empowerment) when more of its facilitators are local than external; it
says whether local people designed it too (unknown for activities recorded before that was
asked). A training carries its own details (``domain.training``); its participants are its
trainees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from multitrack_engagements.domain.engagement import MethodBlend
from multitrack_engagements.domain.training import Training, require_training_details
from multitrack_shared.errors import DomainError
from multitrack_shared.events.vocabulary import MethodOrigin, ParticipantRole, RppQuadrant, Sex
from multitrack_shared.reference import PEACEBUILDING_KINDS

ACTIVITY_KINDS = ("dialogue", "training", "workshop", "consultation", "other")
PEACEBUILDING_KIND_CODES = tuple(item.code for item in PEACEBUILDING_KINDS)


@dataclass(frozen=True)
class Method:
    name: str
    origin: MethodOrigin
    """Local (indigenous included) or external, as the blend counts it."""
    code: str | None = None
    """The method's code in the consortium's catalogue; None in records from before it."""


@dataclass(frozen=True)
class Facilitator:
    name: str
    local: bool


@dataclass(frozen=True)
class ParticipantCount:
    sex: Sex
    role: ParticipantRole
    track: int
    count: int
    side: str | None = None


@dataclass(frozen=True)
class DoNoHarm:
    """The activity's details checked against the dividers and connectors of the conflict."""

    note: str
    dividers: tuple[str, ...] = ()
    connectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    id: str
    engagement_id: str
    kind: str
    held_on: date
    place: str
    tracks: tuple[int, ...]
    peacebuilding_kind: str
    rpp_quadrant: RppQuadrant
    methods: tuple[Method, ...]
    facilitators: tuple[Facilitator, ...]
    participants: tuple[ParticipantCount, ...]
    do_no_harm: DoNoHarm
    recorded_at: datetime
    designed_locally: bool | None = None
    """Whether local people designed it; None when recorded before that was asked."""
    training: Training | None = None

    def __post_init__(self) -> None:
        if self.kind not in ACTIVITY_KINDS:
            raise DomainError(
                f"kind is one of {', '.join(ACTIVITY_KINDS)}",
                field="kind",
                code="unknown_activity_kind",
            )
        require_training_details(self.kind, self.training)
        _check_tracks(self.tracks)
        if self.peacebuilding_kind not in PEACEBUILDING_KIND_CODES:
            raise DomainError(
                f"peacebuilding_kind is one of {', '.join(PEACEBUILDING_KIND_CODES)}",
                field="peacebuilding_kind",
                code="unknown_peacebuilding_kind",
            )
        for i, group in enumerate(self.participants):
            if group.count < 1 or not 1 <= group.track <= 9:
                raise DomainError(
                    "a participant group counts at least one person on a track 1 to 9",
                    field=f"participants.{i}",
                    code="invalid_participant_count",
                )
        if not self.do_no_harm.note.strip():
            raise DomainError(
                "every activity records its Do No Harm note",
                field="do_no_harm.note",
                code="required",
            )

    @property
    def local_facilitators(self) -> int:
        return sum(1 for f in self.facilitators if f.local)

    @property
    def external_facilitators(self) -> int:
        return len(self.facilitators) - self.local_facilitators

    @property
    def led_locally(self) -> bool:
        return self.local_facilitators > self.external_facilitators

    def counted_by_sex_and_role(self) -> dict[tuple[Sex, ParticipantRole], int]:
        """Participants (a training's trainees) by sex and role, whatever their track or side."""
        counts: dict[tuple[Sex, ParticipantRole], int] = {}
        for group in self.participants:
            key = (group.sex, group.role)
            counts[key] = counts.get(key, 0) + group.count
        return counts

    @property
    def participants_counted(self) -> int:
        """Everyone who took part: a training's trainees."""
        return sum(group.count for group in self.participants)

    @property
    def method_blend(self) -> MethodBlend:
        local = sum(1 for m in self.methods if m.origin is MethodOrigin.local)
        return MethodBlend(local=local, external=len(self.methods) - local)


def _check_tracks(tracks: tuple[int, ...]) -> None:
    if not tracks:
        raise DomainError(
            "an activity works with at least one track", field="tracks", code="required"
        )
    for i, track in enumerate(tracks):
        if not 1 <= track <= 9:
            raise DomainError("a track is 1 to 9", field=f"tracks.{i}", code="track_out_of_range")
    if len(set(tracks)) != len(tracks):
        raise DomainError("each track once", field="tracks", code="tracks_not_distinct")
