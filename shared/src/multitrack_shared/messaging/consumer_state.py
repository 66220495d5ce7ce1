"""What a running consumer can tell an operator about its records: what processing one came
to, and the events it is trying again.

Kept in memory by ``ConsumerRuntime`` (the state of this process's consumer, gone with it) and
served by the operations endpoints (``operations.router``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


class Outcome(enum.Enum):
    """What processing one record came to."""

    applied = "applied"
    already_applied = "already_applied"
    not_consumed = "not_consumed"
    dead_lettered = "dead_lettered"


@dataclass
class Retrying:
    """An event whose handler failed and is tried again after a back-off."""

    event_id: str
    event_type: str
    attempts: int
    last_error: str
    since: datetime = field(default_factory=lambda: datetime.now(UTC))
