"""Reference data a consortium adjusts: tracks, kinds of peacebuilding, standard procedures,
and the criteria an invitation is assessed against.

The procedures circulate in more than one wording, so their labels are data, not code. Codes
never change: an evaluation rates a procedure by its code whatever its current wording. The
nine tracks and the three kinds of peacebuilding are the frame of the method itself: they may
be reworded, but none is added or switched off. A criterion names the standard procedure it
bears on (if any) and whether it is essential: an essential criterion left ``unknown`` needs
an override reason to accept, as an unmet one does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.versioning import FIRST_VERSION


class ReferenceKind(StrEnum):
    track = "track"
    peacebuilding_kind = "peacebuilding_kind"
    standard_procedure = "standard_procedure"
    assessment_criterion = "assessment_criterion"


FIXED_KINDS = frozenset({ReferenceKind.track, ReferenceKind.peacebuilding_kind})
"""Kinds whose set of codes is closed: tracks 1..9 and the three kinds of peacebuilding."""


@dataclass
class ReferenceEntry:
    kind: ReferenceKind
    code: str
    label: str
    description: str
    active: bool
    position: int
    procedure: str | None = None
    """A criterion's standard procedure code; ``None`` for other kinds, or none it bears on."""
    essential: bool = False
    version: int = field(default=FIRST_VERSION, compare=False)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.code}"

    def adjusted(
        self,
        label: str,
        description: str,
        active: bool,
        bearing: CriterionBearing | None = None,
    ) -> ReferenceEntry:
        """The entry reworded and/or (de)activated; a criterion's bearing changed or kept."""
        if not active and self.kind in FIXED_KINDS:
            raise DomainError(
                f"a {self.kind.value} cannot be deactivated; it can only be reworded",
                field="active",
                code="fixed_vocabulary",
            )
        bearing = bearing or CriterionBearing(self.procedure, self.essential)
        _require_criterion_for(self.kind, bearing)
        return replace(
            self,
            label=label,
            description=description,
            active=active,
            procedure=bearing.procedure,
            essential=bearing.essential,
        )


@dataclass(frozen=True)
class CriterionBearing:
    """What an assessment criterion bears on: a standard procedure, and whether an
    ``unknown`` verdict on it needs an override."""

    procedure: str | None = None
    essential: bool = False

    def check(self, procedures: list[ReferenceEntry]) -> CriterionBearing:
        """Itself, if its procedure is one of ``procedures``' active codes."""
        if self.procedure is not None and self.procedure not in {
            p.code for p in procedures if p.active
        }:
            raise DomainError(
                f"{self.procedure!r} is not an active standard procedure",
                field="procedure",
                code="unknown_procedure",
            )
        return self


NO_BEARING = CriterionBearing()


def _require_criterion_for(kind: ReferenceKind, bearing: CriterionBearing) -> None:
    if kind is not ReferenceKind.assessment_criterion and bearing != NO_BEARING:
        raise DomainError(
            f"only an assessment criterion bears on a procedure or is essential, not a "
            f"{kind.value}",
            field="procedure" if bearing.procedure else "essential",
            code="criterion_only",
        )


def new_entry(
    kind: ReferenceKind,
    code: str,
    label: str,
    description: str,
    existing: list[ReferenceEntry],
    bearing: CriterionBearing = NO_BEARING,
) -> ReferenceEntry:
    """A new item of ``kind``, placed after the existing ones; only procedures and criteria
    may grow."""
    if kind in FIXED_KINDS:
        raise DomainError(
            f"the {kind.value} codes are fixed; only standard procedures and assessment "
            "criteria can be added",
            field="kind",
            code="fixed_vocabulary",
        )
    if any(entry.code == code for entry in existing):
        raise Conflict(f"{kind.value} {code!r} already exists", field="code", code="duplicate")
    _require_criterion_for(kind, bearing)
    position = max((entry.position for entry in existing), default=0) + 1
    return ReferenceEntry(
        kind,
        code,
        label,
        description,
        active=True,
        position=position,
        procedure=bearing.procedure,
        essential=bearing.essential,
    )
