"""Use cases reading the engagement digests, each engagement as its owner's visibility allows:
an owner-only engagement of another organization has no digest, is in no list and counts in
no conflict's trends."""

from __future__ import annotations

from dataclasses import replace

from multitrack_evaluation.application.access import require_reader
from multitrack_evaluation.application.ports import EngagementFilter, EvaluationUoW
from multitrack_evaluation.domain.digest import Digest, digest
from multitrack_evaluation.domain.facts import EngagementHeader
from multitrack_evaluation.domain.overdue import Overdue, overdue
from multitrack_evaluation.domain.trends import ConflictTrends, of_conflict
from multitrack_shared.auth.policy import readable, scope_of
from multitrack_shared.auth.principal import Principal
from multitrack_shared.errors import NotFound
from multitrack_shared.ports import Clock


async def get_digest(engagement_id: str, caller: Principal, uow: EvaluationUoW) -> Digest:
    require_reader(caller)
    async with uow:
        record = await uow.digests.record(engagement_id)
    message = f"no engagement {engagement_id} is known"
    return digest(readable(record, caller, message, field="engagement_id"))


async def conflict_trends(
    conflict_id: str, caller: Principal, uow: EvaluationUoW
) -> ConflictTrends:
    """Not found when the caller may see no engagement on the conflict: one known only through
    hidden engagements answers as an unknown one."""
    require_reader(caller)
    async with uow:
        records = await uow.digests.on_conflict(conflict_id, scope_of(caller))
    if not records:
        message = f"no engagement on conflict {conflict_id} is known"
        raise NotFound(message, field="conflict_id")
    return of_conflict(conflict_id, records)


async def list_engagements(
    where: EngagementFilter, caller: Principal, uow: EvaluationUoW
) -> list[tuple[EngagementHeader, str]]:
    require_reader(caller)
    async with uow:
        return await uow.digests.headers(replace(where, scope=scope_of(caller)))


async def overdue_engagements(caller: Principal, uow: EvaluationUoW, clock: Clock) -> list[Overdue]:
    require_reader(caller)
    async with uow:
        standings = await uow.digests.standings(scope_of(caller))
    return overdue(standings, clock().date())
