"""Input types every part of the evaluation API uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

H = TypeVar("H", bound=Hashable)


def distinct(values: list[H]) -> list[H]:
    repeated = [str(v) for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise PydanticCustomError(
            "duplicate", "values must not repeat: {repeated}", {"repeated": ", ".join(repeated)}
        )
    return values


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
