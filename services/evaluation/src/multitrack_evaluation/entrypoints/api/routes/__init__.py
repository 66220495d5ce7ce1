"""HTTP routes, one module per resource: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_evaluation.entrypoints.api.routes import (
    attitudes,
    conflicts,
    digests,
    evaluations,
    lessons,
    reference,
)

routers: list[APIRouter] = [
    evaluations.router,
    lessons.router,
    digests.router,
    conflicts.router,
    reference.router,
    attitudes.router,
]
