"""The engagement a use case acts on, as the one access policy lets its caller have it; what a
read shows of it; and its listening summary.

Every record an engagement keeps (analyses, hearings, activities, liaison, lesson responses)
follows the engagement: whoever may read the engagement reads them, only a coordinator of its
owning organization records them, and only its owning organization's people see their personal
data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from multitrack_engagements.application.ports import EngagementsUoW
from multitrack_engagements.domain.engagement import Engagement
from multitrack_engagements.domain.listening import ListeningSummary, summarize
from multitrack_shared.auth.policy import changeable, may_see_personal, readable
from multitrack_shared.auth.principal import Principal, Role
from multitrack_shared.versioning import ANY_VERSION, Precondition

T = TypeVar("T")

RECORDS_ROLE = Role.coordinator
"""Who records what an engagement does, in its owning organization."""


@dataclass(frozen=True)
class Shown(Generic[T]):
    """What a read shows its caller, and whether the caller sees its personal data too."""

    records: T
    personal: bool


async def readable_engagement(
    uow: EngagementsUoW, engagement_id: str, caller: Principal
) -> Engagement:
    """The engagement if the caller may read it; else 404, the same for a hidden one."""
    return readable(
        await uow.engagements.get(engagement_id),
        caller,
        _missing(engagement_id),
        field="engagement_id",
    )


async def changeable_engagement(
    uow: EngagementsUoW,
    engagement_id: str,
    caller: Principal,
    precondition: Precondition = ANY_VERSION,
) -> Engagement:
    """The engagement if the caller may change it (a coordinator of its owner) and it is still
    at a version ``precondition`` allows; else 404 (missing or hidden), 403 or 412."""
    engagement = changeable(
        await uow.engagements.get(engagement_id),
        caller,
        RECORDS_ROLE,
        message=_missing(engagement_id),
        field="engagement_id",
    )
    precondition.check(engagement.id, engagement.version)
    return engagement


def shown(records: T, engagement: Engagement, caller: Principal) -> Shown[T]:
    return Shown(records, personal=may_see_personal(caller, engagement.owner_org))


async def listening_summary(uow: EngagementsUoW, engagement_id: str) -> ListeningSummary:
    analysis = await uow.analyses.latest(engagement_id)
    entries = await uow.listening.of_engagement(engagement_id)
    return summarize(analysis.sides if analysis else None, [e.side for e in entries])


def _missing(engagement_id: str) -> str:
    return f"no engagement {engagement_id}"
