"""The platform's own workload through its HTTP APIs: invitations received, assessed and
accepted; engagements looked up; lessons recorded and looked for in engagements' inboxes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import TokenSource

CONCURRENCY = 16


def conflict_in(region: str, country: str = "CO") -> dict[str, Any]:
    return {
        "name": f"{region} land conflict",
        "country": country,
        "region": region,
        "conflict_type": "land",
        "phase": "post-agreement",
    }


def checked(answer: httpx.Response, *expected: int) -> httpx.Response:
    if answer.status_code not in expected:
        raise RuntimeError(
            f"{answer.request.method} {answer.request.url}: {answer.status_code} "
            f"{answer.text[:300]}"
        )
    return answer


async def at_most(concurrency: int, work: Sequence[Callable[[], Awaitable[Any]]]) -> list[Any]:
    gate = asyncio.Semaphore(concurrency)

    async def one(job: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in work)))


@dataclass
class Api:
    platform: Platform
    coordinator: httpx.AsyncClient
    evaluator: httpx.AsyncClient

    @classmethod
    @asynccontextmanager
    async def of_org_a(cls, platform: Platform, tokens: TokenSource) -> AsyncIterator[Api]:
        """The workload as org-a's coordinator and evaluator, each with a client of its own."""
        async with (
            httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "coordinator")) as coordinator,
            httpx.AsyncClient(timeout=30, auth=tokens.auth("org-a", "evaluator")) as evaluator,
        ):
            yield cls(platform, coordinator, evaluator)

    @property
    def invitations(self) -> str:
        return self.platform.url("invitations")

    @property
    def engagements(self) -> str:
        return self.platform.url("engagements")

    async def assessed_invitation(self, region: str) -> str:
        body = invitation_body(conflict=conflict_in(region))
        answer = checked(
            await self.coordinator.post(f"{self.invitations}/invitations", json=body), 201
        )
        invitation = str(answer.json()["id"])
        checked(
            await self.coordinator.put(
                f"{self.invitations}/invitations/{invitation}/assessment", json=assessment_body()
            ),
            200,
        )
        return invitation

    async def assessed_invitations(self, count: int, region: str) -> list[str]:
        return await at_most(
            CONCURRENCY, [lambda: self.assessed_invitation(region) for _ in range(count)]
        )

    async def accept(self, invitation: str) -> float:
        """Accepts; the moment its answer came."""
        checked(
            await self.coordinator.post(
                f"{self.invitations}/invitations/{invitation}/decision", json=acceptance_body()
            ),
            200,
            201,
        )
        return time.monotonic()

    async def engagement_of(self, invitation: str) -> str | None:
        answer = checked(
            await self.coordinator.get(
                f"{self.engagements}/engagements", params={"invitation_id": invitation}
            ),
            200,
        )
        found = answer.json()
        return str(found[0]["id"]) if found else None

    async def engagement_when_readable(self, invitation: str) -> str:
        """Looked for every 5 ms for the first 100 ms, then every 20 ms: a slow one must not
        add a storm of reads to the load it is measured under."""
        started = time.monotonic()
        while True:
            found = await self.engagement_of(invitation)
            if found is not None:
                return found
            await asyncio.sleep(0.005 if time.monotonic() - started < 0.1 else 0.02)

    async def all_readable(self, invitations: Sequence[str], within: float = 300) -> list[str]:
        """Each invitation's engagement, looking for the first one not yet found, in order:
        returns once the last is readable."""
        found: list[str] = []
        deadline = time.monotonic() + within
        for invitation in invitations:
            while (engagement := await self.engagement_of(invitation)) is None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(found)} of {len(invitations)} engagements opened")
                await asyncio.sleep(0.01)
            found.append(engagement)
        return found

    async def record_lesson(self, evaluation: str, region: str, n: int) -> tuple[str, float]:
        body = {
            "statement": f"Lesson {n}: open land dialogues with local partners' listening circles.",
            "evidence": "Benchmark evidence.",
            "confidence": "medium",
            "context": {"regions": [region], "conflict_types": ["land"]},
        }
        answer = checked(await self.evaluator.post(f"{evaluation}/lessons", json=body), 201)
        return str(answer.json()["id"]), time.monotonic()

    async def in_inbox(self, engagement: str, lesson: str) -> bool:
        answer = checked(
            await self.coordinator.get(f"{self.engagements}/engagements/{engagement}/lessons"),
            200,
        )
        return any(item["lesson_id"] == lesson for item in answer.json())

    async def reached_all(
        self, engagements: Sequence[str], lesson: str, within: float = 120
    ) -> tuple[float, float]:
        """When the lesson was first seen in an inbox (the last engagement's), and when every
        other inbox had been checked holding it too. The engagements service refreshes every
        matching inbox in the transaction that applies the lesson, so the first moment is the
        moment for all; the second bounds it from above (a hundred reads one after another)."""
        deadline = time.monotonic() + within
        *others, sentinel = engagements
        while not await self.in_inbox(sentinel, lesson):
            if time.monotonic() > deadline:
                raise TimeoutError(f"lesson {lesson} not in {sentinel}'s inbox")
            await asyncio.sleep(0.005)
        seen = time.monotonic()
        for engagement in others:
            while not await self.in_inbox(engagement, lesson):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"lesson {lesson} not in {engagement}'s inbox")
                await asyncio.sleep(0.005)
        return seen, time.monotonic()
