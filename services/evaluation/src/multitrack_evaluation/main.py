"""``uvicorn --factory multitrack_evaluation.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from multitrack_evaluation.bootstrap import EvaluationSettings, bootstrap
from multitrack_evaluation.entrypoints.api.routes import router
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """Action research: lessons learned, each with its evidence, its confidence and the
context it holds for (countries, regions, conflict types and phases, tracks). Recording one
publishes `multitrack.lesson.recorded.v1`, which carries it to every engagement and invitation
whose context matches."""


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    runtime = bootstrap(settings or EvaluationSettings())
    return create_service_app(
        runtime, title="Multitrack evaluation", description=DESCRIPTION, routers=[router]
    )
