"""Use cases on the consortium's reference data; each change publishes ReferenceChanged.

Every caller reads it; only consortium admins change it: it belongs to the consortium, not
to a member organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_evaluation.application.access import REFERENCE_KEEPER, require_reader
from multitrack_evaluation.application.ports import EvaluationUoW
from multitrack_evaluation.domain.reference import (
    NO_BEARING,
    CriterionBearing,
    ReferenceEntry,
    ReferenceKind,
    new_entry,
)
from multitrack_shared.auth.policy import require_role
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import found
from multitrack_shared.events.evaluation import ReferenceChanged
from multitrack_shared.events.vocabulary import CatalogueOrigin
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition


@dataclass(frozen=True)
class AdjustEntry:
    kind: ReferenceKind
    code: str
    label: str
    description: str
    active: bool
    precondition: Precondition = ANY_VERSION
    procedure: str | None = None
    """A criterion's new standard procedure; ``None`` keeps the one it has."""
    essential: bool | None = None
    """Whether a criterion is essential; ``None`` keeps what it is."""
    origin: CatalogueOrigin | None = None
    """A method's origin; ``None`` keeps the one it has."""


@dataclass(frozen=True)
class AddEntry:
    kind: ReferenceKind
    code: str
    label: str
    description: str
    bearing: CriterionBearing = NO_BEARING
    origin: CatalogueOrigin | None = None
    """A method's origin (required for a method, refused for the other kinds)."""


async def list_entries(
    kind: ReferenceKind | None, caller: Principal, uow: EvaluationUoW
) -> list[ReferenceEntry]:
    require_reader(caller)
    async with uow:
        return await uow.reference.entries(kind)


async def adjust_entry(
    cmd: AdjustEntry, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> ReferenceEntry:
    """Reword or (de)activate an item; an adjustment that changes nothing publishes nothing."""
    require_role(caller, REFERENCE_KEEPER)
    async with uow:
        entry = found(
            await uow.reference.get(cmd.kind, cmd.code),
            f"no {cmd.kind.value} {cmd.code!r}",
            field="code",
        )
        cmd.precondition.check(entry.key, entry.version)
        adjusted = entry.adjusted(
            cmd.label, cmd.description, cmd.active, await _bearing(cmd, entry, uow), cmd.origin
        )
        if adjusted != entry:
            await uow.reference.save(adjusted)
            uow.publish(_changed(adjusted, clock))
            await uow.commit()
        return adjusted


async def add_entry(
    cmd: AddEntry, caller: Principal, uow: EvaluationUoW, clock: Clock
) -> ReferenceEntry:
    require_role(caller, REFERENCE_KEEPER)
    async with uow:
        existing = await uow.reference.entries(cmd.kind)
        bearing = cmd.bearing
        if bearing.procedure is not None:
            bearing.check(await uow.reference.entries(ReferenceKind.standard_procedure))
        entry = new_entry(
            cmd.kind, cmd.code, cmd.label, cmd.description, existing, bearing, cmd.origin
        )
        await uow.reference.add(entry)
        uow.publish(_changed(entry, clock))
        await uow.commit()
        return entry


async def _bearing(
    cmd: AdjustEntry, entry: ReferenceEntry, uow: EvaluationUoW
) -> CriterionBearing | None:
    """The bearing ``cmd`` asks for, its procedure checked only when it changes (a criterion
    keeps a procedure the consortium has since retired until someone moves it)."""
    if cmd.procedure is None and cmd.essential is None:
        return None
    bearing = CriterionBearing(
        procedure=cmd.procedure if cmd.procedure is not None else entry.procedure,
        essential=cmd.essential if cmd.essential is not None else entry.essential,
    )
    if bearing.procedure != entry.procedure:
        bearing.check(await uow.reference.entries(ReferenceKind.standard_procedure))
    return bearing


def _changed(entry: ReferenceEntry, clock: Clock) -> ReferenceChanged:
    return ReferenceChanged(
        key=entry.key,
        kind=entry.kind.value,
        code=entry.code,
        label=entry.label,
        description=entry.description,
        active=entry.active,
        procedure=entry.procedure,
        essential=entry.essential,
        origin=entry.origin.value if entry.origin else None,
        changed_at=clock(),
    )
