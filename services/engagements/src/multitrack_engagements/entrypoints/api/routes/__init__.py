"""HTTP routes, one module per resource: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_engagements.entrypoints.api.routes import (
    activities,
    analyses,
    conflicts,
    coverage,
    do_no_harm,
    ending,
    engagements,
    funding,
    iati,
    lessons,
    liaison,
    listening,
    overview,
)

routers: list[APIRouter] = [
    engagements.router,
    analyses.router,
    listening.router,
    activities.router,
    liaison.router,
    coverage.router,
    lessons.router,
    ending.router,
    conflicts.router,
    do_no_harm.router,
    funding.router,
    iati.router,
    overview.router,
]
