"""Plain-text output: aligned tables, a progress bar, moments in a readable form."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str) and "T" in value and value[:4].isdigit():
        return moment(value)
    return str(value)


def moment(value: str | None) -> str:
    """An ISO 8601 instant as ``YYYY-MM-DD HH:MM:SS`` UTC."""
    if not value:
        return "-"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return parsed.strftime("%Y-%m-%d %H:%M:%S UTC")


class ProgressBar:
    """``[#####.....]  52% 1300/2500 label``, redrawn in place on a terminal."""

    WIDTH = 30

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self._out = out
        self._last = ""

    def show(self, done: int, total: int, label: str) -> None:
        share = 1.0 if total <= 0 else min(done / total, 1.0)
        filled = round(share * self.WIDTH)
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} {done}/{total} {label}"
        if line == self._last:
            return
        self._last = line
        end = "\r" if self._out.isatty() else "\n"
        self._out.write(line + end)
        self._out.flush()

    def close(self) -> None:
        if self._last and self._out.isatty():
            self._out.write("\n")
