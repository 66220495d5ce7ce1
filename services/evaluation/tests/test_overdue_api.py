"""Engagements overdue for an evaluation: open, and none completed in the last twelve months."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from multitrack_shared.events import engagements as eng
from multitrack_shared.reference import STANDARD_PROCEDURES


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


def an_evaluation(engagement_id: str) -> dict[str, Any]:
    criteria = ["relevance", "coherence", "effectiveness", "efficiency", "impact"]
    return {
        "engagement_id": engagement_id,
        "period_start": "2024-06-15",
        "period_end": "2024-11-30",
        "evaluated_by": "evaluators",
        "dac": {c: {"score": 3, "narrative": "good"} for c in [*criteria, "sustainability"]},
        "procedures": {p.code: {"rating": "met", "evidence": "notes"} for p in STANDARD_PROCEDURES},
        "indicators": {i: {} for i in ("trust", "responsibility", "empowerment", "transformation")},
    }


async def overdue_on(client: httpx.AsyncClient, set_clock: Any, day: str) -> list[Any]:
    set_clock(on(day))
    response = await client.get("/engagements/overdue")
    assert response.status_code == 200, response.text
    fields = ("engagement_id", "since", "ever_evaluated", "months_since")
    return [tuple(o[f] for f in fields) for o in response.json()]


async def a_portfolio(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any, set_clock: Any
) -> None:
    """Five engagements; one of them evaluated on 2024-12-01, two of them closed."""
    await open_engagement("never-evaluated", opened_at=on("2024-03-01"))
    await open_engagement("evaluated", opened_at=on("2024-06-15"))
    await open_engagement("recent", opened_at=on("2024-10-01"))
    await open_engagement("closed", opened_at=on("2023-01-01"))
    await open_engagement("closed-by-status", opened_at=on("2023-01-01"))
    await apply(
        eng.EngagementClosed(engagement_id="closed", early=False, closed_at=on("2024-01-01")),
        eng.EngagementStatusChangedV2(
            engagement_id="closed-by-status",
            from_status="closing",
            to_status="closed",
            changed_at=on("2024-01-01"),
        ),
    )
    set_clock(on("2024-12-01"))
    response = await client.post("/evaluations", json=an_evaluation("evaluated"))
    assert response.status_code == 201, response.text


async def test_nothing_is_overdue_before_twelve_months_have_passed(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any, set_clock: Any
) -> None:
    await a_portfolio(client, open_engagement, apply, set_clock)

    assert await overdue_on(client, set_clock, "2025-02-28") == []


async def test_an_engagement_never_evaluated_is_overdue_twelve_months_after_its_opening(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any, set_clock: Any
) -> None:
    await a_portfolio(client, open_engagement, apply, set_clock)

    assert await overdue_on(client, set_clock, "2025-03-01") == [
        ("never-evaluated", "2024-03-01", False, 12)
    ]


async def test_months_count_from_the_last_evaluation_and_the_longest_waiting_come_first(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any, set_clock: Any
) -> None:
    await a_portfolio(client, open_engagement, apply, set_clock)

    assert await overdue_on(client, set_clock, "2025-12-01") == [
        ("never-evaluated", "2024-03-01", False, 21),
        ("recent", "2024-10-01", False, 14),
        ("evaluated", "2024-12-01", True, 12),
    ]


async def test_a_new_evaluation_takes_an_engagement_off_the_list(
    client: httpx.AsyncClient, open_engagement: Any, apply: Any, set_clock: Any
) -> None:
    await a_portfolio(client, open_engagement, apply, set_clock)
    set_clock(on("2025-04-01"))
    await client.post("/evaluations", json=an_evaluation("never-evaluated"))

    assert await overdue_on(client, set_clock, "2025-06-01") == []
