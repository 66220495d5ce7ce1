"""Input types every part of the evaluation API uses, on the shared text rules; and how a
response is shown to its caller."""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import BaseModel, Field, StringConstraints

from multitrack_shared.auth.personal import withhold_personal
from multitrack_shared.auth.policy import may_see_personal
from multitrack_shared.auth.principal import Principal
from multitrack_shared.text_input import TextRules
from multitrack_shared.validation import Note as SharedNote

M = TypeVar("M", bound=BaseModel)

Id = Annotated[
    str,
    TextRules(max_length=36),
    Field(examples=["5f0c6f3e-3c1a-4d55-9b7e-2f8f1e7a9c41"]),
]
"""The id of an engagement: 36 characters at most, as the digest stores them."""
Code = Annotated[
    str,
    # The pattern leaves no room for spaces or control characters, so nothing is stripped:
    # what the pattern accepts is what is stored.
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$"),
    Field(
        description="Stable code: lower-case letters, digits and underscores.",
        examples=["do_no_harm"],
    ),
]
Note = Annotated[SharedNote, Field(description="Free text; may be empty.")]


def seen_by(caller: Principal, owner_org: str | None, shown: M) -> M:
    """``shown`` with its personal and may-name-people fields nulled, unless the caller is one
    of ``owner_org``'s people (who see the personal data of what their organization owns)."""
    return withhold_personal(shown, may_see_personal=may_see_personal(caller, owner_org))
