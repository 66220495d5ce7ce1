"""``uvicorn --factory multitrack_evaluation.main:create_app``."""

from __future__ import annotations

from fastapi import FastAPI

from multitrack_evaluation.bootstrap import EvaluationSettings, bootstrap
from multitrack_evaluation.entrypoints.api.routes import routers
from multitrack_shared.http.app import create_service_app

DESCRIPTION = """Action research (standard procedure 9). Evaluations of each engagement over a
period: OECD-DAC scores, adherence to every standard procedure in use, CDA's criteria of
effectiveness, indicators, and the conflict-analysis version taken as baseline. Lessons learned,
each with its evidence, confidence and context; recording, revising or retiring one publishes it
to every engagement and invitation whose context matches, and their responses are counted back.
A digest of every engagement, built only from the engagements' and partners' events, flags
those with no evaluation in the last twelve months. The reference data (tracks, kinds of
peacebuilding, standard procedures) is the consortium's to reword.

Every operation needs a bearer token of the consortium's identity provider. Evaluators of
the engagement's (the lesson's) organization complete evaluations and record, revise and
retire lessons, owned by their organization; consortium admins alone change the reference
data and read the audit log; every platform role reads, each record as its visibility allows.
Who evaluated, and the narratives, evidence and notes that may name people, are shown to the
owning organization's people only."""

TAGS = [
    {"name": "evaluations", "description": "Evaluations of an engagement over a period."},
    {"name": "lessons", "description": "Lessons learned and the responses they received."},
    {"name": "engagement digests", "description": "Engagements as evaluation sees them."},
    {"name": "reference data", "description": "Tracks, kinds of peacebuilding, procedures."},
]


def create_app(settings: EvaluationSettings | None = None) -> FastAPI:
    return create_service_app(
        bootstrap(settings),
        title="Multitrack evaluation",
        description=DESCRIPTION,
        routers=routers,
        openapi_tags=TAGS,
    )
