"""The one check of the API fuzzing that is narrowed, and why (see schemathesis.toml)."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.specs.openapi.checks import positive_data_acceptance

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
