"""What text a request may carry: one rule set behind every string type of ``validation``.

Refused everywhere: C0 and C1 control characters (NUL among them: PostgreSQL cannot store it)
and the Unicode bidirectional overrides and isolates, which make a name read differently from
what it is. Prose keeps tabs and line breaks; one-line text (names, codes, ids) refuses them
too. Surrounding spaces are dropped; text that is only spaces counts as blank.

The same rules are written into the JSON Schema as a ``pattern``, so that what the OpenAPI
document allows is exactly what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

Ranges = tuple[tuple[int, int], ...]

CONTROLS: Ranges = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))
"""C0 (but tab, line feed, carriage return), DEL and C1."""
LINE_BREAKS: Ranges = ((0x09, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
"""Tab, line feed, carriage return, line and paragraph separators: prose only."""
BIDI_CONTROLS: Ranges = ((0x202A, 0x202E), (0x2066, 0x2069))
"""Embeddings, overrides and isolates (LRE…RLO, LRI…PDI)."""
SPACES: Ranges = (
    (0x09, 0x0A),
    (0x0D, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
"""What counts as blank, and is stripped from either end."""


def character_class(*sets: Ranges) -> str:
    """One regex character class body for the union of ``sets``, valid alike in Python and in
    ECMAScript (JSON Schema's dialect)."""
    points = sorted({c for ranges in sets for lo, hi in ranges for c in range(lo, hi + 1)})
    merged: list[list[int]] = []
    for point in points:
        if merged and merged[-1][1] == point - 1:
            merged[-1][1] = point
        else:
            merged.append([point, point])
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in merged)


def _chars(ranges: Ranges) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


def _minus(ranges: Ranges, taken: Ranges) -> Ranges:
    gone = set(_chars(taken))
    return tuple((ord(c), ord(c)) for c in _chars(ranges) if c not in gone)


STRIPPED = _chars(SPACES)


@dataclass(frozen=True)
class TextRules:
    """``Annotated[str, TextRules(...)]``: lengths are of the text as sent."""

    max_length: int
    prose: bool = False
    min_length: int = 1
    lower: bool = False

    @property
    def refused(self) -> Ranges:
        return CONTROLS + BIDI_CONTROLS + (() if self.prose else LINE_BREAKS)

    @property
    def pattern(self) -> str:
        refused = character_class(self.refused)
        if self.min_length == 0:
            return f"^[^{refused}]*$"
        # Leading spaces, one character that is not a space, then anything allowed: linear to
        # match, and blank text does not match.
        spaces = character_class(_minus(SPACES, self.refused))
        return f"^[{spaces}]*[^{character_class(self.refused, SPACES)}][^{refused}]*$"

    def clean(self, value: str) -> str:
        self._refuse_characters(value)
        cleaned = value.strip(STRIPPED)
        if self.min_length and not cleaned:
            raise PydanticCustomError("blank", "must not be blank")
        if self.lower:
            cleaned = cleaned.lower()
            if len(cleaned) > self.max_length:  # a few letters grow when lower-cased
                raise PydanticCustomError(
                    "string_too_long",
                    "at most {max_length} characters once lower-cased",
                    {"max_length": self.max_length},
                )
        return cleaned

    def _refuse_characters(self, value: str) -> None:
        found = _search(self.refused).search(value)
        if found is None:
            return
        char = found.group()
        bidi = _search(BIDI_CONTROLS).fullmatch(char) is not None
        raise PydanticCustomError(
            "bidi_control" if bidi else "control_character",
            "U+{code} is not allowed here ({what})",
            {
                "code": f"{ord(char):04X}",
                "what": "a bidirectional control"
                if bidi
                else "a control character" + ("" if self.prose else " or line break"),
            },
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self.clean,
            core_schema.str_schema(min_length=self.min_length, max_length=self.max_length),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


@cache
def _search(ranges: Ranges) -> re.Pattern[str]:
    return re.compile(f"[{character_class(ranges)}]")
