"""The figures computed from the records (``domain.trends``), as the digest and an
evaluation's evidence show them: counts, shares and scores, naming no one."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_evaluation.domain.trends import ConflictTrends, Figures, QuarterFigures


class FiguresOut(BaseModel):
    activities: int
    local_initiatives: int = Field(description="Activities designed and led by local people.")
    empowerment: float | None = Field(
        description="Share of the activities designed and led by local people (standard 11); "
        "an activity whose design was not recorded counts by its leadership."
    )
    local_methods: int = Field(description="Local/indigenous methods used (standard 7).")
    external_methods: int
    local_methods_share: float | None
    participants_reached: int = Field(description="Former participants the follow-ups reached.")
    using_skills: int = Field(description="Of those, how many use the skills (standard 10).")
    skills_share: float | None
    attitude_by_side: dict[str, float] = Field(
        description="Mean attitude score per side, 0..1 (1: the most accepting of the other "
        "side), weighted by respondents (standard 12)."
    )
    transformation: float | None = Field(description="The sides' scores averaged, side by side.")

    @classmethod
    def of(cls, f: Figures) -> FiguresOut:
        return cls(
            activities=f.activities,
            local_initiatives=f.local_initiatives,
            empowerment=f.empowerment,
            local_methods=f.local_methods,
            external_methods=f.external_methods,
            local_methods_share=f.local_methods_share,
            participants_reached=f.participants_reached,
            using_skills=f.using_skills,
            skills_share=f.skills_share,
            attitude_by_side=dict(f.attitude_by_side),
            transformation=f.transformation,
        )


class QuarterOut(FiguresOut):
    quarter: str = Field(description="Calendar quarter, e.g. 2025-Q3.", examples=["2025-Q3"])

    @classmethod
    def of_quarter(cls, q: QuarterFigures) -> QuarterOut:
        return cls(quarter=q.quarter, **FiguresOut.of(q.figures).model_dump())


class ConflictTrendsOut(BaseModel):
    conflict_id: str
    engagement_ids: list[str] = Field(
        description="The engagements on the conflict counted: those the caller may see."
    )
    trends: list[QuarterOut] = Field(
        description="Quarter by quarter, the records of those engagements taken together, "
        "oldest first; a quarter in which nothing was recorded is left out."
    )

    @classmethod
    def of(cls, t: ConflictTrends) -> ConflictTrendsOut:
        return cls(
            conflict_id=t.conflict_id,
            engagement_ids=list(t.engagement_ids),
            trends=[QuarterOut.of_quarter(q) for q in t.quarters],
        )
