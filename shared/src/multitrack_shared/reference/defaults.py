"""Default reference data, worded after McDonald, "Multi-Track Diplomacy" (2003)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceItem:
    kind: str
    code: str
    label: str
    description: str
    position: int


def _items(kind: str, rows: list[tuple[str, str, str]]) -> tuple[ReferenceItem, ...]:
    return tuple(
        ReferenceItem(kind, code, label, description, position)
        for position, (code, label, description) in enumerate(rows, start=1)
    )


TRACKS = _items(
    "track",
    [
        ("1", "Government", "Peacemaking through diplomacy: official, governmental action."),
        (
            "2",
            "Professional conflict resolution",
            "Peacemaking through conflict resolution by professionals.",
        ),
        ("3", "Business", "Peacemaking through commerce."),
        ("4", "Private citizens", "Peacemaking through personal involvement."),
        ("5", "Research, training and education", "Peacemaking through learning."),
        ("6", "Activism", "Peacemaking through advocacy."),
        ("7", "Religious", "Peacemaking through faith in action."),
        ("8", "Funding", "Peacemaking through providing resources."),
        ("9", "Public opinion / communication", "Peacemaking through information."),
    ],
)

PEACEBUILDING_KINDS = _items(
    "peacebuilding_kind",
    [
        ("political", "Political peacebuilding", "Track-one diplomacy; political rebuilding."),
        (
            "economic_institutional",
            "Economic and institutional peacebuilding",
            "Rebuilding infrastructure and institutions.",
        ),
        (
            "social",
            "Social peacebuilding",
            "The human element: emotions of conflict, de-escalation, violence prevention, "
            "community leaders' skills.",
        ),
    ],
)

STANDARD_PROCEDURES = _items(
    "standard_procedure",
    [
        ("invitation", "Invitation", "Involvement only through invitation."),
        (
            "long_term_commitment",
            "Long-term commitment",
            "Personal, professional and institutional commitment of five years.",
        ),
        ("relationship", "Relationship", "Build with track one, transparent."),
        ("trust", "Trust", "No hidden agenda, continued involvement."),
        (
            "engagement",
            "Engagement",
            "Active and caring partners; leave out money and advertising.",
        ),
        (
            "partnership",
            "Partnership",
            "Consortium of conflict professionals, local partners and women.",
        ),
        ("synthesis_of_wisdom", "Synthesis of wisdom", "Importance of indigenous wisdom."),
        ("multiple_technologies", "Multiple technologies", "Different methodologies, trainers."),
        (
            "action_research",
            "Action research",
            "Continued evaluation and application of lessons learned.",
        ),
        ("responsibility", "Responsibility", "Help participants utilize learned skills."),
        ("empowerment", "Empowerment", "Goal of local empowerment."),
        ("transformation", "Transformation", "Evolution in approaching the situation."),
    ],
)

DEFAULTS: tuple[ReferenceItem, ...] = TRACKS + PEACEBUILDING_KINDS + STANDARD_PROCEDURES
