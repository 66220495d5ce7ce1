"""Standard procedure 2: an engagement commits for at least five years.

The one statement of that minimum, and of the refusal below it, for every place that needs
them: the invitations domain (accepting), its HTTP schema (refusing before the domain is
reached, with the same rule and message), the ``InvitationAccepted`` event and the engagements
domain (opening). Kept at the top of the shared package, beside ``errors``, rather than in
``events``: importing ``events`` loads the messaging topics, which domain code must not.
"""

from __future__ import annotations

from multitrack_shared.errors import DomainError

MIN_COMMITMENT_YEARS = 5


class CommitmentTooShort(DomainError):
    code = "commitment_too_short"

    def __init__(self, field: str = "commitment_years") -> None:
        super().__init__(f"the commitment is at least {MIN_COMMITMENT_YEARS} years", field=field)


def require_commitment(years: int | None) -> int:
    """``years`` when it reaches the minimum; otherwise ``CommitmentTooShort``."""
    if years is None or years < MIN_COMMITMENT_YEARS:
        raise CommitmentTooShort()
    return years
