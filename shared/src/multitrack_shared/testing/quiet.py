"""Waiting until a running platform has nothing left to do: every outbox sent, every consumer
caught up. What is measured after a burst of writes then measures the platform at rest, not the
tail of the burst still being applied on the same cores.
"""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client.parser import text_string_to_metric_families

from multitrack_shared.testing.processes import Platform

BACKLOG = ("multitrack_outbox_pending", "multitrack_consumer_lag")
"""Each service's unsent outbox rows, and its consumer's lag on each partition."""


async def backlog(http: httpx.AsyncClient, url: str) -> float:
    """What the service at ``url`` still has to send or to apply, as its metrics say."""
    answer = await http.get(f"{url}/metrics")
    answer.raise_for_status()
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name in BACKLOG
    )


async def quiet(platform: Platform, *, probe_seconds: float = 5.0, within: float = 180.0) -> None:
    """Return once every service reports no backlog twice in a row, ``probe_seconds`` apart
    and a little more: the services count their outbox and read their partitions' ends every
    ``health_probe_seconds`` (5 by default), so one empty reading may be a stale one."""
    deadline = asyncio.get_running_loop().time() + within
    empty_before = False
    async with httpx.AsyncClient(timeout=10) as http:
        while True:
            left = await asyncio.gather(
                *(backlog(http, service.url) for service in platform.services.values())
            )
            empty = not any(left)
            if empty and empty_before:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"the platform still busy after {within} s: {left}")
            empty_before = empty
            await asyncio.sleep(probe_seconds + 1 if empty else 0.5)
