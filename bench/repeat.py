"""Warm-up, then several timed repetitions: the figure is their median."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .figures import median_of
from .progress import Progress
from .scale import Scale


async def repeated(
    scale: Scale,
    progress: Progress,
    measure: Callable[[float], Awaitable[float]],
    *,
    warm_up: bool = True,
) -> tuple[float, tuple[float, ...]]:
    """``measure(duration)`` once untimed (when ``warm_up``), then ``scale.repeats`` times; the
    median and every sample."""
    if warm_up and scale.warmup_s > 0:
        progress.detail("warm-up")
        await measure(scale.warmup_s)
    samples = []
    for n in range(scale.repeats):
        progress.detail(f"repetition {n + 1}/{scale.repeats}")
        samples.append(await measure(scale.duration_s))
    return median_of(samples), tuple(samples)
