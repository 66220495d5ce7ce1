"""The soak's findings: the samples as a table, as JSON and as a plot, and each series'
verdict under the growth rule."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .growth import Verdict, judge
from .sampling import RETAINED, SERIES, UNITS, Sample


@dataclass(frozen=True)
class Judged:
    service: str
    series: str
    first: float
    last: float
    verdict: Verdict


def judge_all(samples: Sequence[Sample], warm_up_s: float, retention_s: float) -> list[Judged]:
    """Every series of every service under the growth rule; the retained rows per write of
    the retention window before each sample (``sampling.RETAINED``)."""
    if not samples:
        return []
    times = [s.at_s for s in samples]
    recent = [max(1.0, writes_within(samples, i, retention_s)) for i in range(len(samples))]
    found = []
    for service in samples[0].services:
        for series, limit in SERIES.items():
            values = [s.services[service][series] for s in samples]
            if series in RETAINED:
                values = [v / w for v, w in zip(values, recent, strict=True)]
            verdict = judge(times, values, limit, warm_up_s)
            found.append(Judged(service, series, values[0], values[-1], verdict))
    return found


def writes_within(samples: Sequence[Sample], index: int, window_s: float) -> float:
    """Writes accepted in the ``window_s`` before sample ``index``: its count less the count
    at the window's start, read off the line between the two samples around it."""
    now = samples[index]
    since = now.at_s - window_s
    before = samples[0]
    for sample in samples[: index + 1]:
        if sample.at_s >= since:
            if sample.at_s == before.at_s:
                return float(now.accepted - sample.accepted)
            share = (since - before.at_s) / (sample.at_s - before.at_s)
            return now.accepted - (before.accepted + share * (sample.accepted - before.accepted))
        before = sample
    return 0.0


def samples_table(samples: Sequence[Sample]) -> str:
    """One line a sample: each service's series, in the order of ``SERIES``."""
    if not samples:
        return "no samples"
    services = list(samples[0].services)
    short = "/".join(s.split("_")[0] for s in SERIES)
    head = ["min", "accepted", *(f"{name} {short}" for name in services)]
    lines = []
    for sample in samples:
        cells = [f"{sample.at_s / 60:.1f}", str(sample.accepted)]
        for name in services:
            values = sample.services[name]
            cells.append("/".join(f"{values[s]:.0f}" for s in SERIES))
        lines.append(cells)
    return _aligned([head, *lines])


def verdict_table(judged: Sequence[Judged]) -> str:
    """A Markdown table: each service's series from first to last sample, the fitted rise
    over the judged window and the verdict."""
    lines = [
        "| service | series | first | last | mean (judged) | rise (judged) | grows |",
        "|---|---|---|---|---|---|---|",
    ]
    for j in judged:
        unit = "per write retained" if j.series in RETAINED else UNITS.get(j.series, "")
        v, places = j.verdict, 2 if j.series in RETAINED else 0
        lines.append(
            f"| {j.service} | {j.series.replace('_', ' ')}{f' ({unit})' if unit else ''} "
            f"| {j.first:.{places}f} | {j.last:.{places}f} | {v.mean:.{places + 1}f} "
            f"| {v.rise:+.{places + 1}f} "
            f"| {'**yes**' if v.grows else 'no' if v.judged else 'not judged'} |"
        )
    return "\n".join(lines)


def write_files(
    out: Path,
    samples: Sequence[Sample],
    judged: Sequence[Judged],
    settings: Mapping[str, Any],
) -> tuple[Path, Path]:
    """``samples.json`` and ``soak.png`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "settings": dict(settings),
        "samples": [asdict(s) for s in samples],
        "verdicts": [asdict(j) for j in judged],
    }
    written = out / "samples.json"
    written.write_text(json.dumps(data, indent=1) + "\n")
    return written, plot(out / "soak.png", samples, settings.get("warm_up_s", 0.0))


def plot(path: Path, samples: Sequence[Sample], warm_up_s: float) -> Path:
    """One panel a series, one line a service, the warm-up shaded."""
    # A Figure of its own, not pyplot's: no backend, no display, nothing global.
    figure = Figure(figsize=(15, 8))
    axes = figure.subplots(2, 3, sharex=True)
    minutes = [s.at_s / 60 for s in samples]
    services = list(samples[0].services) if samples else []
    for panel, series in zip(axes.flat, SERIES, strict=True):
        for name in services:
            panel.plot(minutes, [s.services[name][series] for s in samples], label=name)
        panel.axvspan(0, warm_up_s / 60, color="0.9", label="warm-up")
        unit = UNITS.get(series)
        panel.set_title(series.replace("_", " ") + (f" ({unit})" if unit else ""))
        panel.set_xlabel("minutes of load")
        panel.set_ylim(bottom=0)
    axes.flat[0].legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    return path


def _aligned(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(lines)
