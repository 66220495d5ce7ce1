"""Reference data: the nine tracks, the three kinds of peacebuilding, the twelve standard
procedures, and the vocabularies of the practitioners' tools.

These are the *defaults*. The evaluation service keeps the adjustable copy (a consortium may
reword a procedure, relabel a track or add a procedure) and publishes every change as
``multitrack.reference.changed.v1``. Codes are stable; labels and descriptions vary.
"""

from multitrack_shared.reference.defaults import (
    DEFAULTS,
    PEACEBUILDING_KINDS,
    STANDARD_PROCEDURES,
    TRACKS,
    ReferenceItem,
)

__all__ = ["DEFAULTS", "PEACEBUILDING_KINDS", "STANDARD_PROCEDURES", "TRACKS", "ReferenceItem"]
