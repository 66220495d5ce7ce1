"""Request (``XCreate``, strict) and response (``XPublic``) bodies, one module per aggregate."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Input bodies refuse unknown fields, so a misspelt field is named instead of ignored."""

    model_config = ConfigDict(extra="forbid")
