"""The partners registry, and one partner with the engagements it takes a role in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from multitrack_console.application.ports import Json, PlatformApi

LIST_LIMIT = 200


@dataclass(frozen=True)
class PartnerEntry:
    partner: Json
    partnerships: list[Json]


@dataclass(frozen=True)
class Partnership:
    """A partner's role in an engagement, with the engagement as the person may see it."""

    partnership: Json
    engagement: Json | None


@dataclass(frozen=True)
class PartnerView:
    partner: Json
    partnerships: list[Partnership]


async def partner_registry(api: PlatformApi) -> list[PartnerEntry]:
    partners, partnerships = await asyncio.gather(
        api.get("partners", "/partners", {"limit": LIST_LIMIT}),
        api.get("partners", "/partnerships", {"limit": LIST_LIMIT}),
    )
    return [
        PartnerEntry(p, [s for s in partnerships if s["partner_id"] == p["id"]]) for p in partners
    ]


async def partner_view(api: PlatformApi, partner_id: str) -> PartnerView | None:
    """The partner (None where it does not exist or the person may not see it) and each of
    its partnerships with its engagement, the engagements read side by side."""
    partner, partnerships = await asyncio.gather(
        api.get_or_none("partners", f"/partners/{partner_id}"),
        api.get("partners", "/partnerships", {"partner_id": partner_id, "limit": LIST_LIMIT}),
    )
    if partner is None:
        return None
    engagements = await asyncio.gather(
        *(
            api.get_or_none("engagements", f"/engagements/{s['engagement_id']}")
            for s in partnerships
        )
    )
    return PartnerView(
        partner,
        [Partnership(s, e) for s, e in zip(partnerships, engagements, strict=True)],
    )
