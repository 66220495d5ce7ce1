"""Input types the services' HTTP schemas share.

Every value a request carries is read through one of these, so every service refuses the same
things the same way: text with control or bidirectional-override characters, whitespace-only
text, numbers as strings, numbers a database column cannot hold, dates as numbers. What each
type accepts is also what its JSON Schema says, so a client (or a fuzzer) reading the OpenAPI
document knows exactly what will be refused.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from multitrack_shared.commitment import (
    MIN_COMMITMENT_YEARS,
    CommitmentTooShort,
    require_commitment,
)
from multitrack_shared.text_input import (
    BIDI_CONTROLS,
    CONTROLS,
    LINE_BREAKS,
    SPACES,
    TextRules,
    character_class,
)

H = TypeVar("H", bound=Hashable)

INT32_MAX = 2**31 - 1
"""The largest whole number any request carries: what every database column can hold."""


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


# --- text -----------------------------------------------------------------------------------

Name = Annotated[str, TextRules(max_length=200)]
"""A name, a title, a place: one line, no control characters, surrounding spaces dropped."""
Text = Annotated[str, TextRules(max_length=10_000, prose=True)]
"""Prose: newlines and tabs kept, other control characters refused; never blank."""
Note = Annotated[str, TextRules(max_length=10_000, prose=True, min_length=0)]
"""Prose that may be left empty."""
ShortCode = Annotated[str, TextRules(max_length=80, lower=True)]
"""A short code of the consortium's own vocabulary (a kind, a role, a phase), lower-cased."""
RecordId = Annotated[str, TextRules(max_length=100)]
"""The id of a record, as another request or an event gave it."""

_EMAIL_PART = f"[^@{character_class(CONTROLS, LINE_BREAKS, BIDI_CONTROLS, SPACES)}]+"
Email = Annotated[
    str,
    # No spaces, controls or second @ anywhere, so nothing to strip: what the pattern accepts is
    # what is stored.
    StringConstraints(max_length=254, pattern=f"^{_EMAIL_PART}@{_EMAIL_PART}\\.{_EMAIL_PART}$"),
]


def every_key_matches(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` of a dict whose keys have a pattern: pydantic writes it as
    ``patternProperties``, which lets a key of any other shape through; say instead that every
    key must match, as validation does."""
    patterns = schema.pop("patternProperties", {})
    if len(patterns) == 1:
        ((pattern, values),) = patterns.items()
        schema["propertyNames"] = {**schema.get("propertyNames", {}), "pattern": pattern}
        schema["additionalProperties"] = values


# --- numbers --------------------------------------------------------------------------------


def _json_number(value: object) -> object:
    # pydantic would also read "4" or true as a number; a request that says so is refused.
    # A float passes on, for an integer type to keep 4.0 (JSON's 4) and refuse 4.5.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "Input should be a JSON number")
    return value


JsonNumber = BeforeValidator(_json_number)
"""Last in an ``Annotated`` number type, after its bounds (so the schema keeps them)."""

WholeNumber = Annotated[int, Field(ge=0, le=INT32_MAX), JsonNumber]
"""Zero or more, up to ``INT32_MAX``."""
Count = Annotated[int, Field(ge=1, le=INT32_MAX, description="How many, at least one."), JsonNumber]
Version = Annotated[int, Field(ge=1, le=INT32_MAX, description="A version, from 1."), JsonNumber]
Share = Annotated[float, Field(ge=0, le=1, description="A part of a whole, 0 to 1."), JsonNumber]
Flag = Annotated[bool, Field(strict=True)]
"""true or false, as JSON says them (not "yes", not 1)."""

MIN_TRACK, MAX_TRACK = 1, 9
TrackNumber = Annotated[
    int,
    Field(
        ge=MIN_TRACK,
        le=MAX_TRACK,
        description="Track of multi-track diplomacy, 1 to 9.",
        examples=[2],
    ),
    JsonNumber,
]


def _long_enough(years: int) -> int:
    # The domain's own rule, refused here with its rule code and message, so that a body
    # under the minimum gets the same answer the domain would give.
    try:
        return require_commitment(years)
    except CommitmentTooShort as refused:
        raise PydanticCustomError(refused.code, refused.message) from None


MAX_COMMITMENT_YEARS = 50
CommitmentYears = Annotated[
    int,
    Field(le=MAX_COMMITMENT_YEARS, json_schema_extra={"minimum": MIN_COMMITMENT_YEARS}),
    JsonNumber,
    AfterValidator(_long_enough),
]
"""Years of an engagement's commitment: at least ``MIN_COMMITMENT_YEARS``, at most 50."""


# --- dates and instants ---------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 (what JSON Schema's "date-time" means): seconds and an offset are required.
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _calendar_day(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as YYYY-MM-DD")


def _instant(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _INSTANT.fullmatch(value):
        return value
    raise PydanticCustomError(
        "datetime_type", "Input should be a date and time with its offset, e.g. 2025-01-31T09:00Z"
    )


Day = Annotated[date, BeforeValidator(_calendar_day)]
"""A calendar day, ``YYYY-MM-DD`` (not a number, not a date and time)."""
Instant = Annotated[datetime, BeforeValidator(_instant)]
"""An instant in RFC 3339 form, with its offset (a bare number is not read as a Unix time)."""


# --- countries ------------------------------------------------------------------------------

Country = StrEnum(  # type: ignore[misc]  # the members are the standard's, read at import
    "Country",
    [(c.alpha_2, c.alpha_2) for c in pycountry.countries]
    + [(c.alpha_2.lower(), c.alpha_2.lower()) for c in pycountry.countries],
)
Country.__doc__ = "ISO 3166-1 alpha-2 country code, upper or lower case."


def _iso_country(value: object, read_as_enum: ValidatorFunctionWrapHandler) -> StrEnum:
    # The enumeration documents every code; its own refusal would list all of them.
    try:
        code: StrEnum = read_as_enum(value)
    except ValidationError:
        raise PydanticCustomError(
            "country_code", "'{value}' is not an ISO 3166-1 alpha-2 country code", {"value": value}
        ) from None
    upper: StrEnum = Country(code.value.upper())
    return upper


CountryCode = Annotated[Country, WrapValidator(_iso_country), Field(examples=["CO"])]
"""A country, read in either case, kept upper-case; documented as the ``Country`` list."""


# --- money ----------------------------------------------------------------------------------

Currency = StrEnum(  # type: ignore[misc]  # the members are the standard's, read at import
    "Currency",
    [(c.alpha_3, c.alpha_3) for c in pycountry.currencies]
    + [(c.alpha_3.lower(), c.alpha_3.lower()) for c in pycountry.currencies],
)
Currency.__doc__ = "ISO 4217 currency code, upper or lower case."


def _iso_currency(value: object, read_as_enum: ValidatorFunctionWrapHandler) -> StrEnum:
    # As for countries: the enumeration documents every code, its own refusal would list them.
    try:
        code: StrEnum = read_as_enum(value)
    except ValidationError:
        raise PydanticCustomError(
            "currency_code", "'{value}' is not an ISO 4217 currency code", {"value": value}
        ) from None
    upper: StrEnum = Currency(code.value.upper())
    return upper


CurrencyCode = Annotated[Currency, WrapValidator(_iso_currency), Field(examples=["EUR"])]
"""A currency, read in either case, kept upper-case; documented as the ``Currency`` list."""

Amount = Annotated[
    int,
    Field(ge=1, le=10**15, description="A sum in whole units of its currency, at least one."),
    JsonNumber,
]
"""Sums of money outgrow a 32-bit number in many currencies: kept in 64-bit columns."""
