"""Keeping the garbage collector's pauses out of a running service's answers."""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Put what is alive once the service has started out of the collector's reach, once per
    process.

    CPython's full collection walks every object it tracks: the modules, the app and its
    routes, the pools, the ORM's mappers and compiled statements. In a process holding the
    console app one took 124–144 ms, and a request that arrived meanwhile waited for it; the
    services, of a similar size, paused alike (``make bench-console``). What start-up built
    lives as long as the process; frozen (after one collection of start-up's own garbage),
    later full collections walk only what came after. Once per process: a test suite starts
    many apps in one process, and what is alive when the second starts is not start-up's.
    """
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
