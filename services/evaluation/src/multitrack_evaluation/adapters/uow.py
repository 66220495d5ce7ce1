from __future__ import annotations

from multitrack_shared.db.uow import UnitOfWork

from multitrack_evaluation.adapters.repository import SqlLessonRepository


class EvaluationUnitOfWork(UnitOfWork):
    lessons: SqlLessonRepository

    def _opened(self) -> None:
        self.lessons = SqlLessonRepository(self.session)
