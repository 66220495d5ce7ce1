"""Versions of stored records, and what a client says it last saw of one.

Every aggregate a service stores carries a ``version``: 1 when first written, one more at each
write. A write names the version it read (``db.versions.save_versioned``), so of two
concurrent writers one wins and the other gets ``ConcurrentUpdate`` (409). Over HTTP the
version reaches the client as an entity tag, and a client that sends it back in ``If-Match``
turns it into a ``Precondition``: a write on a record no longer at that version answers
``PreconditionFailed`` (412) before anything is decided.

Framework-free, so that use cases may take a ``Precondition`` in their commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from multitrack_shared.errors import PreconditionFailed

FIRST_VERSION = 1


def entity_tag(record_id: str, version: int) -> str:
    """The strong entity tag of ``record_id`` at ``version``, quotes included: ``"<id>.<n>"``."""
    return f'"{record_id}.{version}"'


@dataclass(frozen=True)
class Precondition:
    """The entity tags a write is conditional on; ``None`` when it is not (no ``If-Match``,
    or ``If-Match: *`` on a record that exists)."""

    tags: frozenset[str] | None = None

    def check(self, record_id: str, version: int) -> None:
        """Refuse the write unless the record, as read, is at one of the tags."""
        if self.tags is not None and entity_tag(record_id, version) not in self.tags:
            raise PreconditionFailed(
                f"{record_id} is now at version {version}, not the one If-Match names; "
                "read it again before writing",
                field="header.if-match",
            )


ANY_VERSION = Precondition()
