"""The one way a service's FastAPI app is assembled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from multitrack_shared.audit.router import audit_router
from multitrack_shared.events.catalogue import asyncapi_document
from multitrack_shared.heap import freeze_startup_heap
from multitrack_shared.http.auth import declare_security, needs_caller, operations_depending_on
from multitrack_shared.http.bodies import JsonBodies
from multitrack_shared.http.deps import new_uow
from multitrack_shared.http.errors import install_error_handlers
from multitrack_shared.http.health import health_router, metrics_router
from multitrack_shared.http.idempotency import IdempotentWrites
from multitrack_shared.http.links import link_created_resources
from multitrack_shared.http.openapi import document_errors, document_idempotency_keys
from multitrack_shared.http.rate_limits import RateLimits
from multitrack_shared.http.request_id import RequestId
from multitrack_shared.logging import configure_logging
from multitrack_shared.observability.http import HttpMetrics
from multitrack_shared.operations.router import operations_router
from multitrack_shared.runtime import ServiceRuntime
from multitrack_shared.tracing import trace_routes


class ServiceAPI(FastAPI):
    """A service's app: its OpenAPI document names every error status each operation has, and
    links each create call to the operations on what it created."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = document_errors(
                document_idempotency_keys(
                    link_created_resources(super().openapi()),
                    operations_depending_on(self, new_uow),
                )
            )
        return self.openapi_schema


def create_service_app(
    runtime: ServiceRuntime[Any],
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    openapi_tags: list[dict[str, Any]] | None = None,
) -> ServiceAPI:
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level, settings.log_json)
        await runtime.start()
        freeze_startup_heap()
        try:
            yield
        finally:
            await runtime.stop()

    app = ServiceAPI(
        title=title,
        description=description
        + f"\n\nRequest bodies are JSON (415 otherwise; 400 when malformed), of at most "
        f"{settings.max_body_bytes} bytes (413 beyond). Every error answers with the same "
        "body, naming the field and the rule.",
        version="1.0.0",
        lifespan=lifespan,
        openapi_tags=openapi_tags,
    )
    app.state.runtime = runtime
    app.add_middleware(IdempotentWrites)  # inside the body checks: a whole JSON body
    app.add_middleware(JsonBodies, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimits, settings=settings)  # before a body is read
    app.add_middleware(RequestId)  # even a refused body gets its request id
    app.add_middleware(  # the outermost: counts every answer, refusals included
        HttpMetrics, metrics=runtime.metrics, paths=lambda: app.openapi()["paths"]
    )
    install_error_handlers(app)
    app.include_router(health_router(runtime.health))
    app.include_router(metrics_router(runtime.metrics))
    for router in routers:
        app.include_router(router)
    if runtime.audit_log is not None:
        app.include_router(audit_router(runtime.audit_log))
    app.include_router(operations_router())

    @app.get("/events/asyncapi.json", tags=["events"], summary="The event catalogue (AsyncAPI 3.0)")
    async def event_catalogue() -> dict[str, Any]:
        """Every event the platform publishes, for partner systems that subscribe."""
        return asyncapi_document(settings.topic_namespace)

    declare_security(app, settings.token_url)
    trace_routes(app, runtime.tracer_provider)
    if runtime.verifier is None and needs_caller(app):
        raise ValueError(
            f"{settings.service_name} serves operations that need a caller: "
            "MULTITRACK_OIDC_ISSUER must name the identity provider"
        )
    return app
