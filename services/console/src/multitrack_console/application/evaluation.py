"""Evaluations (six OECD-DAC criteria, twelve standard procedures) and the lessons library."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from multitrack_console.application.forms import Filled, Outgoing, number
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
SCORES = (1, 2, 3, 4)
RATINGS = (("met", "Met"), ("partly", "Partly met"), ("not", "Not met"))
RPP_CRITERIA = (
    ("own_peace_initiatives", "People start peace initiatives of their own"),
    ("resist_violence", "People resist violence and provocation"),
    ("security_and_sense_of_security", "Security, and the sense of it, improves"),
    ("meaningful_improvement_in_relations", "Relations between the groups improve"),
    ("grievances_addressed", "Political grievances are addressed"),
)
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


@dataclass(frozen=True)
class EvaluationForm:
    """What recording an evaluation offers: the engagements evaluation knows, the procedures."""

    engagements: list[Json]
    procedures: list[Json]


async def evaluation_form(api: PlatformApi) -> EvaluationForm:
    engagements, procedures = await asyncio.gather(
        api.get("evaluation", "/engagements", {"limit": LIST_LIMIT}),
        api.get("evaluation", "/reference/standard_procedure"),
    )
    in_use = [p for p in procedures if p.get("active", True)]
    return EvaluationForm(engagements, sorted(in_use, key=lambda p: int(p["position"])))


def evaluation_body(filled: Filled) -> Outgoing:
    """An evaluation as the evaluation service takes it: every criterion and every procedure
    on the form; the effectiveness criteria and the optional figures only where given."""
    body: dict[str, Json] = {
        "engagement_id": filled.get("engagement_id"),
        "period_start": filled.get("period_start"),
        "period_end": filled.get("period_end"),
        "evaluated_by": filled.get("evaluated_by"),
        "dac": {
            c: {
                "score": number(filled.get(f"dac.{c}.score")),
                "narrative": filled.get(f"dac.{c}.narrative"),
            }
            for c in DAC_CRITERIA
        },
        "procedures": {
            code: {
                "rating": filled.get(f"procedures.{code}.rating"),
                "evidence": filled.get(f"procedures.{code}.evidence"),
            }
            for code in _procedure_codes(filled)
        },
        "indicators": {"trust": _optional(filled, "indicators.trust")},
    }
    rpp = {
        code: {"met": met == "yes", **_note(filled, f"rpp_effectiveness.{code}.note")}
        for code, _ in RPP_CRITERIA
        if (met := filled.get(f"rpp_effectiveness.{code}.met")) in ("yes", "no")
    }
    if rpp:
        body["rpp_effectiveness"] = rpp
    if baseline := filled.get("baseline_analysis_version"):
        body["baseline_analysis_version"] = number(baseline)
    return Outgoing(body)


async def record_evaluation(api: PlatformApi, body: Json) -> Json:
    return await api.post("evaluation", "/evaluations", body)


def _procedure_codes(filled: Filled) -> list[str]:
    return [
        parts[1]
        for name in filled.values
        if len(parts := name.split(".")) == 3 and parts[0] == "procedures" and parts[2] == "rating"
    ]


def _optional(filled: Filled, prefix: str) -> Json:
    value = filled.get(f"{prefix}.value")
    return {"value": number(value) if value else None, **_note(filled, f"{prefix}.note")}


def _note(filled: Filled, name: str) -> dict[str, str]:
    note = filled.get(name)
    return {"note": note} if note else {}
