"""The consortium's catalogue of methods (standards 7 and 8), as its reference data says.

An activity names the methods it used by their codes in the catalogue; it keeps each one's
label and, for the blend of methods, whether it is local (indigenous included) or external.
A method the catalogue does not know, or has retired, is named by no new activity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from multitrack_engagements.domain.activities import Method
from multitrack_shared.errors import DomainError
from multitrack_shared.events.vocabulary import CatalogueOrigin


@dataclass(frozen=True)
class CataloguedMethod:
    code: str
    label: str
    origin: CatalogueOrigin
    active: bool
    changed_at: datetime
    """When the consortium last changed it: an older change never overwrites a newer one."""


def methods_named(
    codes: Sequence[str], catalogue: Mapping[str, CataloguedMethod]
) -> tuple[Method, ...]:
    """The catalogue's methods ``codes`` name, each once, none unknown or retired."""
    if len(set(codes)) != len(codes):
        raise DomainError("each method once", field="methods", code="methods_not_distinct")
    methods = []
    for i, code in enumerate(codes):
        method = catalogue.get(code)
        if method is None or not method.active:
            raise DomainError(
                f"{code!r} is not a method of the consortium's catalogue",
                field=f"methods.{i}.code",
                code="unknown_method",
            )
        methods.append(Method(method.label, method.origin.in_blend, method.code))
    return tuple(methods)
