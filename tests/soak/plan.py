"""How long the soak runs, how often it samples, where it writes, and the retention it gives
the services so that pruning bounds their outbox and inbox within the run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from multitrack_shared.testing.paths import repo_root


@dataclass(frozen=True)
class Plan:
    duration_s: float
    interval_s: float
    out: Path

    @property
    def retention_s(self) -> float:
        """Sent outbox rows, inbox ids and topics are kept a sixth of the run: the tables
        fill, then pruning holds them, well before the judged second half."""
        return self.duration_s / 6

    @property
    def prune_s(self) -> float:
        """Far shorter than the sampling interval, so that the tables' saw-tooth between two
        prunings is small and its rhythm cannot beat with the samples' into a trend."""
        return max(1.0, self.interval_s / 6)

    @property
    def warm_up_s(self) -> float:
        return max(self.duration_s / 5, self.retention_s + 2 * self.prune_s)

    def service_settings(self) -> dict[str, str]:
        hours = f"{self.retention_s / 3600:.6f}"
        return {
            "MULTITRACK_OUTBOX_RETENTION_HOURS": hours,
            "MULTITRACK_INBOX_RETENTION_HOURS": hours,
            "MULTITRACK_TOPIC_RETENTION_HOURS": hours,
            "MULTITRACK_PRUNE_INTERVAL_SECONDS": f"{self.prune_s:g}",
        }


SHORT = (40.0, 4.0)
"""``make test``'s soak: long enough for pruning to start (retention ~7 s, a pruning every
second) and for a judged half of six samples, past the warm-up (~9 s)."""


def chosen_plan(scratch: Path) -> Plan:
    """``SOAK_MINUTES`` (``make soak``: 30) runs a full soak, sampling every
    ``SOAK_INTERVAL_SECONDS`` (60) and writing under ``SOAK_DIR`` (``var/soak``); without it,
    the short one, writing under ``scratch``."""
    minutes = os.environ.get("SOAK_MINUTES")
    if not minutes:
        return Plan(*SHORT, out=scratch)
    out = Path(os.environ.get("SOAK_DIR") or repo_root() / "var" / "soak")
    interval = float(os.environ.get("SOAK_INTERVAL_SECONDS") or 60)
    return Plan(float(minutes) * 60, interval, out)
