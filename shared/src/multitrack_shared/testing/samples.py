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
