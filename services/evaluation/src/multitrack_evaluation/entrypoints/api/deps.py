"""The evaluation service's typed unit of work; the clock and the rest are shared."""

from __future__ import annotations

from typing import Annotated

from multitrack_evaluation.application.ports import EvaluationUoW
from multitrack_shared.http.deps import NewUnitOfWork

UowDep = Annotated[EvaluationUoW, NewUnitOfWork]
