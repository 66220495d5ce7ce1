"""Where and what a conflict is, as the services' domains hold it.

Framework-free, for domain code; ``events.common.ConflictContext`` is its published form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConflictDescription:
    name: str
    country: str
    region: str | None = None
    conflict_type: str | None = None
    phase: str | None = None
    description: str | None = None
    """In the inviter's and the assessors' words; events do not carry it."""
    conflict_id: str | None = None
    """The consortium's shared record of the conflict, when the work is linked to one."""
