"""The partners registry, each partner with the engagements it takes a role in."""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_console.application.ports import Json, PlatformApi

LIST_LIMIT = 200


@dataclass(frozen=True)
class PartnerEntry:
    partner: Json
    partnerships: list[Json]


async def partner_registry(api: PlatformApi) -> list[PartnerEntry]:
    partners: list[Json] = await api.get("partners", "/partners", {"limit": LIST_LIMIT})
    partnerships: list[Json] = await api.get("partners", "/partnerships", {"limit": LIST_LIMIT})
    return [
        PartnerEntry(p, [s for s in partnerships if s["partner_id"] == p["id"]]) for p in partners
    ]
