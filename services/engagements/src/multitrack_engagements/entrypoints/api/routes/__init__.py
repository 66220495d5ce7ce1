"""HTTP routes, one module per aggregate: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_engagements.entrypoints.api.routes import (
    activities,
    analyses,
    engagements,
    lessons,
)

routers: list[APIRouter] = [
    engagements.router,
    analyses.router,
    activities.router,
    lessons.router,
]
