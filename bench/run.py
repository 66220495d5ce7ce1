"""The whole run, in order: the ground, the limits, then the platform beside them."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from multitrack_shared.testing.processes import Platform

from . import limits, platform_figures, replay
from .figures import Results
from .ground import Ground, MemoryWatch, provide_ground
from .memory import memory_figures
from .progress import Progress
from .scale import Scale
from .workload import Api

STEPS = 20


async def run(
    scale: Scale, *, closed_broker: bool = True, credentials: Path | None = None
) -> Results:
    results = Results(scale.name)
    progress = Progress(STEPS)
    progress.step("starting a closed broker, the identity provider, PostgreSQL")
    async with provide_ground(closed_broker=closed_broker, credentials=credentials) as ground:
        results.broker = ground.broker_kind
        namespace = ground.namespace()
        progress.step("starting the four services on PostgreSQL")
        platform = await ground.start_services(namespace=namespace)
        watch = MemoryWatch(platform)
        watch.start()
        try:
            await _measure(ground, platform, namespace, scale, progress, results)
        except Exception as exc:  # what was measured is still written, and the run fails
            results.incomplete = f"{progress.current}: {exc!r}"
            print(f"stopped at {results.incomplete}", file=sys.stderr)
        finally:
            watch.stop()
            await asyncio.to_thread(platform.stop)
        memory_figures(watch, results)
    progress.finish()
    return results


async def _measure(
    ground: Ground,
    platform: Platform,
    namespace: str,
    scale: Scale,
    progress: Progress,
    results: Results,
) -> None:
    with tempfile.TemporaryDirectory(prefix="multitrack-bench-sqlite-") as sqlite_dir:
        await limits.kafka_tools(ground, scale, progress, results)
        await limits.aiokafka_alone(ground, scale, progress, results)
        await limits.database(ground, scale, progress, results, sqlite_dir)
        await limits.bare_endpoint(ground, platform, scale, progress, results)
        await platform_figures.intake(ground, platform, scale, progress, results)
        await platform_figures.relay_and_consumer(ground, scale, progress, results, sqlite_dir)
    async with Api.of_org_a(platform, ground.tokens) as api:
        await platform_figures.end_to_end(api, scale, progress, results)
        await platform_figures.lessons_loop(api, platform, scale, progress, results)
    await replay.replay(ground, namespace, scale, progress, results)
