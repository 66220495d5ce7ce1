"""The criteria an invitation is assessed against: the consortium's reference data.

The evaluation service keeps them (consortium admins adjust them there) and publishes every
change; this service keeps the latest wording of each as a read model. Until a criterion has
been changed, its default (``multitrack_shared.reference.ASSESSMENT_CRITERIA``) stands, so a
platform whose consortium never touched them assesses against the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from multitrack_shared.reference import ASSESSMENT_CRITERIA


@dataclass(frozen=True)
class AssessmentCriterion:
    code: str
    label: str
    description: str
    procedure: str | None
    """The standard procedure (its code) the criterion bears on, if any."""
    essential: bool
    """An ``unknown`` verdict on it needs an override reason to accept, as ``unmet`` does."""
    active: bool = True
    changed_at: datetime | None = None
    """When the consortium last changed it; ``None`` for a default never changed."""


DEFAULT_CRITERIA = tuple(
    AssessmentCriterion(c.code, c.label, c.description, c.procedure, c.essential)
    for c in ASSESSMENT_CRITERIA
)


def latest(known: AssessmentCriterion | None, changed: AssessmentCriterion) -> AssessmentCriterion:
    """The newer of the two: changes may arrive again, or out of order in a replay."""
    if known is not None and known.changed_at and changed.changed_at:
        return known if known.changed_at > changed.changed_at else changed
    return changed


def in_force(changed: Iterable[AssessmentCriterion]) -> list[AssessmentCriterion]:
    """The criteria an assessment needs a verdict on: the defaults as the consortium changed
    them, then those it added (by code), without those it switched off."""
    changed = list(changed)
    by_code = {c.code: c for c in DEFAULT_CRITERIA}
    added = sorted((c for c in changed if c.code not in by_code), key=lambda c: c.code)
    by_code.update({c.code: c for c in changed})
    ordered = [by_code[c.code] for c in DEFAULT_CRITERIA] + added
    return [c for c in ordered if c.active]
