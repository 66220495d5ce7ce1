"""The fault proxy forwards both ways, and slows, holds and cuts a link on demand."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from multitrack_shared.testing.faultproxy import FaultProxy


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[FaultProxy]:
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    with FaultProxy("127.0.0.1", port) as proxy:
        yield proxy
    server.close()


async def round_trip(proxy: FaultProxy, payload: bytes = b"ping") -> tuple[bytes, float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    started = time.monotonic()
    writer.write(payload)
    answer = await asyncio.wait_for(reader.readexactly(len(payload)), 5)
    writer.close()
    return answer, time.monotonic() - started


async def test_bytes_pass_both_ways_and_a_slow_link_delays_each_direction(
    proxy: FaultProxy,
) -> None:
    assert (await round_trip(proxy))[0] == b"ping"
    proxy.slow(0.3)
    answer, took = await round_trip(proxy)
    assert answer == b"ping"
    assert took >= 0.6
    proxy.restore()
    assert (await round_trip(proxy))[1] < 0.3


async def test_a_held_link_passes_nothing_until_restored_and_then_everything(
    proxy: FaultProxy,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    proxy.hold()
    writer.write(b"held")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(reader.readexactly(4), 0.5)
    proxy.restore()
    assert await asyncio.wait_for(reader.readexactly(4), 5) == b"held"
    writer.close()


async def test_a_cut_link_resets_open_connections_and_refuses_new_ones_until_restored(
    proxy: FaultProxy,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    writer.write(b"a")
    assert await reader.readexactly(1) == b"a"
    proxy.cut()
    try:
        after_the_cut = await asyncio.wait_for(reader.read(10), 5)
    except ConnectionResetError:
        after_the_cut = b""
    assert after_the_cut == b""
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await round_trip(proxy)
    proxy.restore()
    assert (await round_trip(proxy))[0] == b"ping"
