"""A figure of the run, the limit it stands beside, and the target it is held to."""

from __future__ import annotations

import platform
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """``value`` (or ``ratio``, when ``of_ratio``) compared with ``bound``."""

    bound: float
    at_least: bool
    of_ratio: bool = False

    def text(self, unit: str) -> str:
        sign = "≥" if self.at_least else "≤"
        if self.of_ratio:
            return f"ratio {sign} {self.bound:g}"
        return f"{sign} {self.bound:g} {unit}"

    def met(self, value: float, ratio: float | None) -> bool:
        measured = ratio if self.of_ratio else value
        if measured is None:
            return False
        return measured >= self.bound if self.at_least else measured <= self.bound


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    limit_name: str | None = None
    limit_value: float | None = None
    target: Target | None = None
    samples: tuple[float, ...] = ()
    """Each repetition's value; ``value`` is their median."""

    @property
    def ratio(self) -> float | None:
        if self.limit_value is None or self.limit_value == 0:
            return None
        return self.value / self.limit_value

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value, self.ratio)

    def as_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "name": self.name,
            "value": round(self.value, 3),
            "unit": self.unit,
            "limit_name": self.limit_name,
            "limit_value": None if self.limit_value is None else round(self.limit_value, 3),
            "ratio": None if ratio is None else round(ratio, 4),
            "target": None if self.target is None else self.target.text(self.unit),
            "met": self.met,
        }


@dataclass
class Results:
    """Every figure of a run, in the order measured; limits first by construction."""

    scale: str
    figures: dict[str, Figure] = field(default_factory=dict)
    series: dict[str, Any] = field(default_factory=dict)
    """What the plot draws besides the figures: each service's RSS through the run."""
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    broker: str = ""
    """How clients log in to the broker measured."""
    incomplete: str | None = None
    """The step the run stopped at, and why, when it did not finish."""

    def add(self, figure: Figure) -> Figure:
        self.figures[figure.name] = figure
        return figure

    def value(self, name: str) -> float | None:
        figure = self.figures.get(name)
        return None if figure is None else figure.value

    def as_json(self) -> dict[str, Any]:
        """The issue's shape, exactly: the run's scale and times are told with the machine."""
        run = {
            "scale": self.scale,
            "broker": self.broker,
            "incomplete": self.incomplete,
            "started_at": self.started_at.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
        }
        return {
            "machine": machine() | run,
            "figures": [f.as_json() for f in self.figures.values()],
        }

    def series_json(self) -> dict[str, Any]:
        """What the plot draws beyond the figures, and every repetition's value."""
        samples = {f.name: [round(s, 3) for s in f.samples] for f in self.figures.values()}
        return {**self.series, "samples": samples}


def median_of(samples: Sequence[float]) -> float:
    return float(statistics.median(samples)) if samples else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank rule; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return float(ordered[rank - 1])


def machine() -> dict[str, Any]:
    return {
        "host": platform.node(),
        "cpus": _cpus(),
        "cpu_model": _cpu_model(),
        "memory_mib": _memory_mib(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average_at_end": _load(),
    }


def _read(path: str, pick: Callable[[str], str | None]) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            found = pick(line)
            if found is not None:
                return found
    except OSError:
        return None
    return None


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _cpu_model() -> str | None:
    return _read(
        "/proc/cpuinfo",
        lambda line: line.split(":", 1)[1].strip() if line.startswith("model name") else None,
    )


def _memory_mib() -> int | None:
    found = _read(
        "/proc/meminfo",
        lambda line: line.split()[1] if line.startswith("MemTotal:") else None,
    )
    return None if found is None else int(found) // 1024


def _load() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None
