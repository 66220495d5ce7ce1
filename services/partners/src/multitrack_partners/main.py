"""``uvicorn --factory multitrack_partners.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from multitrack_partners.bootstrap import PartnersSettings, bootstrap
from multitrack_partners.entrypoints.api.routes import router
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """The registry of partner organizations a consortium works with: conflict
professionals, local civil society, women's organizations and others, with their tracks,
countries and IATI identifiers. Registering one publishes `multitrack.partner.registered.v1`.
Contact people are personal data: this API returns them, but no event ever carries them."""


def create_app(settings: PartnersSettings | None = None) -> FastAPI:
    runtime = bootstrap(settings or PartnersSettings())
    return create_service_app(
        runtime, title="Multitrack partners", description=DESCRIPTION, routers=[router]
    )
