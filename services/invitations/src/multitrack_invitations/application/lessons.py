"""The lessons learned that reach an invitation, ranked by the platform's matching rule."""

from __future__ import annotations

from multitrack_invitations.application.invitations import lessons_reaching, require_invitation
from multitrack_invitations.application.ports import InvitationsUoW
from multitrack_invitations.domain.lessons import LessonMatch


async def matching_lessons(invitation_id: str, uow: InvitationsUoW) -> list[LessonMatch]:
    """The active lessons that reach the invitation, best first, whatever its state."""
    async with uow:
        return await lessons_reaching(await require_invitation(uow, invitation_id), uow)
