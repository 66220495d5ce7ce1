"""``uvicorn --factory multitrack_invitations.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from multitrack_invitations.bootstrap import InvitationsSettings, bootstrap
from multitrack_invitations.entrypoints.api.routes import routers
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """A party to a conflict invites the organization; the invitation is assessed against
the criteria of the standard procedures, then accepted or declined with a recorded rationale.
Nothing starts without an accepted invitation: the engagements service opens an engagement
from the `multitrack.invitation.accepted.v1` event only.

The lessons learned that the evaluation service records reach here as events
(`multitrack.lesson.recorded.v1`, `.revised.v1`, `.retired.v1`); an invitation's assessment
shows those that match its context, ranked, at their latest revision."""


def create_app(settings: InvitationsSettings | None = None) -> FastAPI:
    return create_service_app(
        bootstrap(settings),
        title="Multitrack invitations",
        description=DESCRIPTION,
        routers=routers,
    )
