"""How much each measurement does: the full run of ``make bench`` or the smoke run of the
test suite, which proves the suite works and measures nothing worth quoting."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    warmup_s: float
    """An untimed run before the repetitions: connections, JIT, caches, pools."""
    duration_s: float
    """Each timed repetition of a rate measured over a fixed duration."""
    repeats: int
    """Repetitions of each measurement; the figure is their median."""
    kafka_tool_records: int
    relay_backlog: int
    """Outbox rows waiting when the relay wakes: more than it sends in ``duration_s``."""
    consumer_backlog: int
    """Events waiting on the topic: more than the consumer applies in ``duration_s``."""
    burst: int
    """Assessed invitations accepted at once for the end-to-end burst."""
    paced_s: float
    """Duration of each paced (50 %, 80 %) end-to-end repetition."""
    lesson_engagements: int
    lessons: int
    replay_events: int
    replay_cap_s: float
    """A replay slower than this is cut short; its rate is what it applied by then."""


FULL = Scale(
    name="full",
    warmup_s=2,
    duration_s=5,
    repeats=3,
    kafka_tool_records=30_000,
    relay_backlog=5_000,
    consumer_backlog=5_000,
    burst=100,
    paced_s=5,
    lesson_engagements=100,
    lessons=6,
    replay_events=100_000,
    replay_cap_s=60,
)

SMOKE = Scale(
    name="smoke",
    warmup_s=0,
    duration_s=1,
    repeats=1,
    kafka_tool_records=2_000,
    relay_backlog=200,
    consumer_backlog=100,
    burst=10,
    paced_s=1,
    lesson_engagements=3,
    lessons=2,
    replay_events=500,
    replay_cap_s=15,
)
