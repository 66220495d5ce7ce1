"""Input types every part of the evaluation API uses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=36),
    Field(examples=["5f0c6f3e-3c1a-4d55-9b7e-2f8f1e7a9c41"]),
]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,79}$"),
    Field(
        description="Stable code: lower-case letters, digits and underscores.",
        examples=["do_no_harm"],
    ),
]
Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10_000),
    Field(description="Free text; may be empty."),
]
