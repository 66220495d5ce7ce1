"""Many writers at one record at once, and what must come of it: one winner, the rest refused.

    answers = await all_at_once(client.post(url, json=body) for _ in range(50))
    winner = sole_winner(answers)

A race is run for real only if some requests read the record before another's write was
committed; ``sole_winner`` checks that at least one lost that way (``concurrent_update``),
so a test whose requests happened to run one after another fails instead of passing.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Iterable

import httpx

LOST_RACE = "concurrent_update"
STALE_TAG = "precondition_failed"


async def all_at_once(requests: Iterable[Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """Every request in flight together; the answers in the order given."""
    return list(await asyncio.gather(*requests))


def sole_winner(
    answers: list[httpx.Response],
    *,
    success: int = 200,
    refusals: frozenset[int] = frozenset({409}),
) -> httpx.Response:
    """The one answer with ``success``; every other is a refusal with the error body, and at
    least one of them lost the race itself (the requests overlapped)."""
    outcomes = Counter(
        (answer.status_code, answer.json().get("error", {}).get("code")) for answer in answers
    )
    winners = [answer for answer in answers if answer.status_code == success]
    assert len(winners) == 1, f"one winner expected: {dict(outcomes)}"
    refused = {status for status, _ in outcomes if status != success}
    assert refused <= refusals, f"only {sorted(refusals)} expected besides: {dict(outcomes)}"
    assert outcomes[(409, LOST_RACE)] >= 1, f"the requests did not overlap: {dict(outcomes)}"
    return winners[0]
