"""What a command answers: data (``--json`` prints it) and the lines a person reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Report:
    data: Any
    lines: list[str] = field(default_factory=list)
    ok: bool = True
    """False: the command exits 1 (something the operator asked for is not so)."""
