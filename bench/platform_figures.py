"""The platform (P): intake over HTTP, the relay, the consumer, end to end, the lessons loop."""

from __future__ import annotations

import asyncio
import time
from functools import partial

import httpx

from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.samples import invitation_body

from .figures import Figure, Results, Target, median_of, percentile
from .ground import Ground
from .http_load import paced, wrk
from .limits import bare_endpoint_paced, probe_settings
from .messaging import consumer_apply, relay_drain
from .probe import Probe, new_probe
from .progress import Progress
from .repeat import repeated
from .scale import Scale
from .workload import Api, at_most

BURST_REGION = "Bench burst region"
PACED_REGION = "Bench paced region"
LESSONS_REGION = "Bench lessons region"
MAX_PACED_ACCEPTS = 400
"""Per repetition: the paced generator is Python, on the same two cores."""


async def intake(
    ground: Ground, platform: Platform, scale: Scale, progress: Progress, results: Results
) -> None:
    progress.step("P(a) HTTP intake: POST /invitations, wrk")
    url = f"{platform.url('invitations')}/invitations"
    errors = 0

    async def measure(duration: float) -> float:
        nonlocal errors
        token = await ground.tokens.for_client("org-a", "coordinator")
        run = await asyncio.to_thread(
            wrk, url, duration, ground.work_dir, method="POST", body=invitation_body(), token=token
        )
        errors += run.refused
        return run.requests_per_s

    value, samples = await repeated(scale, progress, measure)
    if errors:
        raise RuntimeError(f"{errors} intake requests refused under wrk")
    bare = results.figures["L.bare_endpoint"]
    results.add(
        Figure(
            "P.a.intake", value, "req/s", bare.name, bare.value,
            Target(0.15, at_least=True, of_ratio=True), samples,
        )
    )  # fmt: skip

    progress.step("P(a) HTTP intake at 50 % of its maximum, paced")
    rate = max(1.0, value / 2)
    token = await ground.tokens.for_client("org-a", "coordinator")
    headers = {"Authorization": f"Bearer {token}"}

    async def one(http: httpx.AsyncClient, _n: int) -> float:
        started = time.monotonic()
        answer = await http.post(url, json=invitation_body())
        if answer.status_code != 201:
            raise RuntimeError(f"intake answered {answer.status_code}: {answer.text[:200]}")
        return (time.monotonic() - started) * 1000

    p99s, p50s = [], []
    for n in range(scale.repeats):
        progress.detail(f"{rate:.0f} req/s, repetition {n + 1}/{scale.repeats}")
        latencies = await paced(rate, scale.duration_s, one, headers=headers)
        p99s.append(percentile(latencies, 99))
        p50s.append(percentile(latencies, 50))
    bare_latencies = await bare_endpoint_paced(platform, rate, scale, progress)
    results.add(
        Figure(
            "P.a.intake_p50_at_50pct", median_of(p50s), "ms",
            "L.bare_endpoint_p50_same_rate", percentile(bare_latencies, 50), samples=tuple(p50s),
        )
    )  # fmt: skip
    results.add(
        Figure(
            "P.a.intake_p99_at_50pct", median_of(p99s), "ms",
            "L.bare_endpoint_p99_same_rate", percentile(bare_latencies, 99),
            Target(50, at_least=False), tuple(p99s),
        )
    )  # fmt: skip


async def relay_and_consumer(
    ground: Ground, scale: Scale, progress: Progress, results: Results, sqlite_dir: str
) -> None:
    produce = results.figures["L.aiokafka_produce"]
    consume = results.figures["L.aiokafka_consume"]
    for kind in ("postgresql", "sqlite"):
        progress.step(f"P(b) relay drain of a {scale.relay_backlog}-event backlog, {kind}")
        probe = await new_probe(await probe_settings(ground, kind, sqlite_dir, "relay"))
        try:

            async def drain(duration: float, probe: Probe = probe) -> float:
                return await relay_drain(probe, scale.relay_backlog, duration)

            value, samples = await repeated(scale, progress, drain)
        finally:
            await probe.close()
        results.add(
            Figure(
                f"P.b.relay_drain_{kind}", value, "events/s", produce.name, produce.value,
                Target(0.5, at_least=True, of_ratio=True), samples,
            )
        )  # fmt: skip

        progress.step(
            f"P(c) consumer apply with the inbox, {scale.consumer_backlog} events, {kind}"
        )
        samples_c = []
        for n in range(scale.repeats):
            progress.detail(f"repetition {n + 1}/{scale.repeats}")
            # A probe of its own each time: a fresh topic, group, inbox and read model.
            probe = await new_probe(await probe_settings(ground, kind, sqlite_dir, "consumer"))
            try:
                samples_c.append(
                    await consumer_apply(probe, scale.consumer_backlog, scale.duration_s)
                )
            finally:
                await probe.close()
        target = Target(0.05, at_least=True, of_ratio=True) if kind == "postgresql" else None
        results.add(
            Figure(
                f"P.c.consumer_apply_{kind}", median_of(samples_c), "events/s",
                consume.name, consume.value, target, tuple(samples_c),
            )
        )  # fmt: skip


async def end_to_end(api: Api, scale: Scale, progress: Progress, results: Results) -> None:
    produce = results.figures["L.aiokafka_produce"]
    progress.step(f"P(d) end to end: bursts of {scale.burst} accepts")
    rates = []
    for n in range(scale.repeats):
        progress.detail(f"preparing {scale.burst} assessed invitations")
        invitations = await api.assessed_invitations(scale.burst, BURST_REGION)
        progress.detail(f"burst {n + 1}/{scale.repeats}")
        started = time.monotonic()
        await at_most(16, [partial(api.accept, i) for i in invitations])
        await api.all_readable(invitations)
        rates.append(len(invitations) / (time.monotonic() - started))
    burst = median_of(rates)
    results.add(
        Figure(
            "P.d.e2e_burst", burst, "events/s", produce.name, produce.value,
            Target(1500, at_least=True), tuple(rates),
        )
    )  # fmt: skip

    trip_p50 = results.figures["L.kafka_round_trip_p50"]
    trip_p99 = results.figures["L.kafka_round_trip_p99"]
    for share in (50, 80):
        rate = max(1.0, burst * share / 100)
        duration = min(scale.paced_s, MAX_PACED_ACCEPTS / rate)
        progress.step(f"P(d) end to end at {share} % of the burst rate ({rate:.0f}/s)")
        per_repeat: list[dict[int, float]] = []
        for n in range(scale.repeats):
            count = max(1, round(rate * duration))
            progress.detail(f"preparing {count} assessed invitations")
            invitations = await api.assessed_invitations(count, PACED_REGION)

            async def accepted_then_read(
                _http: httpx.AsyncClient, k: int, invitations: list[str] = invitations
            ) -> float:
                answered = await api.accept(invitations[k])
                await api.engagement_when_readable(invitations[k])
                return (time.monotonic() - answered) * 1000

            progress.detail(f"{rate:.0f} accepts/s, repetition {n + 1}/{scale.repeats}")
            latencies = await paced(rate, count / rate, accepted_then_read)
            per_repeat.append({q: percentile(latencies, q) for q in (50, 95, 99)})
        targets = {50: Target(15, at_least=False), 99: Target(50, at_least=False)}
        for q in (50, 95, 99):
            samples = tuple(r[q] for r in per_repeat)
            limit = trip_p99 if q == 99 else trip_p50
            results.add(
                Figure(
                    f"P.d.e2e_p{q}_at_{share}pct", median_of(samples), "ms",
                    limit.name, limit.value, targets.get(q) if share == 50 else None, samples,
                )
            )  # fmt: skip


async def lessons_loop(
    api: Api, platform: Platform, scale: Scale, progress: Progress, results: Results
) -> None:
    count = scale.lesson_engagements
    progress.step(f"P(e) lessons loop: {count} matching engagements")
    progress.detail(f"opening {count} engagements")
    invitations = await api.assessed_invitations(count, LESSONS_REGION)
    await at_most(16, [partial(api.accept, i) for i in invitations])
    engagements = await api.all_readable(invitations)
    evaluation = platform.url("evaluation")
    firsts, verified = [], []
    for n in range(scale.lessons + 1):
        progress.detail(f"lesson {n + 1}/{scale.lessons + 1}")
        lesson, answered = await api.record_lesson(evaluation, LESSONS_REGION, n)
        seen, checked_all = await api.reached_all(engagements, lesson)
        if n == 0:
            continue  # the warm-up
        firsts.append((seen - answered) * 1000)
        verified.append((checked_all - answered) * 1000)
    trip = results.figures["L.kafka_round_trip_p99"]
    results.add(
        Figure(
            "P.e.lessons_loop_p50", percentile(firsts, 50), "ms",
            results.figures["L.kafka_round_trip_p50"].name,
            results.figures["L.kafka_round_trip_p50"].value, samples=tuple(firsts),
        )
    )  # fmt: skip
    results.add(
        Figure(
            "P.e.lessons_loop_p99", percentile(firsts, 99), "ms", trip.name, trip.value,
            Target(250, at_least=False), tuple(firsts),
        )
    )  # fmt: skip
    results.add(
        Figure(
            "P.e.lessons_loop_all_checked_p99", percentile(verified, 99), "ms",
            samples=tuple(verified),
        )
    )  # fmt: skip
