"""The progress display: one line per step on stderr, rewritten in place on a terminal."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field


@dataclass
class Progress:
    steps: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)
    _current: str = ""

    def step(self, what: str) -> None:
        self.done += 1
        self._current = what
        self._show("")

    @property
    def current(self) -> str:
        return self._current

    def detail(self, text: str) -> None:
        self._show(text)

    def _show(self, detail: str) -> None:
        elapsed = time.monotonic() - self.started
        bar_width = 24
        filled = round(bar_width * (self.done - 1) / max(self.steps, 1))
        bar = "#" * filled + "." * (bar_width - filled)
        line = f"[{bar}] {self.done:>2}/{self.steps} {elapsed:5.0f}s  {self._current}"
        if detail:
            line += f" — {detail}"
        if sys.stderr.isatty():
            sys.stderr.write("\r\x1b[2K" + line[:160])
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        sys.stderr.write(f"done in {time.monotonic() - self.started:.0f}s\n")
