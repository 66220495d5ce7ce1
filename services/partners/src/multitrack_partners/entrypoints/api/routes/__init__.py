"""HTTP routes, one module per resource: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_partners.entrypoints.api.routes import (
    insights,
    members,
    partners,
    partnerships,
    subscriptions,
    trainers,
)

routers: list[APIRouter] = [
    partners.router,
    members.router,
    partnerships.router,
    insights.router,
    subscriptions.router,
    trainers.router,
]
