"""The evaluation service's unit of work: its repositories on one transaction."""

from __future__ import annotations

from multitrack_evaluation.adapters.repositories.attitudes import SqlAttitudeRepository
from multitrack_evaluation.adapters.repositories.digests import SqlDigestRepository
from multitrack_evaluation.adapters.repositories.evaluations import SqlEvaluationRepository
from multitrack_evaluation.adapters.repositories.lessons import (
    SqlLessonRepository,
    SqlResponseRepository,
)
from multitrack_evaluation.adapters.repositories.reference import SqlReferenceRepository
from multitrack_shared.db.uow import Repository, UnitOfWork


class EvaluationUnitOfWork(UnitOfWork):
    lessons = Repository(SqlLessonRepository)
    responses = Repository(SqlResponseRepository)
    reference = Repository(SqlReferenceRepository)
    evaluations = Repository(SqlEvaluationRepository)
    digests = Repository(SqlDigestRepository)
    attitudes = Repository(SqlAttitudeRepository)
