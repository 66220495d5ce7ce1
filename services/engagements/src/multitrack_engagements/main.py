"""``uvicorn --factory multitrack_engagements.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from multitrack_engagements.bootstrap import EngagementsSettings, bootstrap
from multitrack_engagements.entrypoints.api.routes import routers
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """Long-term engagements. An engagement is opened only by the
`multitrack.invitation.accepted.v1` event — there is no create call — and commits for at
least five years from its start. It listens to every side of the conflict before it acts,
records its conflict analysis, activities and track-one liaison, shows its nine-track
coverage, and receives the lessons learned that match it, each to be applied, adapted or
rejected."""


def create_app(settings: EngagementsSettings | None = None) -> FastAPI:
    return create_service_app(
        bootstrap(settings),
        title="Multitrack engagements",
        description=DESCRIPTION,
        routers=routers,
    )
