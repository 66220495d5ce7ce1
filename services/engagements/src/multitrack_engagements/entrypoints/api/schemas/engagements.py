"""Bodies of the engagement itself: its view (with commitment health) and status changes.

The purpose and the notes of status changes are free text that may name people
(``MayNamePeople``): only the owning organization's people see them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from multitrack_engagements.application.engagements import EngagementView
from multitrack_engagements.domain.engagement import ClosingReason, Status, StatusChange
from multitrack_engagements.entrypoints.api.schemas.ending import EndingOut
from multitrack_shared.auth.personal import MayNamePeople, withhold_personal
from multitrack_shared.validation import RecordId, Strict, Text


class StatusChangeCreate(Strict):
    to: Status = Field(
        description="listening → active (listening complete) · active ↔ paused · "
        "active | paused → closing · closing → closed (final).",
        examples=["active"],
    )
    reason: ClosingReason | None = Field(
        default=None,
        description="Required when entering closing before the commitment ends: "
        "participants_request, safety or mutual_agreement (invitation_withdrawn is given by "
        "the inviter's withdrawal alone).",
        examples=["mutual_agreement"],
    )
    note: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="Free-text explanation; may name people, shown to the owner only.",
        examples=["Agreed with both councils at the review meeting."],
    )
    no_final_evaluation_reason: Annotated[Text | None, MayNamePeople] = Field(
        default=None,
        description="Closing (to closed) needs an exit plan and a final evaluation completed "
        "since closing began; without one, why. Shown to the owner only.",
        examples=["The region became unsafe for evaluators; partners report instead."],
    )


class ConflictOut(BaseModel):
    name: str
    country: str
    region: str | None
    conflict_type: str | None
    phase: str | None
    conflict_id: str | None = Field(
        description="The shared conflict (`/conflicts/{id}`) it works on; null when not linked."
    )


class ConflictLinkIn(Strict):
    conflict_id: RecordId | None = Field(
        description="The shared conflict the engagement works on: one the caller may see, in "
        "the engagement's country (`unknown_conflict`, `conflict_elsewhere`); null unlinks it.",
        examples=["6f1c2b7e-0d1a-4c55-9d1e-3b2f1a0c9e11"],
    )


class HealthOut(BaseModel):
    """Commitment health on the day asked (standard procedure 2)."""

    days_elapsed: int = Field(description="Days since the start.")
    days_left: int = Field(description="Days until the commitment ends.")
    share_elapsed: float = Field(description="Share of the commitment elapsed, 0 to 1.")
    months_without_activity: int = Field(
        description="Whole months since the last activity, or since the start when none."
    )
    quiet: bool = Field(description="Six months or more without activity.")


class MethodBlendOut(BaseModel):
    local: int = Field(description="Local or indigenous methods used, over all activities.")
    external: int = Field(description="External methods used, over all activities.")


class StatusChangeOut(BaseModel):
    from_status: Status
    to_status: Status
    reason: ClosingReason | None
    note: Annotated[str | None, MayNamePeople] = Field(
        description="Free-text explanation; null for callers outside the owning organization."
    )
    at: datetime

    @classmethod
    def of(cls, change: StatusChange) -> StatusChangeOut:
        return cls.model_validate(change, from_attributes=True)


class EngagementPublic(BaseModel):
    id: str
    invitation_id: str = Field(description="The accepted invitation that opened it.")
    owner_org: str
    visibility: str
    purpose: Annotated[str | None, MayNamePeople] = Field(
        description="What the engagement is for, as the inviter asked. Free text that may name "
        "people: null for callers outside the owning organization."
    )
    status: Status
    conflict: ConflictOut
    inviter_track: int
    start_date: date
    committed_until: date = Field(description="At least five years after the start.")
    opened_at: datetime
    closing_reason: ClosingReason | None = Field(
        description="Why it is closing, if early, or because the invitation was withdrawn."
    )
    last_activity_on: date | None
    health: HealthOut
    method_blend: MethodBlendOut
    history: list[StatusChangeOut] = Field(description="Every status change, oldest first.")
    ending: EndingOut

    @classmethod
    def of(cls, view: EngagementView) -> EngagementPublic:
        e = view.engagement
        return cls(
            id=e.id,
            invitation_id=e.invitation_id,
            owner_org=e.owner_org,
            visibility=e.visibility,
            purpose=e.purpose,
            status=e.status,
            conflict=ConflictOut.model_validate(e.conflict, from_attributes=True),
            inviter_track=e.inviter_track,
            start_date=e.start_date,
            committed_until=e.committed_until,
            opened_at=e.opened_at,
            closing_reason=e.closing_reason,
            last_activity_on=e.last_activity_on,
            health=HealthOut.model_validate(view.health, from_attributes=True),
            method_blend=MethodBlendOut.model_validate(e.method_blend, from_attributes=True),
            history=[StatusChangeOut.of(c) for c in e.history],
            ending=EndingOut.of(e.ending),
        )


def engagement_shown(view: EngagementView) -> EngagementPublic:
    """The engagement as its caller may see it: personal data only to its organization."""
    return withhold_personal(EngagementPublic.of(view), may_see_personal=view.personal)
