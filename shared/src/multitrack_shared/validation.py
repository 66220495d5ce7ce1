"""Input types the services' HTTP schemas share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Annotated, TypeVar

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from multitrack_shared.commitment import (
    MIN_COMMITMENT_YEARS,
    CommitmentTooShort,
    require_commitment,
)

H = TypeVar("H", bound=Hashable)


class Strict(BaseModel):
    """Base of every request body: an unknown field is refused, naming it, not ignored."""

    model_config = ConfigDict(extra="forbid")


def distinct(values: list[H]) -> list[H]:
    """A list validator: each value at most once, the repeated ones named."""
    repeated = [str(v) for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise PydanticCustomError(
            "duplicate", "values must not repeat: {repeated}", {"repeated": ", ".join(repeated)}
        )
    return values


def _iso_country(code: str) -> str:
    upper = code.upper()
    if pycountry.countries.get(alpha_2=upper) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return upper


CountryCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    AfterValidator(_iso_country),
    Field(examples=["CO"], description="ISO 3166-1 alpha-2 country code."),
]
TrackNumber = Annotated[
    int, Field(ge=1, le=9, description="Track of multi-track diplomacy, 1 to 9.", examples=[2])
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
ShortCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, to_lower=True)
]


def _long_enough(years: int) -> int:
    # The domain's own rule, refused here with its rule code and message, so that a body
    # under the minimum gets the same answer the domain would give.
    try:
        return require_commitment(years)
    except CommitmentTooShort as refused:
        raise PydanticCustomError(refused.code, refused.message) from None


CommitmentYears = Annotated[
    int,
    AfterValidator(_long_enough),
    Field(json_schema_extra={"minimum": MIN_COMMITMENT_YEARS}),
]
"""Years of an engagement's commitment: at least ``MIN_COMMITMENT_YEARS``."""
