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
rejected.

Every operation needs a bearer token of the consortium's identity provider. An engagement
belongs to the organization that accepted its invitation, and is as visible as the invitation
was. Coordinators of that organization change its status and record its analyses, hearings,
activities, liaison and lesson responses; every platform role reads, each engagement as its
visibility allows (another organization's owner-only engagement is not found, nor searched);
consortium admins read the audit log. The people named (heard, listening, facilitating,
taking part, officials) and the free text that may name them are shown to the owning
organization's people only."""


def create_app(settings: EngagementsSettings | None = None) -> FastAPI:
    return create_service_app(
        bootstrap(settings),
        title="Multitrack engagements",
        description=DESCRIPTION,
        routers=routers,
    )
