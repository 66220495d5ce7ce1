"""Bodies of /members: the organizations of the consortium and their roles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from multitrack_partners.domain.member import Member
from multitrack_shared.validation import Day, Name, ShortCode, Strict, distinct


class MemberCreate(Strict):
    name: Name = Field(
        description="Name of the member organization; a member joins once.",
        examples=["Institute for Multi-Track Diplomacy"],
    )
    roles: Annotated[list[ShortCode], AfterValidator(distinct)] = Field(
        min_length=1,
        max_length=20,
        description="Its roles in the consortium, as short codes: lead, implementer, funder, "
        "research, or any other the consortium uses. At least one, none repeated.",
        examples=[["lead", "implementer"]],
    )
    joined_on: Day | None = Field(
        default=None,
        description="The day it joined; today when left out. Never a day still to come.",
        examples=["2025-09-01"],
    )


class MemberPublic(BaseModel):
    id: str
    name: str
    roles: list[str]
    joined_on: date
    joined_at: datetime = Field(description="When it joined, as published in the event.")

    @classmethod
    def of(cls, member: Member) -> MemberPublic:
        return cls(
            id=member.id,
            name=member.name,
            roles=list(member.roles),
            joined_on=member.joined_on,
            joined_at=member.joined_at,
        )
