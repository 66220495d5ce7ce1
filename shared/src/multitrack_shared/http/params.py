"""Query and path parameters every service's routes share, bounded so none can overflow.

A route writes ``limit: Limit = 50`` and ``offset: Offset = 0``; a number out of range is a
422 naming the parameter, never an overflow in the database. Text parameters use the string
types of ``validation`` (``Name``, ``ShortCode``, ``RecordId``) directly.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

from multitrack_shared.validation import INT32_MAX, MAX_TRACK, MIN_TRACK

MAX_PAGE = 500
INT64_MAX = 2**63 - 1
"""The largest position a sequence column (``BIGINT``) holds."""

Limit = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description=f"At most this many, 1 to {MAX_PAGE}.", examples=[50])
]
Offset = Annotated[
    int, Query(ge=0, le=INT32_MAX, description="Skip this many first.", examples=[0])
]
Position = Annotated[int, Field(ge=0, le=INT64_MAX, examples=[0])]
"""A position in a log (a ``BIGINT`` sequence), to page after:
``Annotated[Position | None, Query(description=...)]``."""
VersionNumber = Annotated[
    int, Path(ge=1, le=INT32_MAX, description="The version, from 1.", examples=[1])
]
Track = Annotated[int, Field(ge=MIN_TRACK, le=MAX_TRACK, examples=[4])]
"""A track to filter by, 1 to 9: ``Annotated[Track | None, Query(description=...)]``."""
