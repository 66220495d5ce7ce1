"""Reference data a consortium adjusts: tracks, kinds of peacebuilding, standard procedures,
the criteria an invitation is assessed against, and the catalogue of methods.

The procedures circulate in more than one wording, so their labels are data, not code. Codes
never change: an evaluation rates a procedure by its code whatever its current wording. The
nine tracks and the three kinds of peacebuilding are the frame of the method itself: they may
be reworded, but none is added or switched off. A criterion names the standard procedure it
bears on (if any) and whether it is essential: an essential criterion left ``unknown`` needs
an override reason to accept, as an unmet one does. A method (standards 7 and 8) says where it
comes from: local, indigenous or external; a method retired from the catalogue is no longer
named by new activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from multitrack_shared.errors import Conflict, DomainError
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.versioning import FIRST_VERSION


class ReferenceKind(StrEnum):
    track = "track"
    peacebuilding_kind = "peacebuilding_kind"
    standard_procedure = "standard_procedure"
    assessment_criterion = "assessment_criterion"
    method = "method"


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
    origin: CatalogueOrigin | None = None
    """A method's origin; ``None`` for the other kinds."""
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
        origin: CatalogueOrigin | None = None,
    ) -> ReferenceEntry:
        """The entry reworded and/or (de)activated; a criterion's bearing, a method's origin
        changed or kept."""
        if not active and self.kind in FIXED_KINDS:
            raise DomainError(
                f"a {self.kind.value} cannot be deactivated; it can only be reworded",
                field="active",
                code="fixed_vocabulary",
            )
        bearing = bearing or CriterionBearing(self.procedure, self.essential)
        _require_criterion_for(self.kind, bearing)
        origin = _origin_for(self.kind, origin or self.origin)
        return replace(
            self,
            label=label,
            description=description,
            active=active,
            procedure=bearing.procedure,
            essential=bearing.essential,
            origin=origin,
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


def _origin_for(kind: ReferenceKind, origin: CatalogueOrigin | None) -> CatalogueOrigin | None:
    """A method says where it comes from; nothing else has an origin."""
    if kind is ReferenceKind.method and origin is None:
        raise DomainError(
            "a method is local, indigenous or external", field="origin", code="origin_required"
        )
    if kind is not ReferenceKind.method and origin is not None:
        raise DomainError(
            f"only a method has an origin, not a {kind.value}", field="origin", code="method_only"
        )
    return origin


def new_entry(
    kind: ReferenceKind,
    code: str,
    label: str,
    description: str,
    existing: list[ReferenceEntry],
    bearing: CriterionBearing = NO_BEARING,
    origin: CatalogueOrigin | None = None,
) -> ReferenceEntry:
    """A new item of ``kind``, placed after the existing ones; only procedures, criteria and
    methods may grow."""
    if kind in FIXED_KINDS:
        raise DomainError(
            f"the {kind.value} codes are fixed; only standard procedures, assessment "
            "criteria and methods can be added",
            field="kind",
            code="fixed_vocabulary",
        )
    if any(entry.code == code for entry in existing):
        raise Conflict(f"{kind.value} {code!r} already exists", field="code", code="duplicate")
    _require_criterion_for(kind, bearing)
    _origin_for(kind, origin)
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
        origin=origin,
    )
