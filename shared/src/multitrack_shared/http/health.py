"""``/health/live``, ``/health/ready``, ``/health`` and ``/metrics``: what a service tells about
itself (``observability.health`` says what each answers)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from multitrack_shared.observability.health import (
    HealthDetail,
    Liveness,
    Overall,
    Readiness,
    ServiceHealth,
)
from multitrack_shared.observability.metrics import CONTENT_TYPE, ServiceMetrics


def health_router(health: ServiceHealth) -> APIRouter:
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get(
        "/live",
        summary="The process runs its loops",
        response_model=Liveness,
        responses={503: {"model": Liveness, "description": "A loop of the service ended."}},
    )
    async def live() -> JSONResponse:
        answer = health.liveness()
        return JSONResponse(answer.model_dump(), status_code=503 if answer.stopped else 200)

    @router.get(
        "/ready",
        summary="The service can serve its API: its database answers",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "The database does not answer."}},
    )
    async def ready() -> JSONResponse:
        answer = await health.readiness()
        return JSONResponse(answer.model_dump(), status_code=200 if answer.status == "ok" else 503)

    @router.get(
        "",
        summary="Health in detail: loops, database, broker, outbox backlog, consumer lag",
        response_model=HealthDetail,
        responses={503: {"model": HealthDetail, "description": "The service is unavailable."}},
    )
    async def detail() -> JSONResponse:
        answer = await health.detail()
        return JSONResponse(
            answer.model_dump(mode="json"),
            status_code=503 if answer.status is Overall.unavailable else 200,
        )

    return router


def metrics_router(metrics: ServiceMetrics) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def exposition() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    return router
