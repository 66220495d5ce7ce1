"""Reference data a consortium adjusts: tracks, kinds of peacebuilding, standard procedures.

The procedures circulate in more than one wording, so their labels are data, not code. Codes
never change: an evaluation rates a procedure by its code whatever its current wording. The
nine tracks and the three kinds of peacebuilding are the frame of the method itself: they may
be reworded, but none is added or switched off.
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
    version: int = field(default=FIRST_VERSION, compare=False)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.code}"

    def adjusted(self, label: str, description: str, active: bool) -> ReferenceEntry:
        """The entry reworded and/or (de)activated."""
        if not active and self.kind in FIXED_KINDS:
            raise DomainError(
                f"a {self.kind.value} cannot be deactivated; it can only be reworded",
                field="active",
                code="fixed_vocabulary",
            )
        return replace(self, label=label, description=description, active=active)


def new_entry(
    kind: ReferenceKind,
    code: str,
    label: str,
    description: str,
    existing: list[ReferenceEntry],
) -> ReferenceEntry:
    """A new item of ``kind``, placed after the existing ones; only procedures may grow."""
    if kind in FIXED_KINDS:
        raise DomainError(
            f"the {kind.value} codes are fixed; only standard procedures can be added",
            field="kind",
            code="fixed_vocabulary",
        )
    if any(entry.code == code for entry in existing):
        raise Conflict(f"{kind.value} {code!r} already exists", field="code", code="duplicate")
    position = max((entry.position for entry in existing), default=0) + 1
    return ReferenceEntry(kind, code, label, description, active=True, position=position)
