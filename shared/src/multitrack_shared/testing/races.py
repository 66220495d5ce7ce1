"""Many writers at one record at once, and what must come of it: one winner, the rest refused.

    answers = await all_at_once(client.post(url, json=body) for _ in range(50))  # in-process
    answers = await sent_together([httpx.Request("POST", url, json=body)] * 50)  # a process
    winner = sole_winner(answers)

A race is run for real only if some requests read the record before another's write was
committed; ``sole_winner`` checks that at least one lost that way (``concurrent_update``),
so a test whose requests happened to run one after another fails instead of passing. Overlap
cannot be forced, only made likely: ``until_overlapped`` runs a storm again on a fresh record
until one overlapped, checking each storm's outcome meanwhile::

    record_id, winner = await until_overlapped(storm)  # storm() -> (record id, answers)
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence

import h11
import httpx

LOST_RACE = "concurrent_update"
STALE_TAG = "precondition_failed"


async def all_at_once(requests: Iterable[Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """Every request in flight together; the answers in the order given. In-process, the
    requests share the app's event loop, so each one's read and write interleave with the
    others'."""
    return list(await asyncio.gather(*requests))


async def sent_together(requests: Sequence[httpx.Request]) -> list[httpx.Response]:
    """Send each request over a connection of its own to a service in another process, all
    but its last byte first, then every last byte at once; the answers in the order given.

    A client sends requests one after the other, and a service may well have answered the
    first before the last has left; held back by one byte, none of them can be read (a body is
    read whole before anything is done with it) until they all can.
    """
    held = [await _held_back(request) for request in requests]
    for connection in held:
        connection.release()
    return [await connection.answer() for connection in held]


class _HeldRequest:
    def __init__(
        self, request: httpx.Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._request = request
        self._reader = reader
        self._writer = writer
        self._http = h11.Connection(h11.CLIENT)
        self._wire = b"".join(
            self._http.send(event) or b""
            for event in (
                h11.Request(
                    method=request.method,
                    target=request.url.raw_path,
                    headers=[*request.headers.raw, (b"connection", b"close")],
                ),
                h11.Data(data=request.content),
                h11.EndOfMessage(),
            )
        )

    async def hold(self) -> None:
        self._writer.write(self._wire[:-1])
        await self._writer.drain()

    def release(self) -> None:
        self._writer.write(self._wire[-1:])

    async def answer(self) -> httpx.Response:
        try:
            await self._writer.drain()
            status, headers, body = 0, list[tuple[bytes, bytes]](), b""
            while True:
                event = self._http.next_event()
                if event is h11.NEED_DATA:
                    self._http.receive_data(await self._reader.read(65536))
                elif isinstance(event, h11.Response):
                    status, headers = event.status_code, list(event.headers)
                elif isinstance(event, h11.Data):
                    body += bytes(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    return httpx.Response(
                        status, headers=headers, content=body, request=self._request
                    )
                else:
                    raise ConnectionError(f"unexpected answer: {event!r}")
        finally:
            self._writer.close()


async def _held_back(request: httpx.Request) -> _HeldRequest:
    url = request.url
    reader, writer = await asyncio.open_connection(url.host, url.port)
    held = _HeldRequest(request, reader, writer)
    await held.hold()
    return held


def sole_winner(
    answers: list[httpx.Response],
    *,
    success: int = 200,
    refusals: frozenset[int] = frozenset({409}),
    overlap: bool = True,
) -> httpx.Response:
    """The one answer with ``success``; every other is a refusal with the error body, and
    (unless ``overlap`` is false) at least one of them lost the race itself."""
    outcomes = Counter(
        (answer.status_code, answer.json().get("error", {}).get("code")) for answer in answers
    )
    winners = [answer for answer in answers if answer.status_code == success]
    assert len(winners) == 1, f"one winner expected: {dict(outcomes)}"
    refused = {status for status, _ in outcomes if status != success}
    assert refused <= refusals, f"only {sorted(refusals)} expected besides: {dict(outcomes)}"
    if overlap:
        assert overlapped(answers), f"the requests did not overlap: {dict(outcomes)}"
    return winners[0]


def overlapped(answers: list[httpx.Response]) -> bool:
    """Whether some request read the record before another's write was committed."""
    return any(
        answer.status_code == 409 and answer.json().get("error", {}).get("code") == LOST_RACE
        for answer in answers
    )


ATTEMPTS = 5
"""Storms a test may run before it concludes that its requests cannot overlap."""


async def until_overlapped(
    storm: Callable[[], Awaitable[tuple[str, list[httpx.Response]]]],
    *,
    success: int = 200,
    refusals: frozenset[int] = frozenset({409}),
) -> tuple[str, httpx.Response]:
    """The record and the winner of the first storm whose requests overlapped; every storm
    before it must still have had one winner and only ``refusals`` besides."""
    for _ in range(ATTEMPTS):
        record_id, answers = await storm()
        winner = sole_winner(answers, success=success, refusals=refusals, overlap=False)
        if overlapped(answers):
            return record_id, winner
    raise AssertionError(f"in {ATTEMPTS} storms the requests never overlapped")
