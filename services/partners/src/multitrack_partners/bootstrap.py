"""Composition root of the partners service."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, cast

from pydantic import Field, SecretStr

from multitrack_partners.adapters.tables import AUDIT_LOG, READ_MODELS, messaging, metadata
from multitrack_partners.adapters.uow import PartnersUnitOfWork
from multitrack_partners.adapters.webhooks import FernetSeal, HttpWebhookSender
from multitrack_partners.application.deliveries import Deliverer
from multitrack_partners.domain.deliveries import RetryPolicy
from multitrack_partners.entrypoints.api.deps import Webhooks
from multitrack_partners.entrypoints.consumers import handlers
from multitrack_partners.entrypoints.deliveries import deliver_webhooks
from multitrack_shared.auth.principal import system_principal
from multitrack_shared.bootstrap import ServiceParts
from multitrack_shared.db.migrations import service_migrations
from multitrack_shared.observability.metrics import ServiceMetrics
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.times import utc_now


class PartnersSettings(ServiceSettings):
    service_name: str = "partners"
    webhook_secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Fernet key (32 bytes, url-safe base64) that encrypts subscriptions' "
        "signing secrets at rest. Empty: they are stored as given (development only).",
    )
    webhook_allow_loopback_http: bool = Field(
        default=False,
        description="Local mode: a sink may be an http URL to a loopback host (a receiver on "
        "the same machine). Otherwise sinks are https URLs only.",
    )
    webhook_max_attempts: int = Field(
        default=8,
        ge=1,
        description="Tries of one delivery before it is dead and its subscription is disabled.",
    )
    webhook_first_retry_seconds: float = Field(
        default=5.0, gt=0, description="Wait after a first failed try; doubled after each."
    )
    webhook_longest_retry_seconds: float = Field(
        default=900.0, gt=0, description="Longest wait between two tries of a delivery."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a sink has to answer one delivery."
    )
    webhook_poll_seconds: float = Field(
        default=0.5, gt=0, description="How often the delivery worker looks for due deliveries."
    )
    webhook_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long a worker holds a subscription while sending its events; a "
        "worker that stopped mid-way is replaced after this.",
    )


def webhooks_of(settings: PartnersSettings) -> Webhooks:
    return Webhooks(
        seal=FernetSeal(settings.webhook_secret_key.get_secret_value()),
        allow_loopback_http=settings.webhook_allow_loopback_http,
    )


def delivering(runtime: ServiceRuntime[PartnersUnitOfWork]) -> Coroutine[Any, Any, None]:
    settings = cast(PartnersSettings, runtime.settings)
    actor = system_principal(settings.service_name)
    deliverer = Deliverer(
        unit=lambda: runtime.new_uow().acting_as(actor, None),
        sender=HttpWebhookSender(
            FernetSeal(settings.webhook_secret_key.get_secret_value()),
            settings.webhook_timeout_seconds,
        ),
        clock=utc_now,
        policy=RetryPolicy(
            max_attempts=settings.webhook_max_attempts,
            first_delay=timedelta(seconds=settings.webhook_first_retry_seconds),
            longest_delay=timedelta(seconds=settings.webhook_longest_retry_seconds),
        ),
        lease=timedelta(seconds=settings.webhook_lease_seconds),
        observe=counted_in(runtime.metrics),
    )
    return deliver_webhooks(deliverer, settings.webhook_poll_seconds)


def counted_in(metrics: ServiceMetrics) -> Callable[[str, float], None]:
    """Each webhook delivery's try, counted by outcome and timed, in the service's metrics."""

    def observe(outcome: str, seconds: float) -> None:
        metrics.webhook_deliveries.labels(outcome).inc()
        metrics.webhook_delivery_seconds.observe(seconds)

    return observe


SERVICE = ServiceParts(
    settings_class=PartnersSettings,
    migrations_dir=service_migrations(__file__),
    metadata=metadata,
    messaging=messaging,
    read_models=READ_MODELS,
    uow_class=PartnersUnitOfWork,
    handlers=handlers,
    audit_log=AUDIT_LOG,
    workers=(delivering,),
)


def bootstrap(settings: PartnersSettings | None = None) -> ServiceRuntime[PartnersUnitOfWork]:
    return SERVICE.runtime(settings)
