"""Evaluations (six OECD-DAC criteria, twelve standard procedures) and the lessons library."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from multitrack_console.application.ports import Json, PlatformApi

DAC_CRITERIA = (
    "relevance",
    "coherence",
    "effectiveness",
    "efficiency",
    "impact",
    "sustainability",
)
DAC_TOP = 4
RATING_SCORES = {"met": 2, "partly": 1, "not": 0}
LIST_LIMIT = 100


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    value: int
    top: int
    note: str

    @property
    def share(self) -> float:
        return self.value / self.top if self.top else 0.0


@dataclass(frozen=True)
class EvaluationView:
    evaluation: Json
    dac: list[Bar]
    procedures: list[Bar]


@dataclass(frozen=True)
class LibraryEntry:
    lesson: Json
    applied: int
    adapted: int
    rejected: int
    engagements_reached: int

    @property
    def responses(self) -> int:
        return self.applied + self.adapted + self.rejected


async def evaluation_list(api: PlatformApi) -> list[Json]:
    found: list[Json] = await api.get("evaluation", "/evaluations", {"limit": LIST_LIMIT})
    return found


async def evaluation_view(api: PlatformApi, evaluation_id: str) -> EvaluationView | None:
    evaluation, procedures = await asyncio.gather(
        api.get_or_none("evaluation", f"/evaluations/{evaluation_id}"),
        api.get("evaluation", "/reference/standard_procedure"),
    )
    if evaluation is None:
        return None
    dac = [
        Bar(c, c.capitalize(), int(s["score"]), DAC_TOP, s.get("narrative") or "")
        for c in DAC_CRITERIA
        if (s := evaluation["dac"].get(c)) is not None
    ]
    rated = evaluation["procedures"]
    bars = [
        Bar(
            p["code"],
            p["label"],
            RATING_SCORES.get(rated[p["code"]]["rating"], 0) if p["code"] in rated else 0,
            max(RATING_SCORES.values()),
            rated[p["code"]]["rating"] if p["code"] in rated else "not rated",
        )
        for p in sorted(procedures, key=lambda p: int(p["position"]))
    ]
    return EvaluationView(evaluation, dac, bars)


async def lesson_library(api: PlatformApi) -> list[LibraryEntry]:
    """Every lesson the person may read, with how its responses went (one read per lesson,
    side by side: the list answer does not carry them)."""
    lessons: list[Json] = await api.get("evaluation", "/lessons", {"limit": LIST_LIMIT})
    details = await asyncio.gather(
        *(api.get("evaluation", f"/lessons/{lesson['id']}") for lesson in lessons)
    )
    return [_entry(detail) for detail in details]


def _entry(detail: Json) -> LibraryEntry:
    responses = detail["responses"]
    return LibraryEntry(
        lesson=detail,
        applied=int(responses["applied"]),
        adapted=int(responses["adapted"]),
        rejected=int(responses["rejected"]),
        engagements_reached=len({item["engagement_id"] for item in responses["items"]}),
    )
