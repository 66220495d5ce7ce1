"""Every SQL query of the invitations service."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from multitrack_invitations.adapters.tables import InvitationRow
from multitrack_invitations.application.ports import InvitationFilter
from multitrack_invitations.domain.invitation import (
    Assessment,
    CriterionVerdict,
    Decision,
    Invitation,
    Inviter,
    Status,
    Verdict,
)
from multitrack_shared.conflict import ConflictDescription
from multitrack_shared.db.versions import save_versioned
from multitrack_shared.db.visibility import visible_to
from multitrack_shared.times import utc


class SqlInvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, invitation: Invitation) -> None:
        self._session.add(InvitationRow(id=invitation.id, **_row_fields(invitation)))

    async def get(self, invitation_id: str) -> Invitation | None:
        row = await self._session.get(InvitationRow, invitation_id)
        return _to_domain(row) if row else None

    async def save(self, invitation: Invitation) -> None:
        fields = _row_fields(invitation)
        await save_versioned(self._session, InvitationRow, invitation.id, invitation, fields)

    async def search(self, where: InvitationFilter) -> list[Invitation]:
        query = select(InvitationRow).where(
            visible_to(where.scope, col(InvitationRow.owner_org), col(InvitationRow.visibility))
        )
        if where.status:
            query = query.where(InvitationRow.status == where.status)
        if where.country:
            query = query.where(InvitationRow.country == where.country)
        if where.region:
            query = query.where(InvitationRow.region == _key(where.region))
        if where.conflict_type:
            query = query.where(InvitationRow.conflict_type == _key(where.conflict_type))
        if where.phase:
            query = query.where(InvitationRow.phase == _key(where.phase))
        if where.track:
            query = query.where(InvitationRow.inviter_track == where.track)
        if where.inviter_side:
            query = query.where(InvitationRow.inviter_side == _key(where.inviter_side))
        if where.owner_org:
            query = query.where(InvitationRow.owner_org == where.owner_org)
        # SQLite compares stored instants as text: the bounds must be in UTC like them.
        if where.received_from:
            query = query.where(col(InvitationRow.received_at) >= utc(where.received_from))
        if where.received_to:
            query = query.where(col(InvitationRow.received_at) <= utc(where.received_to))
        query = (
            query.order_by(col(InvitationRow.received_at).desc(), col(InvitationRow.id))
            .offset(where.offset)
            .limit(where.limit)
        )
        return [_to_domain(row) for row in (await self._session.exec(query)).all()]


def _row_fields(invitation: Invitation) -> dict[str, Any]:
    return {
        "owner_org": invitation.owner_org,
        "visibility": invitation.visibility,
        "status": invitation.status.value,
        "country": invitation.conflict.country,
        "region": _key(invitation.conflict.region),
        "conflict_type": _key(invitation.conflict.conflict_type),
        "phase": _key(invitation.conflict.phase),
        "inviter_track": invitation.inviter.track,
        "inviter_side": _key(invitation.inviter.side),
        "received_at": invitation.received_at,
        "inviter": asdict(invitation.inviter),
        "conflict": asdict(invitation.conflict),
        "support_requested": invitation.support_requested,
        "channel": invitation.channel,
        "arrived_on": invitation.arrived_on,
        "other_parties_aware": invitation.other_parties_aware,
        "assessment": _assessment_json(invitation.assessment),
        "decision": _decision_json(invitation.decision),
        "withdrawal_reason": invitation.withdrawal_reason,
        "withdrawn_at": invitation.withdrawn_at,
    }


def _to_domain(row: InvitationRow) -> Invitation:
    return Invitation(
        id=row.id,
        owner_org=row.owner_org,
        visibility=row.visibility,
        inviter=Inviter(**row.inviter),
        conflict=ConflictDescription(**row.conflict),
        support_requested=row.support_requested,
        channel=row.channel,
        received_at=utc(row.received_at),
        arrived_on=row.arrived_on,
        other_parties_aware=row.other_parties_aware,
        status=Status(row.status),
        assessment=_assessment(row.assessment),
        decision=_decision(row.decision),
        withdrawal_reason=row.withdrawal_reason,
        withdrawn_at=utc(row.withdrawn_at),
        version=row.version,
    )


def _assessment_json(assessment: Assessment | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "verdicts": {
            c: {"verdict": v.verdict.value, "note": v.note} for c, v in assessment.verdicts.items()
        },
        "assessed_by": assessment.assessed_by,
        "assessed_at": assessment.assessed_at.isoformat(),
        "essential": sorted(assessment.essential),
    }


def _assessment(data: dict[str, Any] | None) -> Assessment | None:
    if data is None:
        return None
    return Assessment(
        verdicts={
            c: CriterionVerdict(Verdict(v["verdict"]), v["note"])
            for c, v in data["verdicts"].items()
        },
        assessed_by=data["assessed_by"],
        assessed_at=datetime.fromisoformat(data["assessed_at"]),
        # Assessments stored before criteria could be essential kept no such list.
        essential=frozenset(data.get("essential", ())),
    )


def _decision_json(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "accepted": decision.accepted,
        "rationale": decision.rationale,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at.isoformat(),
        "overrides": dict(decision.overrides),
        "commitment_years": decision.commitment_years,
    }


def _decision(data: dict[str, Any] | None) -> Decision | None:
    if data is None:
        return None
    return Decision(
        accepted=data["accepted"],
        rationale=data["rationale"],
        decided_by=data["decided_by"],
        decided_at=datetime.fromisoformat(data["decided_at"]),
        overrides=dict(data["overrides"]),
        commitment_years=data["commitment_years"],
    )


def _key(words: str | None) -> str | None:
    """The search key of free words: trimmed and case-folded, as the matching rule folds them."""
    return words.strip().casefold() if words is not None else None
