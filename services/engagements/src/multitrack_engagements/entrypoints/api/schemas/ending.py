"""Bodies of ending well: an extension of the commitment, the exit plan, follow-ups; and the
ending as an engagement's view shows it.

What is handed over, a follow-up's note and the reason for closing without a final
evaluation may name people: only the owning organization's people see them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.domain.ending import Ending
from multitrack_engagements.domain.follow_ups import FollowUp
from multitrack_shared.auth.personal import MayNamePeople
from multitrack_shared.validation import Count, Day, RecordId, Strict, Text, WholeNumber

WITHHELD = "Null for callers outside the owning organization."


class ExtensionCreate(Strict):
    committed_until: Day = Field(
        description="The commitment's new end: later than its end now (never shortened).",
        examples=["2032-06-30"],
    )


class ExitPlanCreate(Strict):
    handover: Annotated[Text, MayNamePeople] = Field(
        description="What is handed over, and to whom: local partners, institutions.",
        examples=["Listening circles continue under the women's network, with our trainers "
                  "on call for a year."],
    )  # fmt: skip
    planned_end_on: Day = Field(
        description="When the engagement plans to close; not before it began.",
        examples=["2031-12-31"],
    )
    follow_up_until: Day = Field(
        description="Until when former participants are followed up: the planned end or later.",
        examples=["2033-12-31"],
    )


class FollowUpCreate(Strict):
    held_on: Day = Field(
        description="Day of the follow-up: within the engagement's life, after its closure "
        "included, and not in the future.",
        examples=["2026-05-12"],
    )
    participants_reached: Count = Field(description="Former participants reached.", examples=[14])
    using_skills: WholeNumber = Field(
        description="Of those, how many use the skills they gained.", examples=[9]
    )
    note: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="What was heard; may name people.",
        examples=["Two facilitators now mediate boundary disputes in their villages."],
    )
    training_id: RecordId | None = Field(
        default=None,
        description="The training whose trainees were followed up (an activity of kind "
        "training of this engagement); with months_after.",
        examples=["5d0c1f3e-8a2b-4e6f-9c1d-2b3a4c5d6e7f"],
    )
    months_after: Count | None = Field(
        default=None,
        description="Which of the training's set follow-up intervals this answers, in months.",
        examples=[6],
    )


class FollowUpPublic(BaseModel):
    id: str
    engagement_id: str
    held_on: date
    participants_reached: int
    using_skills: int
    note: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    after_closure: bool = Field(description="Recorded after the engagement closed.")
    recorded_at: datetime
    training_id: str | None = Field(description="The training followed up, if any.")
    months_after: int | None = Field(description="The training's interval this answers.")
    skills_share: float | None = Field(
        description="Share of those reached who use the skills (standard 10)."
    )

    @classmethod
    def of(cls, follow_up: FollowUp) -> FollowUpPublic:
        link = follow_up.training
        return cls(
            id=follow_up.id,
            engagement_id=follow_up.engagement_id,
            held_on=follow_up.held_on,
            participants_reached=follow_up.participants_reached,
            using_skills=follow_up.using_skills,
            note=follow_up.note,
            after_closure=follow_up.after_closure,
            recorded_at=follow_up.recorded_at,
            training_id=link.training_id if link else None,
            months_after=link.months_after if link else None,
            skills_share=round(follow_up.using_skills / follow_up.participants_reached, 3),
        )


class ExitPlanOut(BaseModel):
    handover: Annotated[str | None, MayNamePeople] = Field(description=WITHHELD)
    planned_end_on: date
    follow_up_until: date
    planned_at: datetime


class ExtensionOut(BaseModel):
    previous_until: date
    committed_until: date
    at: datetime


class ClosureOut(BaseModel):
    final_evaluation_id: str | None = Field(
        description="The final evaluation it closed on, completed once closing began."
    )
    no_final_evaluation_reason: Annotated[str | None, MayNamePeople] = Field(
        description=f"Why it closed without one. {WITHHELD}"
    )


class FollowUpTallyOut(BaseModel):
    recorded: int = Field(description="Follow-ups recorded.")
    after_closure: int = Field(description="Of those, recorded after the engagement closed.")
    participants_reached: int = Field(description="Former participants reached, in all.")
    using_skills: int = Field(description="Of those, how many use the skills they gained.")


class EndingOut(BaseModel):
    """How the engagement ends well: its exit plan, extensions, closure and follow-ups."""

    exit_plan: ExitPlanOut | None
    extensions: list[ExtensionOut] = Field(description="Every extension, oldest first.")
    closure: ClosureOut | None
    follow_ups: FollowUpTallyOut

    @classmethod
    def of(cls, ending: Ending) -> EndingOut:
        return cls.model_validate(ending, from_attributes=True)
