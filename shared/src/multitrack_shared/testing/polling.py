from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]], within: float = 60, what: str = ""
) -> T:
    """Poll ``probe`` until it returns something other than None or False."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = await probe()
        if result is not None and result is not False:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {within}s: {what or probe}")
        await asyncio.sleep(0.2)
