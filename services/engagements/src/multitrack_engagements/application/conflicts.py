"""Use cases on conflicts as shared records, and the consortium's compass for one.

A conflict is registered and revised by a coordinator of any member (it then belongs to that
member) and read by whoever may see it. The compass counts only the engagements its caller may
see (``domain.compass``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from multitrack_engagements.application.ports import (
    ConflictFilter,
    EngagementFilter,
    EngagementsUoW,
)
from multitrack_engagements.domain.compass import ConsortiumCompass, consortium_compass
from multitrack_engagements.domain.conflicts import ConflictProfile, SharedConflict
from multitrack_engagements.domain.coverage import track_labels
from multitrack_shared.auth.policy import (
    changeable,
    owner_of_new_record,
    readable,
    require_role,
    scope_of,
)
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.conflicts import (
    ConflictActorProfile,
    ConflictRegistered,
    ConflictRevised,
)
from multitrack_shared.ports import Clock
from multitrack_shared.versioning import ANY_VERSION, Precondition

EVERY_ENGAGEMENT_ON_IT = 10_000
"""Far more engagements than any consortium holds on one conflict."""


@dataclass(frozen=True)
class RegisterConflict:
    profile: ConflictProfile
    visibility: str


@dataclass(frozen=True)
class ReviseConflict:
    conflict_id: str
    profile: ConflictProfile
    precondition: Precondition = ANY_VERSION


async def register_conflict(
    cmd: RegisterConflict, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> SharedConflict:
    require_role(caller, Role.coordinator)
    conflict = SharedConflict(
        id=str(uuid.uuid4()),
        owner_org=owner_of_new_record(caller),
        visibility=cmd.visibility,
        profile=cmd.profile,
        registered_at=clock(),
    )
    async with uow:
        await uow.conflicts.add(conflict)
        uow.publish(
            ConflictRegistered(**_published(conflict), registered_at=conflict.registered_at)
        )
        await uow.commit()
    return conflict


async def revise_conflict(
    cmd: ReviseConflict, caller: Principal, uow: EngagementsUoW, clock: Clock
) -> SharedConflict:
    async with uow:
        conflict = changeable(
            await uow.conflicts.get(cmd.conflict_id),
            caller,
            Role.coordinator,
            message=_missing(cmd.conflict_id),
            field="conflict_id",
        )
        cmd.precondition.check(conflict.id, conflict.version)
        now = clock()
        conflict.revise(cmd.profile, now)
        await uow.conflicts.save(conflict)
        uow.publish(ConflictRevised(**_published(conflict), revised_at=now))
        await uow.commit()
    return conflict


async def get_conflict(conflict_id: str, caller: Principal, uow: EngagementsUoW) -> SharedConflict:
    async with uow:
        return await _readable(uow, conflict_id, caller)


async def list_conflicts(
    where: ConflictFilter, caller: Principal, uow: EngagementsUoW
) -> list[SharedConflict]:
    async with uow:
        return await uow.conflicts.search(replace(where, scope=scope_of(caller)))


@dataclass(frozen=True)
class ConflictView:
    conflict: SharedConflict
    compass: ConsortiumCompass


async def conflict_compass(
    conflict_id: str, caller: Principal, uow: EngagementsUoW
) -> ConflictView:
    async with uow:
        conflict = await _readable(uow, conflict_id, caller)
        engagements = await uow.engagements.search(
            EngagementFilter(
                scope=scope_of(caller), conflict_id=conflict.id, limit=EVERY_ENGAGEMENT_ON_IT
            )
        )
        facts = await uow.facts.of_each(engagements)
        labels = track_labels(await uow.track_labels.active_labels())
    return ConflictView(conflict, consortium_compass(facts, labels))


async def _readable(uow: EngagementsUoW, conflict_id: str, caller: Principal) -> SharedConflict:
    return readable(
        await uow.conflicts.get(conflict_id), caller, _missing(conflict_id), field="conflict_id"
    )


def _published(conflict: SharedConflict) -> dict[str, object]:
    p = conflict.profile
    return {
        "conflict_id": conflict.id,
        "ownership": Ownership(
            owner_org=conflict.owner_org, visibility=Visibility(conflict.visibility)
        ),
        "name": p.name,
        "country": p.country,
        "region": p.region,
        "conflict_type": p.conflict_type,
        "phase": p.phase,
        "actors": [
            ConflictActorProfile(side=a.side, track=a.track, role=a.role.value) for a in p.actors
        ],
    }


def _missing(conflict_id: str) -> str:
    return f"no conflict {conflict_id}"
