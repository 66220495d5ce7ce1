from __future__ import annotations

from multitrack_evaluation.adapters.repository import SqlLessonRepository
from multitrack_shared.db.uow import UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    lessons: SqlLessonRepository

    def _opened(self) -> None:
        self.lessons = SqlLessonRepository(self.session)
