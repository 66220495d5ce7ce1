"""A TCP proxy a test controls, between a service and its database or broker: it forwards
bytes both ways, and on demand makes the link slow (a delay before each chunk, per
direction, order kept), holds it (bytes wait in the proxy, connections stay open) or cuts it
(every open connection reset, new ones closed at once) until it is restored.

It runs on a thread of its own, so that it keeps forwarding whatever the test's own event
loop is doing; its controls may be called from any thread::

    with FaultProxy("127.0.0.1", 5432) as proxy:
        url = f"postgresql://user@127.0.0.1:{proxy.port}/db"
        proxy.slow(0.2)
        proxy.cut()
        proxy.restore()
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

CHUNK = 65536


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.delay = 0.0
        self.is_cut = False
        self._flowing = asyncio.Event()  # the proxy's loop alone touches it
        self._flowing.set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def slow(self, delay: float) -> None:
        """Each chunk waits ``delay`` seconds before it is passed on."""
        self.delay = delay

    def hold(self) -> None:
        """Nothing passes until ``restore()``; what was sent waits, nobody is told."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def cut(self) -> None:
        self.is_cut = True
        self._loop.call_soon_threadsafe(self._reset_all)
        self._loop.call_soon_threadsafe(self._flowing.set)  # held chunks see the cut and go

    def restore(self) -> None:
        self.delay = 0.0
        self.is_cut = False
        self._loop.call_soon_threadsafe(self._flowing.set)

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)

    def _reset_all(self) -> None:
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()

    async def _close(self) -> None:
        self._reset_all()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.is_cut:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}
        try:
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        finally:
            for each in (writer, up_writer):
                self._links.discard(each)
                each.transport.abort()

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await source.read(CHUNK):
                if self.delay:
                    await asyncio.sleep(self.delay)
                await self._flowing.wait()
                if self.is_cut:
                    return
                sink.write(chunk)
                await sink.drain()
        # One side closed or failed: the other is closed too, as a real link would be.
        sink.transport.abort()
