"""A delivery: one event on its way to one subscription's sink, tried until it is received.

Each subscription receives its events in the order they arrived, one at a time: the oldest
pending delivery is tried, and nothing behind it is sent before it succeeds. A failure (no
answer, or a status outside 2xx) is tried again after an exponential back-off with jitter;
after ``RetryPolicy.max_attempts`` tries the delivery is dead (the dead-letter list) and the
subscription is disabled until its owner enables it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    dead = "dead"


ERROR_LENGTH = 500


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    first_delay: timedelta
    longest_delay: timedelta

    def delay(self, attempts: int, jitter: float) -> timedelta:
        """The wait after the ``attempts``-th failed try: doubling from ``first_delay`` up to
        ``longest_delay``, of which a random share (``jitter`` in [0, 1)) up to half is taken
        off, so that many subscriptions failing at once do not retry in step."""
        doubled: timedelta = self.first_delay * float(2 ** min(attempts - 1, 32))
        return min(doubled, self.longest_delay) * (1 - jitter / 2)


@dataclass(frozen=True)
class Outcome:
    """What one try got: the sink's status, or the error that kept it from answering."""

    status_code: int | None
    error: str | None = None

    @property
    def received(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Delivery:
    id: str
    subscription_id: str
    event_id: str
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.pending
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    redelivery: bool = False
    """Created by a redelivery the owner asked for, not by the event's arrival."""
    seq: int = 0

    def due(self, now: datetime) -> bool:
        return self.status is DeliveryStatus.pending and self.next_attempt_at <= now

    def tried(self, outcome: Outcome, at: datetime, policy: RetryPolicy, jitter: float) -> None:
        """Records a try; a failure is scheduled again, or the delivery dies."""
        self.attempts += 1
        self.last_attempt_at = at
        self.last_status_code = outcome.status_code
        self.last_error = outcome.error[:ERROR_LENGTH] if outcome.error else None
        if outcome.received:
            self.status = DeliveryStatus.delivered
            self.delivered_at = at
        elif self.attempts >= policy.max_attempts:
            self.status = DeliveryStatus.dead
        else:
            self.next_attempt_at = at + policy.delay(self.attempts, jitter)

    @property
    def dead(self) -> bool:
        return self.status is DeliveryStatus.dead
