"""The access policy's list rule as a SQL filter, so every repository filters the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.sql.elements import SQLCoreOperations

from multitrack_shared.auth.policy import Scope
from multitrack_shared.events.common import Visibility


def visible_to(
    scope: Scope, owner: SQLCoreOperations[Any], visibility: SQLCoreOperations[Any]
) -> ColumnElement[bool]:
    """``visibility = 'consortium' OR owner = :organization``: the rows ``scope`` may see.

    Apply it to every list, count and search of owned records::

        query.where(visible_to(scope, col(LessonRow.owner_org), col(LessonRow.visibility)))
    """
    if scope.everything:
        return true()
    consortium_wide: ColumnElement[bool] = visibility == Visibility.consortium.value
    if scope.organization is None:
        return consortium_wide
    return or_(consortium_wide, owner == scope.organization)
