"""Reference data: the nine tracks, the three kinds of peacebuilding, the twelve standard
procedures, the criteria an invitation is assessed against, and the vocabularies of the
practitioners' tools.

These are the *defaults*. The evaluation service keeps the adjustable copy (a consortium may
reword a procedure, relabel a track, add a procedure or a criterion, mark a criterion
essential) and publishes every change as
``multitrack.reference.changed.v1``. Codes are stable; labels and descriptions vary.
"""

from multitrack_shared.reference.defaults import (
    ASSESSMENT_CRITERIA,
    CRITERION_KIND,
    DEFAULTS,
    PEACEBUILDING_KINDS,
    STANDARD_PROCEDURES,
    TRACKS,
    ReferenceItem,
)

__all__ = [
    "ASSESSMENT_CRITERIA",
    "CRITERION_KIND",
    "DEFAULTS",
    "PEACEBUILDING_KINDS",
    "STANDARD_PROCEDURES",
    "TRACKS",
    "ReferenceItem",
]
