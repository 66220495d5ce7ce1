"""Composition root of the evaluation service."""

from __future__ import annotations

from pathlib import Path

from multitrack_evaluation.adapters.read_models import READ_MODELS
from multitrack_evaluation.adapters.tables import messaging, metadata
from multitrack_evaluation.adapters.uow import EvaluationUnitOfWork
from multitrack_evaluation.entrypoints.consumers import subscription
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class EvaluationSettings(ServiceSettings):
    service_name: str = "evaluation"


def bootstrap(settings: EvaluationSettings) -> ServiceRuntime[EvaluationUnitOfWork]:
    return ServiceRuntime(
        settings,
        metadata=metadata,
        tables=messaging,
        migrations_dir=MIGRATIONS,
        uow_class=EvaluationUnitOfWork,
        subscription=subscription,
        read_models=READ_MODELS,
    )
