"""Composition root of the partners service."""

from __future__ import annotations

from multitrack_partners.adapters.tables import AUDIT_LOG, READ_MODELS, messaging, metadata
from multitrack_partners.adapters.uow import PartnersUnitOfWork
from multitrack_partners.entrypoints.consumers import handlers
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings


class PartnersSettings(ServiceSettings):
    service_name: str = "partners"


SERVICE = ServiceParts(
    settings_class=PartnersSettings,
    migrations_dir=service_migrations(__file__),
    metadata=metadata,
    messaging=messaging,
    read_models=READ_MODELS,
    uow_class=PartnersUnitOfWork,
    handlers=handlers,
    audit_log=AUDIT_LOG,
)


def bootstrap(settings: PartnersSettings | None = None) -> ServiceRuntime[PartnersUnitOfWork]:
    return SERVICE.runtime(settings)
