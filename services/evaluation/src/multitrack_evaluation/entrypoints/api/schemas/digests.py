"""Response bodies of the engagement digests.

Who evaluated, and the timeline's details (a response's reasoning, the evaluators), may name
people: they are shown only to the people of the engagement's owner.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_evaluation.domain import digest as d
from multitrack_evaluation.domain.facts import Analysis, EngagementHeader, EvaluationDone
from multitrack_evaluation.domain.overdue import Overdue
from multitrack_evaluation.domain.timeline import TimelineEntry, What
from multitrack_evaluation.entrypoints.api.schemas.common import seen_by
from multitrack_evaluation.entrypoints.api.schemas.trends import QuarterOut
from multitrack_shared.auth.personal import MayNamePeople, Personal
from multitrack_shared.auth.principal import Principal


class EngagementHeaderOut(BaseModel):
    engagement_id: str
    owner_org: str
    visibility: str
    name: str = Field(description="Name by which the conflict is known.")
    country: str
    region: str | None
    conflict_type: str | None
    phase: str | None
    status: str = Field(description="listening, active, paused, closing or closed.")
    start: date
    committed_until: date
    opened_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, h: EngagementHeader, status: str) -> EngagementHeaderOut:
        return cls(
            engagement_id=h.engagement_id,
            owner_org=h.owner_org,
            visibility=h.visibility,
            name=h.name,
            country=h.country,
            region=h.region,
            conflict_type=h.conflict_type,
            phase=h.phase,
            status=status,
            start=h.start_date,
            committed_until=h.committed_until,
            opened_at=h.opened_at,
            closed_at=h.closed_at,
        )


class TimelineEntryOut(BaseModel):
    date: date
    what: What
    summary: str = Field(description="What happened, in one line naming no one.")
    detail: Annotated[str | None, MayNamePeople] = Field(
        description="What the summary leaves out because it may name people: a response's "
        "reasoning, who evaluated."
    )
    at: datetime = Field(description="The event's own time (the day's start if it has none).")

    @classmethod
    def of(cls, entry: TimelineEntry) -> TimelineEntryOut:
        return cls(
            date=entry.on, what=entry.what, summary=entry.summary, detail=entry.detail, at=entry.at
        )


class CoverageOut(BaseModel):
    activities: list[int] = Field(description="Tracks the activities worked with.")
    parties_heard: list[int] = Field(description="Tracks of the parties heard.")
    analysis_actors: list[int] = Field(description="Tracks of the latest analysis's actors.")
    partners: list[int] = Field(description="Tracks the partners work in.")
    reached: list[int]
    gaps: list[int] = Field(description="The tracks not reached.")


class ParticipantsOut(BaseModel):
    total: int
    women: int
    women_share: float | None


class ActivitiesOut(BaseModel):
    total: int
    led_locally: int
    led_locally_share: float | None


class MethodsOut(BaseModel):
    local: int = Field(description="Uses of local or indigenous methods.")
    external: int = Field(description="Uses of external methods.")
    local_share: float | None


class InclusionOut(BaseModel):
    participants: ParticipantsOut
    activities: ActivitiesOut
    methods: MethodsOut

    @classmethod
    def of(cls, i: d.Inclusion) -> InclusionOut:
        return cls(
            participants=ParticipantsOut(
                total=i.participants, women=i.women, women_share=i.women_share
            ),
            activities=ActivitiesOut(
                total=i.activities, led_locally=i.led_locally, led_locally_share=i.led_locally_share
            ),
            methods=MethodsOut(
                local=i.local_methods,
                external=i.external_methods,
                local_share=i.local_methods_share,
            ),
        )


class AnalysisOut(BaseModel):
    version: int
    analysed_on: date
    sides: list[str]
    actor_tracks: list[int]
    actors_by_role: dict[str, int]
    dividers: int
    connectors: int

    @classmethod
    def of(cls, a: Analysis) -> AnalysisOut:
        return cls.model_validate(a, from_attributes=True)


class EvaluationDoneOut(BaseModel):
    evaluation_id: str
    period_start: date
    period_end: date
    evaluated_by: Annotated[str | None, Personal] = Field(description="Who evaluated.")
    completed_at: datetime

    @classmethod
    def of(cls, e: EvaluationDone) -> EvaluationDoneOut:
        return cls.model_validate(e, from_attributes=True)


class DigestPublic(BaseModel):
    engagement: EngagementHeaderOut
    timeline: list[TimelineEntryOut] = Field(description="By date, then by the event's time.")
    coverage: CoverageOut
    inclusion: InclusionOut
    analysis_versions: list[AnalysisOut]
    evaluations: list[EvaluationDoneOut]
    trends: list[QuarterOut] = Field(
        description="Empowerment, the blend of methods, the skills follow-up share and "
        "attitudes, quarter by quarter, each quarter in which something was recorded."
    )

    @classmethod
    def of(cls, digest: d.Digest, caller: Principal) -> DigestPublic:
        return seen_by(caller, digest.header.owner_org, cls._of(digest))

    @classmethod
    def _of(cls, digest: d.Digest) -> DigestPublic:
        return cls(
            engagement=EngagementHeaderOut.of(digest.header, digest.status),
            timeline=[TimelineEntryOut.of(e) for e in digest.timeline],
            coverage=CoverageOut.model_validate(digest.coverage, from_attributes=True),
            inclusion=InclusionOut.of(digest.inclusion),
            analysis_versions=[AnalysisOut.of(a) for a in digest.analyses],
            evaluations=[EvaluationDoneOut.of(e) for e in digest.evaluations],
            trends=[QuarterOut.of_quarter(q) for q in digest.trends],
        )


class OverdueOut(BaseModel):
    engagement_id: str
    status: str
    since: date = Field(description="Day of the last evaluation, or of the opening if none.")
    ever_evaluated: bool
    months_since: int = Field(description="Whole months since then.")

    @classmethod
    def of(cls, o: Overdue) -> OverdueOut:
        return cls(
            engagement_id=o.engagement_id,
            status=o.status,
            since=o.since,
            ever_evaluated=o.ever_evaluated,
            months_since=o.months,
        )
