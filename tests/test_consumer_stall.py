"""A consumer whose handler cannot finish shows ``degraded`` in ``/health`` and in the metrics
while the service stays ready, then recovers once the handler runs again. The engagements
service's inbox table is locked in its PostgreSQL database, so the handler of an accepted
invitation blocks at its commit."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

from .conftest import StartPlatform

STALL_SECONDS = 2


def degraded_in_metrics(metrics: str) -> float | None:
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name == "multitrack_consumer_degraded":
                return float(sample.value)
    return None


async def test_a_blocked_handler_shows_degraded_then_recovers(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform(
        {
            "MULTITRACK_CONSUMER_STALL_SECONDS": str(STALL_SECONDS),
            "MULTITRACK_HEALTH_PROBE_SECONDS": "0.5",
        }
    )
    engagements = platform.url("engagements")
    database = create_async_engine(platform.services["engagements"].env["MULTITRACK_DATABASE_URL"])
    async with httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as http:

        async def health() -> dict[str, Any]:
            answer: dict[str, Any] = (await http.get(f"{engagements}/health")).json()
            return answer

        async def consuming() -> bool:
            return bool((await health())["consumer"]["status"] == "ok")

        await eventually(consuming, what="the engagements consumer running")
        invitations = platform.url("invitations")
        created = (await http.post(f"{invitations}/invitations", json=invitation_body())).json()
        await http.put(
            f"{invitations}/invitations/{created['id']}/assessment", json=assessment_body()
        )
        try:
            async with database.connect() as blocker:
                await blocker.execute(text("LOCK TABLE inbox IN EXCLUSIVE MODE"))
                accepted = await http.post(
                    f"{invitations}/invitations/{created['id']}/decision", json=acceptance_body()
                )
                assert accepted.status_code == 200, accepted.text

                async def degraded() -> dict[str, Any] | None:
                    detail = await health()
                    return detail if detail["consumer"]["status"] == "degraded" else None

                detail = await eventually(degraded, within=60, what="the consumer degraded")
                assert (detail["status"], detail["ready"], detail["live"]) == (
                    "degraded",
                    True,
                    True,
                )
                stalled = [p for p in detail["consumer"]["partitions"] if p["status"] == "stalled"]
                assert [p["lag"] >= 1 for p in stalled] == [True]
                assert stalled[0]["seconds_since_progress"] > STALL_SECONDS
                assert (await http.get(f"{engagements}/health/ready")).status_code == 200
                metrics = (await http.get(f"{engagements}/metrics")).text
                assert degraded_in_metrics(metrics) == 1
                await blocker.rollback()
        finally:
            await database.dispose()

        async def recovered() -> bool:
            detail = await health()
            lags = [p["lag"] for p in detail["consumer"]["partitions"]]
            return bool(detail["status"] == "ok") and all(lag == 0 for lag in lags)

        await eventually(recovered, within=60, what="the consumer recovered")
        metrics = (await http.get(f"{engagements}/metrics")).text
        assert degraded_in_metrics(metrics) == 0
        listed = await http.get(
            f"{engagements}/engagements", params={"invitation_id": created["id"]}
        )
        assert len(listed.json()) == 1
