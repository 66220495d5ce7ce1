"""Composition root of the evaluation service."""

from __future__ import annotations

from multitrack_evaluation.adapters.tables import AUDIT_LOG, READ_MODELS, messaging, metadata
from multitrack_evaluation.adapters.uow import EvaluationUnitOfWork
from multitrack_evaluation.entrypoints.consumers import handlers
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings

MIGRATIONS = service_migrations(__file__)


class EvaluationSettings(ServiceSettings):
    service_name: str = "evaluation"


SERVICE = ServiceParts(
    settings_class=EvaluationSettings,
    migrations_dir=MIGRATIONS,
    metadata=metadata,
    messaging=messaging,
    read_models=READ_MODELS,
    uow_class=EvaluationUnitOfWork,
    handlers=handlers,
    audit_log=AUDIT_LOG,
)


def bootstrap(settings: EvaluationSettings | None = None) -> ServiceRuntime[EvaluationUnitOfWork]:
    return SERVICE.runtime(settings)
