"""What start-up built is frozen out of the collector's full collections, once per process."""

from __future__ import annotations

import subprocess
import sys

# A fresh interpreter: this test process may already have frozen its heap (an earlier test's app).
ONCE_PER_PROCESS = """
import gc
from multitrack_shared.heap import freeze_startup_heap

assert gc.get_freeze_count() == 0
freeze_startup_heap()
frozen = gc.get_freeze_count()
assert frozen > 1000, frozen  # the modules imported so far, at least
later = [[n] for n in range(5000)]
freeze_startup_heap()
assert gc.get_freeze_count() == frozen, (gc.get_freeze_count(), frozen)
print(frozen)
"""


def test_the_heap_alive_at_start_up_is_frozen_and_what_comes_after_is_not() -> None:
    run = subprocess.run(
        [sys.executable, "-c", ONCE_PER_PROCESS], capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert int(run.stdout) > 1000
