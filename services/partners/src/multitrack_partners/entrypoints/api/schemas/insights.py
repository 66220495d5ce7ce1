"""Bodies of the suggested partners and of the inclusion figures."""

from __future__ import annotations

from pydantic import BaseModel, Field

from multitrack_partners.application.insights import ConsortiumInclusion
from multitrack_partners.domain.inclusion import Headcount, Inclusion
from multitrack_partners.domain.suggestions import Suggestion

SHARE = "Part over the whole, rounded to three places; null when the whole is zero."


class SuggestionPublic(BaseModel):
    partner_id: str
    name: str
    kind: str
    tracks: list[int]
    countries: list[str]
    is_local: bool
    women_led: bool
    womens_rights_org: bool
    shared_tracks: list[int] = Field(
        description="Tracks it shares with the engagement: the inviter's track and the "
        "tracks of the engagement's activities."
    )
    fills_gaps: list[int] = Field(
        description="Tracks the engagement lacks that it works in: those neither the "
        "inviter, the engagement's activities nor its current partners reach. Partners that "
        "fill a gap are suggested first."
    )
    reasons: list[str] = Field(
        description="Why it is suggested.", examples=[["local", "works in CO", "shares track 4"]]
    )

    @classmethod
    def of(cls, suggestion: Suggestion) -> SuggestionPublic:
        partner, p = suggestion.partner, suggestion.partner.profile
        return cls(
            partner_id=partner.id,
            name=p.name,
            kind=p.kind,
            tracks=list(p.tracks),
            countries=list(p.countries),
            is_local=p.is_local,
            women_led=p.women_led,
            womens_rights_org=p.womens_rights_org,
            shared_tracks=list(suggestion.shared_tracks),
            fills_gaps=list(suggestion.fills_gaps),
            reasons=list(suggestion.reasons),
        )


class PartnerFiguresPublic(BaseModel):
    total: int = Field(
        description="Partners the caller may see that held a partnership, ended or not, on the "
        "engagements counted; once each."
    )
    local: int
    local_share: float | None = Field(description=SHARE)
    women_led: int
    women_led_share: float | None = Field(description=SHARE)
    womens_rights_orgs: int
    womens_rights_orgs_share: float | None = Field(description=SHARE)


class HeadcountPublic(BaseModel):
    total: int
    women: int

    @classmethod
    def of(cls, headcount: Headcount) -> HeadcountPublic:
        return cls(total=headcount.total, women=headcount.women)


class ParticipantFiguresPublic(BaseModel):
    total: int = Field(description="Everyone counted in the activities.")
    women: int = Field(description="Those counted as female.")
    women_share: float | None = Field(description=SHARE)
    by_role: dict[str, HeadcountPublic] = Field(description="Every participant role.")


class ActivityFiguresPublic(BaseModel):
    total: int
    led_locally: int = Field(description="Activities led by local people (standard 11).")
    led_locally_share: float | None = Field(description=SHARE)


class InclusionPublic(BaseModel):
    partners: PartnerFiguresPublic
    participants: ParticipantFiguresPublic
    activities: ActivityFiguresPublic

    @staticmethod
    def figures(inclusion: Inclusion) -> dict[str, BaseModel]:
        partners, people, activities = (
            inclusion.partners,
            inclusion.participants,
            inclusion.activities,
        )
        return {
            "partners": PartnerFiguresPublic(
                total=partners.total,
                local=partners.local,
                local_share=partners.local_share,
                women_led=partners.women_led,
                women_led_share=partners.women_led_share,
                womens_rights_orgs=partners.womens_rights_orgs,
                womens_rights_orgs_share=partners.womens_rights_orgs_share,
            ),
            "participants": ParticipantFiguresPublic(
                total=people.total,
                women=people.women,
                women_share=people.women_share,
                by_role={r: HeadcountPublic.of(h) for r, h in people.by_role.items()},
            ),
            "activities": ActivityFiguresPublic(
                total=activities.total,
                led_locally=activities.led_locally,
                led_locally_share=activities.led_locally_share,
            ),
        }


class EngagementInclusionPublic(InclusionPublic):
    engagement_id: str

    @classmethod
    def of(cls, engagement_id: str, inclusion: Inclusion) -> EngagementInclusionPublic:
        return cls(engagement_id=engagement_id, **cls.figures(inclusion))


class ConsortiumInclusionPublic(InclusionPublic):
    owner_org: str | None = Field(
        description="The member whose engagements are counted; null: every member's."
    )
    engagements: int = Field(
        description="Engagements counted: those the caller may see (consortium-visible ones and "
        "its own organization's)."
    )

    @classmethod
    def of(cls, owner_org: str | None, inclusion: ConsortiumInclusion) -> ConsortiumInclusionPublic:
        return cls(
            owner_org=owner_org,
            engagements=inclusion.engagements,
            **cls.figures(inclusion.figures),
        )
