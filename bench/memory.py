"""P(g): each service's resident set size through the run, its peak and its drift."""

from __future__ import annotations

from .figures import Figure, Results, Target, median_of
from .ground import MemoryWatch

LIMIT_MIB = 150
DRIFT_MIB = 30
"""More growth than this between the first and the last quarter of the run is not flat."""


def memory_figures(watch: MemoryWatch, results: Results) -> None:
    for service, samples in sorted(watch.samples.items()):
        values = [mib for _, mib in samples]
        if not values:
            continue
        quarter = max(1, len(values) // 4)
        drift = median_of(values[-quarter:]) - median_of(values[:quarter])
        results.add(
            Figure(f"P.g.rss_peak_{service}", max(values), "MiB", target=Target(LIMIT_MIB, False))
        )
        results.add(
            Figure(f"P.g.rss_drift_{service}", drift, "MiB", target=Target(DRIFT_MIB, False))
        )
    results.series["rss_mib"] = {
        service: [[t, round(mib, 1)] for t, mib in samples]
        for service, samples in watch.samples.items()
    }
