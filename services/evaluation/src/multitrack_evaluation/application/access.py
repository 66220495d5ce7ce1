"""Who may do what in evaluation, on the one access policy of ``multitrack_shared.auth``.

Reads (evaluations, the lessons library, digests, the overdue list, reference data) are open
to every caller holding a platform role, each record as its visibility allows. Evaluations and
lessons are written by evaluators of the owning organization; the reference data by
consortium admins only.
"""

from __future__ import annotations

from multitrack_shared.auth.policy import require_role
from multitrack_shared.auth.principal import Principal, Role

READERS = tuple(Role)
WRITER = Role.evaluator
"""Completes evaluations and records, revises and retires lessons."""
REFERENCE_KEEPER = Role.consortium_admin


def require_reader(caller: Principal) -> None:
    """Refuses (403 ``role_required``) a caller holding no platform role."""
    require_role(caller, *READERS)
