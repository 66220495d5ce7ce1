"""The limits (L): what the platform's parts do alone, measured in the same run."""

from __future__ import annotations

import asyncio
import time
from functools import partial

import httpx

from multitrack_shared.settings import ServiceSettings
from multitrack_shared.testing.processes import Platform

from . import kafka_limits as kl
from .figures import Figure, Results, median_of, percentile
from .ground import Ground
from .http_load import paced, wrk
from .messaging import insert_with_outbox
from .probe import new_probe
from .progress import Progress
from .repeat import repeated
from .scale import Scale


async def kafka_tools(ground: Ground, scale: Scale, progress: Progress, results: Results) -> None:
    settings = kl.limit_settings(ground, ground.namespace())
    await kl.create_topics(settings)
    records = scale.kafka_tool_records
    progress.step("L Kafka's ProducerPerformance / ConsumerPerformance")
    if scale.warmup_s > 0:
        progress.detail("warm-up")
        await asyncio.to_thread(kl.kafka_producer_perf, ground, settings, records // 10)
    produced, consumed = [], []
    for n in range(scale.repeats):
        progress.detail(f"repetition {n + 1}/{scale.repeats}")
        produced.append(await asyncio.to_thread(kl.kafka_producer_perf, ground, settings, records))
        consumed.append(await asyncio.to_thread(kl.kafka_consumer_perf, ground, settings, records))
    results.add(_median("L.kafka_producer_perf", produced, "records/s"))
    results.add(_median("L.kafka_consumer_perf", consumed, "records/s"))


async def aiokafka_alone(
    ground: Ground, scale: Scale, progress: Progress, results: Results
) -> None:
    settings = kl.limit_settings(ground, ground.namespace())
    await kl.create_topics(settings)
    progress.step("L aiokafka alone: produce")
    value, samples = await repeated(scale, progress, lambda d: kl.aiokafka_produce(settings, d))
    results.add(Figure("L.aiokafka_produce", value, "records/s", samples=samples))
    progress.step("L aiokafka alone: consume")
    value, samples = await repeated(scale, progress, lambda d: kl.aiokafka_consume(settings, d))
    results.add(Figure("L.aiokafka_consume", value, "records/s", samples=samples))
    progress.step("L aiokafka alone: one record's round trip")
    trips = await kl.aiokafka_round_trips(settings, 200 if scale.repeats > 1 else 20)
    results.add(Figure("L.kafka_round_trip_p50", percentile(trips, 50), "ms"))
    results.add(Figure("L.kafka_round_trip_p99", percentile(trips, 99), "ms"))


async def database(
    ground: Ground, scale: Scale, progress: Progress, results: Results, sqlite_dir: str
) -> None:
    for kind in ("postgresql", "sqlite"):
        progress.step(f"L domain INSERT + outbox INSERT, one transaction, {kind}")
        settings = await probe_settings(ground, kind, sqlite_dir, "insert")
        probe = await new_probe(settings)
        try:
            value, samples = await repeated(scale, progress, partial(insert_with_outbox, probe))
        finally:
            await probe.close()
        results.add(Figure(f"L.insert_with_outbox_{kind}", value, "tx/s", samples=samples))


async def probe_settings(ground: Ground, kind: str, sqlite_dir: str, label: str) -> ServiceSettings:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{sqlite_dir}/{label}-{ground.namespace()}.db"
    else:
        url = await ground.postgres.new_database(f"bench_{label}")
    return ServiceSettings(
        service_name="bench",
        database_url=url,
        topic_namespace=ground.namespace(),
        relay_poll_seconds=60,
        **ground.super_user(),
    )


async def bare_endpoint(
    ground: Ground, platform: Platform, scale: Scale, progress: Progress, results: Results
) -> None:
    progress.step("L bare JSON endpoint (GET /health/live of invitations), wrk")
    url = f"{platform.url('invitations')}/health/live"
    runs = []

    async def measure(duration: float) -> float:
        run = await asyncio.to_thread(wrk, url, duration, ground.work_dir)
        runs.append(run)
        return run.requests_per_s

    value, samples = await repeated(scale, progress, measure)
    results.add(Figure("L.bare_endpoint", value, "req/s", samples=samples))
    timed = runs[-len(samples) :]
    p99 = sorted(r.latency_ms.get(99, 0.0) for r in timed)[len(timed) // 2]
    results.add(Figure("L.bare_endpoint_p99_full_load", p99, "ms"))


async def bare_endpoint_paced(
    platform: Platform, rate: float, scale: Scale, progress: Progress
) -> list[float]:
    """The bare endpoint's latencies under the paced generator at ``rate``: the limit of the
    intake's latency at the same rate."""
    url = f"{platform.url('invitations')}/health/live"

    async def one(http: httpx.AsyncClient, _n: int) -> float:
        started = time.monotonic()
        (await http.get(url)).raise_for_status()
        return (time.monotonic() - started) * 1000

    progress.detail(f"bare endpoint paced at {rate:.0f}/s")
    return await paced(rate, scale.duration_s, one)


def _median(name: str, samples: list[float], unit: str) -> Figure:
    return Figure(name, median_of(samples), unit, samples=tuple(samples))
