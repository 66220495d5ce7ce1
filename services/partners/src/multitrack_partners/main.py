"""``uvicorn --factory multitrack_partners.main:create_app``."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI

from multitrack_partners.bootstrap import PartnersSettings, bootstrap, webhooks_of
from multitrack_partners.entrypoints.api.routes import routers
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """Standard procedure 6, partnership: the partner organizations a consortium works
with (conflict professionals, local civil society, women's organizations and others, with their
tracks, countries and IATI identifiers), the consortium's own members, and partnerships of
partners on engagements. From the engagements service's events it knows the engagements and
their activities, and so suggests partners for an engagement and shows inclusion figures: local
and women-led partners, women among participants, activities led locally.
Every operation needs a bearer token: coordinators change their own organization's partners
and partnerships, consortium admins the membership, and everyone reads what its organization
may see. Contact people are personal data: this API returns them to the owning organization's
people only, and no event ever carries them.
Partner systems that cannot read Kafka subscribe here (/subscriptions) to every event their
organization may read, delivered as signed webhooks; consortium-visible events are also copied
to the partner feed topic."""


def create_app(settings: PartnersSettings | None = None) -> FastAPI:
    runtime = bootstrap(settings)
    app = create_service_app(
        runtime, title="Multitrack partners", description=DESCRIPTION, routers=routers
    )
    app.state.webhooks = webhooks_of(cast(PartnersSettings, runtime.settings))
    return app
