"""The soak: the four services as processes on the real broker and PostgreSQL, the fault
suite's steady workload through their HTTP APIs with the realm's tokens, every service
sampled at each interval; no series may grow without bound (``growth``), no answer may be a
500. ``make soak`` runs it for 30 minutes; ``make test`` for 40 seconds."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from multitrack_shared.testing.broker import Broker
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.postgres import Postgres
from multitrack_shared.testing.processes import SERVICES, Platform, platform_processes
from multitrack_shared.testing.tokens import TokenSource

from ..chaos.harness import every_service_ready
from ..chaos.workload import Workload
from .plan import Plan, chosen_plan
from .report import judge_all, samples_table, verdict_table, write_files
from .sampling import SERIES, Sample, sample_platform

pytestmark = pytest.mark.timeout(float(os.environ.get("SOAK_MINUTES") or 2) * 60 + 600)


async def test_no_series_grows_without_bound_under_steady_load(
    kafka_broker: Broker,
    postgres: Postgres,
    keycloak: IdentityProvider,
    tokens: TokenSource,
    topic_namespace: str,
    tmp_path: Path,
) -> None:
    plan = chosen_plan(tmp_path)
    databases = {name: await postgres.new_database(name) for name in SERVICES}
    platform = platform_processes(
        broker=kafka_broker,
        databases=databases,
        topic_namespace=topic_namespace,
        oidc_issuer=keycloak.issuer.url,
        log_dir=tmp_path,
        extra_env=plan.service_settings(),
    )
    async with httpx.AsyncClient(timeout=10, auth=tokens.auth("org-a", "coordinator")) as http:
        try:  # a service that did not come up is stopped with the others
            await asyncio.to_thread(platform.start)
            await every_service_ready(http, platform)
            # Moderate: an invitation's writes about every two seconds; a lesson and a partner
            # a minute, as a consortium records them (each lesson reaches every matching
            # ongoing engagement, so it costs engagements more as they accumulate).
            workload = Workload(
                http,
                platform.url("invitations"),
                workers=1,
                pause=0.5,
                beside_pause=30,
                others={name: platform.url(name) for name in ("evaluation", "partners")},
                evaluator=tokens.auth("org-a", "evaluator"),
            )
            samples = await soak(http, platform, databases, workload, plan)
        finally:
            await asyncio.gather(*(asyncio.to_thread(p.stop) for p in platform.services.values()))

    judged = judge_all(samples, plan.warm_up_s, plan.retention_s)
    settings = {
        "duration_s": plan.duration_s,
        "interval_s": plan.interval_s,
        "warm_up_s": plan.warm_up_s,
        "retention_s": plan.retention_s,
        "prune_interval_s": plan.prune_s,
        "limits": {name: vars(limit) for name, limit in SERIES.items()},
    }
    json_path, plot_path = write_files(plan.out, samples, judged, settings)
    verdicts = verdict_table(judged)
    (plan.out / "verdicts.md").write_text(verdicts + "\n")
    print(f"\n{samples_table(samples)}\n\n{verdicts}\n\nwritten: {json_path} {plot_path}")

    assert len(samples) == int(plan.duration_s // plan.interval_s) + 1
    assert workload.server_errors() == [], workload.server_errors()[:5]
    assert samples[-1].accepted > samples[len(samples) // 2].accepted > 0, "the load went on"
    assert all(j.verdict.judged for j in judged), "too few samples in the judged half"
    growing = [f"{j.service} {j.series}: {j.verdict}" for j in judged if j.verdict.grows]
    assert growing == [], growing


async def soak(
    http: httpx.AsyncClient,
    platform: Platform,
    databases: dict[str, str],
    workload: Workload,
    plan: Plan,
) -> list[Sample]:
    """Samples at 0, one interval, two… up to the duration, while the workload runs."""
    samples: list[Sample] = []
    started = time.monotonic()
    workload.start()
    try:
        due = 0.0
        while due <= plan.duration_s:
            await asyncio.sleep(max(0.0, started + due - time.monotonic()))
            at = time.monotonic() - started
            sample = await sample_platform(http, platform, databases, at, len(workload.accepted))
            samples.append(sample)
            due += plan.interval_s
    finally:
        await workload.stop()
    return samples
