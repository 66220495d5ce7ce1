from __future__ import annotations

from multitrack_evaluation.adapters.digests import SqlDigestRepository
from multitrack_evaluation.adapters.evaluations import SqlEvaluationRepository
from multitrack_evaluation.adapters.lessons import SqlLessonRepository, SqlResponseRepository
from multitrack_evaluation.adapters.reference import SqlReferenceRepository
from multitrack_shared.db.uow import UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    lessons: SqlLessonRepository
    responses: SqlResponseRepository
    reference: SqlReferenceRepository
    evaluations: SqlEvaluationRepository
    digests: SqlDigestRepository

    def _opened(self) -> None:
        self.lessons = SqlLessonRepository(self.session)
        self.responses = SqlResponseRepository(self.session)
        self.reference = SqlReferenceRepository(self.session)
        self.evaluations = SqlEvaluationRepository(self.session)
        self.digests = SqlDigestRepository(self.session)
