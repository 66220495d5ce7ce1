"""Every SQL query of the assessment criteria read model."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_invitations.adapters.tables import AssessmentCriterionRow
from multitrack_invitations.domain.criteria import AssessmentCriterion
from multitrack_shared.times import utc


class SqlCriterionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, code: str) -> AssessmentCriterion | None:
        row = await self._session.get(AssessmentCriterionRow, code)
        return _to_domain(row) if row else None

    async def put(self, criterion: AssessmentCriterion) -> None:
        """Insert or overwrite the row of ``criterion.code``."""
        row = await self._session.get(AssessmentCriterionRow, criterion.code)
        if row is None:
            row = AssessmentCriterionRow(code=criterion.code)
            self._session.add(row)
        row.label = criterion.label
        row.description = criterion.description
        row.procedure = criterion.procedure
        row.essential = criterion.essential
        row.active = criterion.active
        row.changed_at = criterion.changed_at

    async def changed(self) -> list[AssessmentCriterion]:
        query = select(AssessmentCriterionRow).order_by(col(AssessmentCriterionRow.code))
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _to_domain(row: AssessmentCriterionRow) -> AssessmentCriterion:
    return AssessmentCriterion(
        code=row.code,
        label=row.label,
        description=row.description,
        procedure=row.procedure,
        essential=row.essential,
        active=row.active,
        changed_at=utc(row.changed_at) if row.changed_at else None,
    )
