"""Body of the engagement page in one read: each part exactly as its own endpoint answers it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_engagements.application.overview import Overview
from multitrack_engagements.entrypoints.api.schemas.activities import (
    ActivityPublic,
    activities_shown,
)
from multitrack_engagements.entrypoints.api.schemas.analyses import AnalysisPublic, analyses_shown
from multitrack_engagements.entrypoints.api.schemas.coverage import CoveragePublic
from multitrack_engagements.entrypoints.api.schemas.engagements import (
    EngagementPublic,
    engagement_shown,
)
from multitrack_engagements.entrypoints.api.schemas.lessons import (
    LessonDeliveryPublic,
    deliveries_shown,
)
from multitrack_engagements.entrypoints.api.schemas.listening import (
    ListeningPublic,
    ledger_shown,
)


class OverviewPublic(BaseModel):
    engagement: EngagementPublic = Field(description="As `GET /engagements/{id}` answers it.")
    coverage: CoveragePublic = Field(description="As `GET /engagements/{id}/coverage`.")
    activities: list[ActivityPublic] = Field(description="As `GET /engagements/{id}/activities`.")
    listening: ListeningPublic = Field(description="As `GET /engagements/{id}/listening`.")
    analyses: list[AnalysisPublic] = Field(description="As `GET /engagements/{id}/analyses`.")
    lessons: list[LessonDeliveryPublic] = Field(description="As `GET /engagements/{id}/lessons`.")

    @classmethod
    def of(cls, overview: Overview) -> OverviewPublic:
        return cls(
            engagement=engagement_shown(overview.engagement),
            coverage=CoveragePublic.of(overview.coverage),
            activities=activities_shown(overview.activities),
            listening=ledger_shown(overview.listening),
            analyses=analyses_shown(overview.analyses),
            lessons=deliveries_shown(overview.lessons),
        )
