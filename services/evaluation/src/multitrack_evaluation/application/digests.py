"""Use cases reading the engagement digests."""

from __future__ import annotations

from multitrack_evaluation.application.ports import EngagementFilter, EvaluationUoW
from multitrack_evaluation.domain.digest import Digest, digest
from multitrack_evaluation.domain.facts import EngagementHeader
from multitrack_evaluation.domain.overdue import Overdue, overdue
from multitrack_shared.errors import found
from multitrack_shared.ports import Clock


async def get_digest(engagement_id: str, uow: EvaluationUoW) -> Digest:
    async with uow:
        record = await uow.digests.record(engagement_id)
    return digest(found(record, f"no engagement {engagement_id} is known", field="engagement_id"))


async def list_engagements(
    where: EngagementFilter, uow: EvaluationUoW
) -> list[tuple[EngagementHeader, str]]:
    async with uow:
        return await uow.digests.headers(where)


async def overdue_engagements(uow: EvaluationUoW, clock: Clock) -> list[Overdue]:
    async with uow:
        standings = await uow.digests.standings()
    return overdue(standings, clock().date())
