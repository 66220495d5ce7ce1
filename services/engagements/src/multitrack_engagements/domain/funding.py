"""Funding and budgets (standard procedure 5): who pays for the work, and what it plans to
spend each year.

Funding is recorded by source: the funder organization (a partner the consortium knows), an
amount in a currency, the period it covers and its kind. Participants are never billed: a
source of kind ``participant_fee`` is refused, whoever asks. Budget lines plan spending per
period, and a period is at most one year (as IATI reports budgets), never overlapping another
line, so a donor's sum of the budget counts each day once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from multitrack_engagements.domain.engagement import add_years
from multitrack_shared.errors import Conflict, DomainError


class FundingKind(StrEnum):
    grant = "grant"
    core_funding = "core_funding"
    in_kind = "in_kind"
    own_funds = "own_funds"
    participant_fee = "participant_fee"
    """Named so that it can be refused by name: participants are never billed."""


class BudgetStatus(StrEnum):
    indicative = "indicative"
    committed = "committed"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DomainError(
                f"the period ends ({self.end}) before it starts ({self.start})",
                field="period_end",
                code="period_reversed",
            )

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def within_a_year(self) -> bool:
        return self.end < add_years(self.start, 1)


@dataclass(frozen=True)
class Money:
    amount: int
    """Whole units of the currency."""
    currency: str
    """ISO 4217 code."""


@dataclass(frozen=True)
class FundingSource:
    id: str
    engagement_id: str
    funder_id: str
    """The partner organization that funds."""
    kind: FundingKind
    money: Money
    period: Period
    recorded_at: datetime

    def __post_init__(self) -> None:
        if self.kind is FundingKind.participant_fee:
            raise DomainError(
                "participants are never billed: a participant fee is not a funding source",
                field="kind",
                code="participants_never_billed",
            )


@dataclass(frozen=True)
class BudgetLine:
    id: str
    engagement_id: str
    period: Period
    money: Money
    status: BudgetStatus
    recorded_at: datetime

    def __post_init__(self) -> None:
        if not self.period.within_a_year:
            last = add_years(self.period.start, 1) - timedelta(days=1)
            raise DomainError(
                f"a budget line covers at most one year: from {self.period.start}, "
                f"until {last} at the latest",
                field="period_end",
                code="budget_period_over_a_year",
            )

    def require_apart_from(self, others: Iterable[BudgetLine]) -> None:
        """Budget periods never overlap, so each day's budget is counted once."""
        for other in others:
            if other.period.overlaps(self.period):
                raise Conflict(
                    f"the budget line from {other.period.start} to {other.period.end} "
                    "already covers part of this period",
                    field="period_start",
                    code="budget_periods_overlap",
                )
