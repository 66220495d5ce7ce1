"""Input types and checks every body of the partners API shares."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

H = TypeVar("H", bound=Hashable)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def distinct(values: list[H]) -> list[H]:
    repeated = [str(v) for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise PydanticCustomError(
            "duplicate", "values must not repeat: {repeated}", {"repeated": ", ".join(repeated)}
        )
    return values
