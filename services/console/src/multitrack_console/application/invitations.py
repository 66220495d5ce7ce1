"""The invitations pages: the pipeline by state, one invitation, its assessment and decision."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from multitrack_console.application.forms import Filled, Outgoing
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
    found: list[Json] = await api.get(
        "invitations", "/invitations/summaries", {"limit": PIPELINE_LIMIT}
    )
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


async def assess_invitation(api: PlatformApi, invitation_id: str, body: Json) -> Json:
    return await api.put("invitations", f"/invitations/{invitation_id}/assessment", body)


def assessment_body(filled: Filled) -> Outgoing:
    """Each criterion's verdict, with its note where one is given."""
    codes = [
        parts[1]
        for name in filled.values
        if len(parts := name.split(".")) == 3 and parts[0] == "verdicts" and parts[2] == "verdict"
    ]
    verdicts: dict[str, Json] = {}
    for code in codes:
        note = filled.get(f"verdicts.{code}.note")
        verdicts[code] = {"verdict": filled.get(f"verdicts.{code}.verdict")}
        if note:
            verdicts[code]["note"] = note
    return Outgoing({"assessed_by": filled.get("assessed_by"), "verdicts": verdicts})


async def decide_invitation(api: PlatformApi, invitation_id: str, body: Json) -> Json:
    return await api.post("invitations", f"/invitations/{invitation_id}/decision", body)


def decision_body(filled: Filled) -> Outgoing:
    return Outgoing(
        {
            "outcome": filled.get("outcome"),
            "rationale": filled.get("rationale"),
            "decided_by": filled.get("decided_by"),
        }
    )
