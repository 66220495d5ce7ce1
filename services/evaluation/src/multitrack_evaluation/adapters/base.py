"""The evaluation database's metadata: this service's tables, outbox and inbox only."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from multitrack_shared.messaging.tables import messaging_tables


class EvaluationTable(SQLModel, registry=registry()):
    """Base of this service's tables; its ``metadata`` is this service's alone."""


metadata = EvaluationTable.metadata
messaging = messaging_tables(metadata)
