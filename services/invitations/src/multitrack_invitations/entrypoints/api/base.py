from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base of every request body: an unknown field is refused, naming it."""

    model_config = ConfigDict(extra="forbid")
