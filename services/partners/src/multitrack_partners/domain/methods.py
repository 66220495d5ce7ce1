"""The consortium's catalogue of methods, as the partners service learns it.

The catalogue is reference data kept by the evaluation service (``reference.changed.v1`` of
kind ``method``); this service keeps its own copy from those events, as the engagements
service does, so that a trainer names only methods the consortium knows. A method retired
since stays named by the trainers catalogued before; no new one names it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from multitrack_shared.errors import DomainError


@dataclass(frozen=True)
class CataloguedMethod:
    code: str
    active: bool
    changed_at: datetime
    """When the consortium last changed it: an older change never overwrites a newer one."""


def latest(known: CataloguedMethod | None, changed: CataloguedMethod) -> CataloguedMethod:
    return known if known is not None and known.changed_at > changed.changed_at else changed


def require_catalogued(codes: Sequence[str], catalogue: Mapping[str, CataloguedMethod]) -> None:
    """Every code names a method the catalogue holds and has not retired."""
    for i, code in enumerate(codes):
        method = catalogue.get(code)
        if method is None or not method.active:
            raise DomainError(
                f"{code!r} is not a method of the consortium's catalogue "
                "(GET /reference/method in the evaluation service lists them)",
                field=f"methods.{i}",
                code="unknown_method",
            )
