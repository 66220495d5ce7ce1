"""HTTP routes, one module per resource: parse, call one use case, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_invitations.entrypoints.api.routes import criteria, invitations, lessons

routers: list[APIRouter] = [invitations.router, lessons.router, criteria.router]
