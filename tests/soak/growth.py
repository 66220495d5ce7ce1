"""The soak's rule for a series that grows without bound.

A bounded series settles: after a warm-up (caches fill, pools open, the retention windows of
the outbox and the inbox fill and pruning starts) it moves around a level. A leak keeps
rising. So the rule looks only at the **second half** of the run, and never at the warm-up:
it fits a least-squares line through the samples of that window and takes the **rise** of
the fitted line across it (slope x window length). The series grows without bound when that
rise is above **both**

- a share of the window's mean (``Limit.relative``, 10 %): a rise small beside the level is
  the noise of a settled series, not a leak;
- an absolute floor of its own (``Limit.absolute``): near zero (consumer lag, a few
  connections) any wobble is a large share of the mean.

A line through the window rather than its last sample against its first: one burst (a
pruning round, a garbage collection) moves the ends, hardly the fitted line.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MIN_SAMPLES = 3
"""Fewer samples in the window fit no line worth judging: such a series is not judged."""


@dataclass(frozen=True)
class Limit:
    absolute: float
    """A rise below this is never growth, whatever the series' level."""
    relative: float = 0.10
    """A rise below this share of the window's mean is never growth."""


@dataclass(frozen=True)
class Verdict:
    rise: float
    """Of the fitted line across the judged window."""
    mean: float
    """Of the judged window."""
    judged: int
    """Samples in the window (0 when it held too few to judge)."""
    grows: bool


def judge(
    times: Sequence[float], values: Sequence[float], limit: Limit, warm_up_s: float
) -> Verdict:
    """``times`` in seconds from the start of the load, ascending; ``values`` beside them."""
    if not times:
        return Verdict(rise=0.0, mean=0.0, judged=0, grows=False)
    start = max(warm_up_s, (times[0] + times[-1]) / 2)
    window = [(t, v) for t, v in zip(times, values, strict=True) if t >= start]
    if len(window) < MIN_SAMPLES:
        return Verdict(rise=0.0, mean=0.0, judged=0, grows=False)
    ts, vs = [t for t, _ in window], [v for _, v in window]
    slope = statistics.linear_regression(ts, vs).slope
    rise = slope * (ts[-1] - ts[0])
    mean = statistics.fmean(vs)
    grows = rise > limit.absolute and rise > limit.relative * abs(mean)
    return Verdict(rise=rise, mean=mean, judged=len(window), grows=grows)
