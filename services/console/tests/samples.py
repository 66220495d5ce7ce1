"""What the four services answer, in the shapes of their OpenAPI documents (abridged)."""

from __future__ import annotations

from typing import Any

TRACK_LABELS = (
    "Government",
    "Professional conflict resolution",
    "Business",
    "Private citizens",
    "Research, training and education",
    "Activism",
    "Religious",
    "Funding",
    "Public opinion / communication",
)
CONFLICT = {
    "name": "Montes de María land conflict",
    "country": "CO",
    "region": "Caribbean region",
    "conflict_type": "land",
    "phase": "post-agreement",
    "description": None,
}


def invitation_in_brief(status: str, id: str) -> dict[str, Any]:
    """As ``GET /invitations/summaries`` lists it."""
    full = invitation(status, id)
    brief = {key: full[key] for key in ("id", "owner_org", "visibility", "status", "inviter")}
    conflict = {
        key: CONFLICT[key] for key in ("name", "country", "region", "conflict_type", "phase")
    }
    return brief | {
        "conflict": conflict,
        "received_at": full["received_at"],
        "assessed": False,
    }


def invitation(status: str = "under_assessment", id: str = "inv-1") -> dict[str, Any]:
    return {
        "id": id,
        "owner_org": "org-a",
        "visibility": "consortium",
        "status": status,
        "inviter": {
            "name": "Council of Elders",
            "kind": "community council",
            "track": 4,
            "is_party_to_conflict": True,
            "side": "rural communities",
        },
        "conflict": CONFLICT,
        "support_requested": "Dialogue facilitation",
        "channel": "letter",
        "arrived_on": "2026-01-10",
        "other_parties_aware": True,
        "received_at": "2026-01-10T09:00:00Z",
        "assessment": None,
        "decision": None,
        "withdrawal_reason": None,
        "withdrawn_at": None,
    }


CRITERIA = [
    {
        "code": "party_to_conflict",
        "label": "Invited by a party",
        "description": "The inviter is a party to the conflict.",
        "procedure": "invitation",
        "essential": True,
    },
    {
        "code": "local_partners",
        "label": "Local partners",
        "description": "Local partners are ready.",
        "procedure": "partnership",
        "essential": False,
    },
]
MATCHING = [
    {
        "lesson_id": "les-1",
        "statement": "Hear every side before the first workshop.",
        "confidence": "high",
        "revision": 1,
        "score": 3,
        "relevance": 0.8,
        "reasons": ["same country (CO)", "same track (4)"],
    }
]


def engagement(id: str = "eng-1") -> dict[str, Any]:
    return {
        "id": id,
        "invitation_id": "inv-1",
        "owner_org": "org-a",
        "visibility": "consortium",
        "purpose": "Dialogue facilitation",
        "status": "listening",
        "conflict": CONFLICT,
        "inviter_track": 4,
        "start_date": "2026-02-01",
        "committed_until": "2031-02-01",
        "opened_at": "2026-02-01T10:00:00Z",
        "closing_reason": None,
        "last_activity_on": None,
        "health": {
            "days_elapsed": 120,
            "days_left": 1706,
            "share_elapsed": 0.07,
            "months_without_activity": 0,
            "quiet": False,
        },
        "method_blend": {},
        "history": [],
        "ending": {},
    }


def coverage(activities_on: dict[int, int] | None = None) -> dict[str, Any]:
    activities_on = activities_on or {}
    tracks = [
        {
            "track": n,
            "label": label,
            "covered": n == 4 or n in activities_on,
            "sources": {
                "inviter": n == 4,
                "analysis_actors": 0,
                "heard_parties": 2 if n == 4 else 0,
                "activities": activities_on.get(n, 0),
                "partners": [],
            },
        }
        for n, label in enumerate(TRACK_LABELS, start=1)
    ]
    gaps = [{"track": t["track"], "label": t["label"]} for t in tracks if not t["covered"]]
    return {"tracks": tracks, "gaps": gaps}


LISTENING = {
    "entries": [],
    "summary": {
        "heard_per_side": {"rural communities": 2, "landowners": 0},
        "complete": False,
        "missing_sides": ["landowners"],
        "imbalanced": True,
    },
}
ACTIVITY = {
    "id": "act-1",
    "kind": "dialogue",
    "held_on": "2026-05-01",
    "place": "El Carmen",
    "tracks": [3, 4],
    "peacebuilding_kind": "social",
}
INBOX = [
    {
        "lesson_id": "les-1",
        "revision": 1,
        "statement": "Hear every side before the first workshop.",
        "confidence": "high",
        "score": 3,
        "relevance": 0.8,
        "reasons": ["same country (CO)"],
        "reaches": True,
        "retired": False,
        "recorded_at": "2026-03-01T00:00:00Z",
        "response": None,
    }
]


def overview(**parts: Any) -> dict[str, Any]:
    """What ``GET /engagements/{id}/overview`` answers: the page's parts, ``parts`` replacing
    the samples (no activity, no analysis yet)."""
    return {
        "engagement": engagement(),
        "coverage": coverage(),
        "activities": [],
        "listening": LISTENING,
        "analyses": [],
        "lessons": INBOX,
        **parts,
    }


INCLUSION = {
    "engagement_id": "eng-1",
    "partners": {"total": 1, "local": 1, "women_led": 1},
    "participants": {"total": 29, "women": 16},
    "activities": {"total": 1, "led_locally": 1},
}

PARTNER = {
    "id": "par-1",
    "owner_org": "org-a",
    "visibility": "consortium",
    "name": "Women of Montes de María",
    "kind": "women's network",
    "tracks": [4, 6],
    "countries": ["CO"],
    "is_local": True,
    "women_led": True,
    "womens_rights_org": False,
    "iati_org_id": None,
    "iati_org_type": None,
    "contact_people": None,
    "registered_at": "2026-02-01T10:00:00Z",
    "updated_at": None,
}
PARTNERSHIP = {
    "id": "ps-1",
    "partner_id": "par-1",
    "engagement_id": "eng-1",
    "role": "co_facilitator",
    "starts_on": "2026-03-01",
    "ends_on": None,
}
