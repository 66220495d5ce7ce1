"""The consortium's catalogue of trainers (standards 8 and 10, multiple technologies and
responsibility): who trains, for which organization, in which methods, local or external.

A trainer's name is personal data: it stays in this service, shown to the owning
organization's people only; events and trainings name a trainer by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Trainer:
    id: str
    owner_org: str
    visibility: str
    name: str
    """Personal: never published."""
    organization: str
    methods: tuple[str, ...]
    """Codes of the methods of the consortium's catalogue the trainer trains in."""
    local: bool
    catalogued_at: datetime
