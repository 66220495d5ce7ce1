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
    procedure: str | None = None
    """An assessment criterion's standard procedure (its code), if it bears on one."""
    essential: bool = False
    """An assessment criterion whose ``unknown`` verdict needs an override, like ``unmet``."""


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
"""What the evaluation service's first migration seeded; the criteria came later, with their
own migration (``ASSESSMENT_CRITERIA``)."""

CRITERION_KIND = "assessment_criterion"

ASSESSMENT_CRITERIA = tuple(
    ReferenceItem(CRITERION_KIND, code, label, description, position, procedure, essential)
    for position, (code, label, description, procedure, essential) in enumerate(
        [
            (
                "party_to_conflict",
                "The inviter is a party to the conflict",
                "Involvement only through invitation, from a party to the conflict.",
                "invitation",
                True,
            ),
            (
                "five_year_capacity",
                "Five years can be committed",
                "The organization can commit people and means for at least five years.",
                "long_term_commitment",
                True,
            ),
            (
                "track_one_relationship",
                "A transparent relationship with track one is possible",
                "Officials can be briefed openly; the work is no threat to track-one efforts.",
                "relationship",
                False,
            ),
            (
                "no_conflict_of_interest",
                "No conflict of interest",
                "No hidden agenda: nothing but peacebuilding is sought.",
                "trust",
                True,
            ),
            (
                "free_of_charge",
                "Participants are never billed",
                "The work can be funded without money from participants or advertising.",
                "engagement",
                False,
            ),
            (
                "local_partners",
                "Local partners are available",
                "Local peacebuilders and conflict professionals can join the work.",
                "partnership",
                False,
            ),
            (
                "women_included",
                "Women can take part",
                "Women can be included among partners and participants.",
                "partnership",
                False,
            ),
            (
                "local_wisdom",
                "Local approaches can be drawn on",
                "Indigenous and local ways of handling conflict can be learned and blended in.",
                "synthesis_of_wisdom",
                False,
            ),
            (
                "do_no_harm",
                "The risk of harm is acceptable",
                "Do No Harm: the work is unlikely to feed the dividers or weaken the connectors.",
                None,
                True,
            ),
        ],
        start=1,
    )
)
"""What every invitation is assessed against until the consortium adjusts it. The standard
procedures that bear on whether to accept each have a criterion; those about how the work is
done once accepted (multiple technologies, action research, responsibility, empowerment,
transformation) have none. Do No Harm is a practitioners' tool, not one of the procedures."""
