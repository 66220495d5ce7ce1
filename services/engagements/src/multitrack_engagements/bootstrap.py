"""Composition root of the engagements service."""

from __future__ import annotations

from pydantic import Field

from multitrack_engagements.adapters.tables import AUDIT_LOG, READ_MODELS, messaging, metadata
from multitrack_engagements.adapters.uow import EngagementsUnitOfWork
from multitrack_engagements.domain.dates import DEFAULT_HORIZON_DAYS
from multitrack_engagements.entrypoints.consumers import handlers
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings


class EngagementsSettings(ServiceSettings):
    service_name: str = "engagements"
    planning_horizon_days: int = Field(
        default=DEFAULT_HORIZON_DAYS,
        ge=0,
        le=3650,
        description="How many days ahead of today an activity may be planned.",
    )


SERVICE = ServiceParts(
    settings_class=EngagementsSettings,
    migrations_dir=service_migrations(__file__),
    metadata=metadata,
    messaging=messaging,
    read_models=READ_MODELS,
    uow_class=EngagementsUnitOfWork,
    handlers=handlers,
    audit_log=AUDIT_LOG,
)


def bootstrap(settings: EngagementsSettings | None = None) -> ServiceRuntime[EngagementsUnitOfWork]:
    return SERVICE.runtime(settings)
