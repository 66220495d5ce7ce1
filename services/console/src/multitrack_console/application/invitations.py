"""The invitations pages: the pipeline by state, one invitation, its assessment and decision."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from multitrack_console.application.ports import Json, PlatformApi

STATES = (
    ("received", "Received"),
    ("under_assessment", "Under assessment"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
)
VERDICTS = ("met", "unmet", "unknown")
PIPELINE_LIMIT = 200


@dataclass(frozen=True)
class Stage:
    status: str
    label: str
    invitations: list[Json]


@dataclass(frozen=True)
class InvitationView:
    invitation: Json
    criteria: list[Json]
    lessons: list[Json]

    @property
    def decidable(self) -> bool:
        return bool(self.invitation["status"] in ("received", "under_assessment"))


async def invitation_pipeline(api: PlatformApi) -> list[Stage]:
    found: list[Json] = await api.get("invitations", "/invitations", {"limit": PIPELINE_LIMIT})
    return [
        Stage(status, label, [i for i in found if i["status"] == status])
        for status, label in STATES
    ]


async def invitation_view(api: PlatformApi, invitation_id: str) -> InvitationView | None:
    invitation, criteria, lessons = await asyncio.gather(
        api.get_or_none("invitations", f"/invitations/{invitation_id}"),
        api.get("invitations", "/assessment-criteria"),
        api.get_or_none("invitations", f"/invitations/{invitation_id}/lessons"),
    )
    if invitation is None:
        return None
    return InvitationView(invitation, criteria, lessons or [])


async def assess_invitation(
    api: PlatformApi, invitation_id: str, verdicts: dict[str, tuple[str, str]], assessed_by: str
) -> Json:
    body: dict[str, Any] = {
        "assessed_by": assessed_by,
        "verdicts": {
            code: {"verdict": verdict, **({"note": note} if note else {})}
            for code, (verdict, note) in verdicts.items()
        },
    }
    return await api.put("invitations", f"/invitations/{invitation_id}/assessment", body)


async def decide_invitation(
    api: PlatformApi, invitation_id: str, outcome: str, rationale: str, decided_by: str
) -> Json:
    body = {"outcome": outcome, "rationale": rationale, "decided_by": decided_by}
    return await api.post("invitations", f"/invitations/{invitation_id}/decision", body)
