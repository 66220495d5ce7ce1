"""Follow-ups (standard procedure 10, responsibility): after the work, do participants use
the skills they gained? Asked after closure too, when the answer matters most.

A follow-up records counts and a note (which may name people, so it stays here): how many
former participants were reached, and how many of them use the skills. A follow-up of a
training names it and the set interval it answers (``domain.training``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from multitrack_engagements.domain.training import TrainingLink
from multitrack_shared.errors import DomainError


@dataclass(frozen=True)
class FollowUp:
    id: str
    engagement_id: str
    held_on: date
    participants_reached: int
    using_skills: int
    note: str | None
    after_closure: bool
    recorded_at: datetime
    training: TrainingLink | None = None

    def __post_init__(self) -> None:
        if self.using_skills > self.participants_reached:
            raise DomainError(
                f"{self.using_skills} use the skills, but only {self.participants_reached} "
                "were reached",
                field="using_skills",
                code="more_than_reached",
            )
