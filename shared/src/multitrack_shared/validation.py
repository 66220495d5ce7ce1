"""Input types the services' HTTP schemas share."""

from __future__ import annotations

from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field, StringConstraints


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
