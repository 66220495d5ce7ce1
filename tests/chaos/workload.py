"""A steady mixed workload through the HTTP APIs: invitations received, assessed, then
accepted (which opens an engagement in another service) or declined; and, beside them, lessons
recorded by an evaluator (applied by engagements and invitations) and partners registered
(applied by engagements). Every write is kept with its outcome — accepted (2xx), refused (an
answer other than 2xx) or unknown (no answer) — so that the reconciler can hold the platform
to each."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.samples import (
    acceptance_body,
    assessment_body,
    invitation_body,
    lesson_body,
    partner_body,
)

RECEIVED = "multitrack.invitation.received.v2"
ASSESSED = "multitrack.invitation.assessed.v1"
ACCEPTED = "multitrack.invitation.accepted.v2"
DECLINED = "multitrack.invitation.declined.v2"
OPENED = "multitrack.engagement.opened.v1"
LESSON = "multitrack.lesson.recorded.v2"
PARTNER = "multitrack.partner.registered.v1"
IN_DOUBT = '"commit_outcome_unknown"'
"""The code of a write whose commit may or may not have been kept."""
LIFECYCLE = {RECEIVED: 0, ASSESSED: 1, ACCEPTED: 2, DECLINED: 2}
"""Each invitation event's place in its invitation's stream."""


class Outcome(enum.Enum):
    accepted = "accepted"
    refused = "refused"
    unknown = "unknown"


@dataclass(frozen=True)
class Write:
    event_type: str
    """The event the write publishes when it is accepted."""
    marker: str
    """Written into the invitation, so that a row is traced to the request that made it."""
    outcome: Outcome
    key: str | None = None
    """The invitation's id, once the platform named it."""
    status: int | None = None
    body: str = ""


@dataclass
class Workload:
    """``workers`` clients, each going through invitations one after another until stopped;
    with ``others`` (the evaluation and partners services' URLs) one more, recording a lesson
    as ``evaluator`` and registering a partner in turn."""

    http: httpx.AsyncClient
    url: str
    workers: int = 2
    pause: float = 0.3
    others: Mapping[str, str] = field(default_factory=dict)
    evaluator: httpx.Auth | None = None
    beside_pause: float = 1.0
    """Seconds between a lesson and a partner, and between a partner and the next lesson."""
    writes: list[Write] = field(default_factory=list)
    _stopping: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _declines: itertools.cycle[bool] = field(
        default_factory=lambda: itertools.cycle([False, False, False, True])
    )

    def start(self) -> None:
        self._tasks = [asyncio.ensure_future(self._work()) for _ in range(self.workers)]
        if self.others:
            self._tasks.append(asyncio.ensure_future(self._work_beside()))

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def accepted(self) -> list[Write]:
        return [w for w in self.writes if w.outcome is Outcome.accepted]

    def server_errors(self) -> list[Write]:
        """Answers no fault may produce: a 500, or a refusal without the documented body."""
        return [w for w in self.writes if w.status is not None and _broken(w.status, w.body)]

    async def until_accepted(self, more: int, within: float = 120) -> None:
        """Waits for ``more`` accepted writes than there are now."""
        target = len(self.accepted) + more

        async def enough() -> bool:
            return len(self.accepted) >= target

        await eventually(enough, within=within, what=f"{target} writes accepted")

    async def _work(self) -> None:
        while not self._stopping:
            await self._one_invitation(decline=next(self._declines))
            await asyncio.sleep(self.pause)

    async def _work_beside(self) -> None:
        while not self._stopping:
            await self._one_lesson()
            await asyncio.sleep(self.beside_pause)
            await self._one_partner()
            await asyncio.sleep(self.beside_pause)

    async def _one_lesson(self) -> None:
        marker = uuid.uuid4().hex
        body = lesson_body(statement=f"Listen before convening, lesson {marker}")
        url, auth = self.others["evaluation"], self.evaluator
        await self._write("POST", "/lessons", body, LESSON, marker, None, url=url, auth=auth)

    async def _one_partner(self) -> None:
        marker = uuid.uuid4().hex
        body = partner_body(name=f"Local dialogue partner {marker}")
        url = self.others["partners"]
        await self._write("POST", "/partners", body, PARTNER, marker, None, url=url)

    async def _one_invitation(self, *, decline: bool) -> None:
        marker = uuid.uuid4().hex
        body = invitation_body(support_requested=f"Dialogue facilitation, request {marker}")
        created = await self._write("POST", "/invitations", body, RECEIVED, marker, None)
        if created is None:
            return
        key = str(created.json()["id"])  # the write above checked it is there
        path = f"/invitations/{key}"
        if await self._write("PUT", f"{path}/assessment", assessment_body(), ASSESSED, marker, key):
            decision = acceptance_body(outcome="decline") if decline else acceptance_body()
            event = DECLINED if decline else ACCEPTED
            await self._write("POST", f"{path}/decision", decision, event, marker, key)

    async def _write(
        self,
        method: str,
        path: str,
        body: object,
        event: str,
        marker: str,
        key: str | None,
        *,
        url: str | None = None,
        auth: httpx.Auth | None = None,
    ) -> httpx.Response | None:
        """The answer when the write was accepted, else None (the write is recorded either way)."""
        target = f"{url or self.url}{path}"
        try:
            given = httpx.USE_CLIENT_DEFAULT if auth is None else auth
            answer = await self.http.request(method, target, json=body, auth=given)
        except httpx.TransportError:
            self.writes.append(Write(event, marker, Outcome.unknown, key))
            await asyncio.sleep(0.2)  # no answer: the service or its link is away
            return None
        outcome = Outcome.accepted if answer.is_success else Outcome.refused
        if answer.status_code == 503 and IN_DOUBT in answer.text:
            outcome = Outcome.unknown  # the link failed during the commit: kept or not
        if answer.is_success and key is None:
            key = str(answer.json()["id"])
        self.writes.append(Write(event, marker, outcome, key, answer.status_code, answer.text))
        if not answer.is_success:
            await asyncio.sleep(0.2)
            return None
        return answer


def _broken(status: int, body: str) -> bool:
    """A 500 (only 503, unavailable, is an answer for a fault), or an error without its body."""
    return (status >= 500 and status != 503) or (status >= 400 and '"error"' not in body)
