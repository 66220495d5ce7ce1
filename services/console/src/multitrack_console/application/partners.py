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
    its partnerships with its engagement. The engagements come from one list read beside the
    other two, not one read each: a partner in a hundred engagements is one call, not a
    hundred (one beyond the list's first page is shown by its link alone)."""
    partner, partnerships, engagements = await asyncio.gather(
        api.get_or_none("partners", f"/partners/{partner_id}"),
        api.get("partners", "/partnerships", {"partner_id": partner_id, "limit": LIST_LIMIT}),
        api.get("engagements", "/engagements", {"limit": LIST_LIMIT}),
    )
    if partner is None:
        return None
    by_id = {e["id"]: e for e in engagements}
    return PartnerView(
        partner, [Partnership(s, by_id.get(s["engagement_id"])) for s in partnerships]
    )
