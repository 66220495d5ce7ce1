"""HTTP route of the lessons learned that reach an invitation."""

from __future__ import annotations

from fastapi import APIRouter

from multitrack_invitations.application import lessons as handlers
from multitrack_invitations.entrypoints.api.deps import UowDep
from multitrack_invitations.entrypoints.api.schemas.lessons import LessonMatchPublic, lessons_public
from multitrack_shared.http.auth import CallerDep
from multitrack_shared.http.errors import ERROR_RESPONSES
from multitrack_shared.validation import RecordId

router = APIRouter(prefix="/invitations", tags=["lessons"], responses=ERROR_RESPONSES)


@router.get("/{invitation_id}/lessons", summary="Lessons learned that match the invitation")
async def matching_lessons(
    invitation_id: RecordId, caller: CallerDep, uow: UowDep
) -> list[LessonMatchPublic]:
    """The active lessons learned (from the evaluation service's events) that reach this
    invitation's context — the conflict's country, region, type and phase, and the inviter's
    track — by the platform's one matching rule, best first, each with its score, relevance
    and the reasons it matched. A revised lesson shows its latest wording; a retired one is
    gone. Only lessons both the invitation's organization and the caller may see are listed
    (an owner-only lesson reaches its own organization's invitations only); a lesson's
    evidence is shown to the lesson's organization only. 404 when there is no such
    invitation, or when it is another organization's owner-only one."""
    found = await handlers.matching_lessons(invitation_id, caller, uow)
    return lessons_public(found)
