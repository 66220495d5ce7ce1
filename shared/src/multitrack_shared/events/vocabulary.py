"""Closed vocabularies of the published language (standards that do not vary by source).

Tracks, kinds of peacebuilding and standard procedures are reference data instead
(``multitrack_shared.reference``): their wording is a consortium's to adjust.
"""

from __future__ import annotations

from enum import StrEnum


class RppQuadrant(StrEnum):
    """CDA's Reflecting on Peace Practice matrix: who is reached × at what level."""

    more_people_individual = "more_people_individual"
    more_people_socio_political = "more_people_socio_political"
    key_people_individual = "key_people_individual"
    key_people_socio_political = "key_people_socio_political"


class DacCriterion(StrEnum):
    """The six OECD-DAC evaluation criteria."""

    relevance = "relevance"
    coherence = "coherence"
    effectiveness = "effectiveness"
    efficiency = "efficiency"
    impact = "impact"
    sustainability = "sustainability"


class MethodOrigin(StrEnum):
    """Standard procedure 7, synthesis of wisdom: where a method comes from."""

    local = "local"
    external = "external"


class CatalogueOrigin(StrEnum):
    """Where a method of the consortium's catalogue comes from: the catalogue tells local
    from indigenous ways; an activity's blend counts both as local."""

    local = "local"
    indigenous = "indigenous"
    external = "external"

    @property
    def in_blend(self) -> MethodOrigin:
        return MethodOrigin.external if self is CatalogueOrigin.external else MethodOrigin.local


class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    undisclosed = "undisclosed"


class ParticipantRole(StrEnum):
    facilitator = "facilitator"
    mediator = "mediator"
    negotiator = "negotiator"
    delegate = "delegate"
    technical_expert = "technical_expert"
    observer = "observer"
    participant = "participant"


class LessonResponse(StrEnum):
    applied = "applied"
    adapted = "adapted"
    rejected = "rejected"


class Confidence(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
