"""The callers of the API fuzzing, and the one check that is narrowed, and why (see
schemathesis.toml)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.auths import AuthContext
from schemathesis.specs.openapi.checks import positive_data_acceptance

from multitrack_shared.testing.consortium import Consortium

TOKEN_REFRESH_SECONDS = 240
"""Within the realm's token lifespan (300 s)."""
ROLE_BY_PATH = (
    ("/members", "consortium-admin"),
    ("/reference", "consortium-admin"),
    ("/audit", "consortium-admin"),
    ("/evaluations", "evaluator"),
    ("/lessons", "evaluator"),
)
"""Who may change what (docs/architecture.md): the consortium admin membership, reference data
and the audit, evaluators evaluations and lessons, coordinators everything else."""


def role_of(path: str) -> str:
    return next((role for prefix, role in ROLE_BY_PATH if path.startswith(prefix)), "coordinator")


def organization_of(role: str) -> str | None:
    return None if role == "consortium-admin" else "org-a"


@schemathesis.auth(
    refresh_interval=TOKEN_REFRESH_SECONDS,
    cache_by_key=lambda case, _: role_of(case.operation.path),
)
class ConsortiumClient:
    """Every operation is called with a token of org-a's client holding the role that may
    perform it (the consortium admin's for consortium-wide data), from the demo consortium's
    credentials file the test names in ``FUZZ_CREDENTIALS``. Without a token an operation
    that takes a caller answers 401, which the ``ignored_auth`` check verifies."""

    def get(self, case: Case[Any], ctx: AuthContext) -> str:
        consortium = Consortium.read(Path(os.environ["FUZZ_CREDENTIALS"]))
        role = role_of(case.operation.path)
        client = consortium.client(organization_of(role), role)
        granted = httpx.post(
            consortium.issuer.token_endpoint,
            data={"grant_type": "client_credentials"},
            auth=(client.client_id, client.client_secret),
            timeout=15,
        )
        granted.raise_for_status()
        return str(granted.json()["access_token"])

    def set(self, case: Case[Any], data: str, ctx: AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


RULES_BEYOND_A_SCHEMA = {
    "duplicate": "values that differ as sent but are equal once normalised (upper- and "
    "lower-case, surrounding spaces) repeat; JSON Schema's uniqueItems compares them as sent",
}
"""Refusals of schema-valid input a JSON Schema cannot state, by the ``rule`` a field names."""


def refused_by_a_rule(response: Response) -> bool:
    """A 422 from a rule of the domain (its own code: a day still to come, an unknown record,
    a state that forbids the step), or from a rule in ``RULES_BEYOND_A_SCHEMA``."""
    if response.status_code != 422:
        return False
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    if error.get("code") != "validation_error":
        return True
    rules = {problem.get("rule") for problem in error.get("fields", [])}
    return bool(rules) and rules <= RULES_BEYOND_A_SCHEMA.keys()


@schemathesis.check
def positive_data_accepted_unless_a_rule_refuses(
    ctx: CheckContext, response: Response, case: Case[Any]
) -> bool | None:
    """``positive_data_acceptance``, but for a refusal by a rule of the domain.

    Schema-valid data must be accepted unless a rule the schema cannot state refuses it, and
    then with that rule's own code; a ``validation_error`` means the schema and the
    validation disagree, which is what this check is for.
    """
    if refused_by_a_rule(response):
        return None
    return positive_data_acceptance(ctx, response, case)
