"""Realistic request bodies shared by the tests and the demo."""

from __future__ import annotations

from typing import Any

from multitrack_shared.reference import ASSESSMENT_CRITERIA

CRITERIA = tuple(criterion.code for criterion in ASSESSMENT_CRITERIA)


def invitation_body(**overrides: Any) -> dict[str, Any]:
    """An invitation to receive; it names no owner: the caller's organization owns it."""
    body: dict[str, Any] = {
        "visibility": "consortium",
        "inviter": {
            "name": "Council of Elders of Montes de María",
            "kind": "community council",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "rural communities",
        },
        "conflict": {
            "name": "Montes de María land conflict",
            "country": "CO",
            "region": "Caribbean region",
            "conflict_type": "land",
            "phase": "post-agreement",
        },
        "support_requested": "Dialogue facilitation between land claimants and returning families",
        "channel": "letter",
        "other_parties_aware": True,
    }
    body.update(overrides)
    return body


def assessment_body(unmet: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "assessed_by": "assessment team",
        "verdicts": {
            c: {"verdict": "unmet" if c in unmet else "met", "note": f"{c} checked"}
            for c in CRITERIA
        },
    }


def acceptance_body(**overrides: Any) -> dict[str, Any]:
    return {
        "outcome": "accept",
        "rationale": "Invited by a party; every criterion met; local partners ready.",
        "decided_by": "board",
        **overrides,
    }


def lesson_body(**overrides: Any) -> dict[str, Any]:
    """A lesson for the whole consortium, in the context of the invitation above."""
    return {
        "statement": "Open land dialogues with listening circles before mixed sessions.",
        "evidence": "Evaluation of Montes de María, years 1-2.",
        "confidence": "medium",
        "context": {"regions": ["Caribbean region"], "conflict_types": ["land"], "tracks": [4]},
        **overrides,
    }


def partner_body(**overrides: Any) -> dict[str, Any]:
    """A local partner organization the caller's organization registers."""
    return {
        "name": "Mujeres Tejiendo Paz",
        "kind": "women's organization",
        "tracks": [4, 6],
        "countries": ["CO"],
        "is_local": True,
        "women_led": True,
        "womens_rights_org": True,
        **overrides,
    }
