"""The lessons learned that reach an invitation, ranked by the platform's matching rule."""

from __future__ import annotations

from multitrack_invitations.application.invitations import lessons_reaching, readable_invitation
from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_invitations.domain.lessons import LessonMatch
from multitrack_shared.auth.principal import Principal


async def matching_lessons(
    invitation_id: str, caller: Principal, uow: InvitationsUoW
) -> list[LessonMatch]:
    """The active lessons that reach the invitation, best first, whatever its state: those
    both the invitation's organization and the caller may see."""
    async with uow:
        invitation = await readable_invitation(uow, invitation_id, caller)
        return await lessons_reaching(invitation, caller, uow)
