"""Suggested partners for an engagement (standard 6): who already works where it works.

A partner is suggested when it works in the engagement's country and holds no partnership on
the engagement that is running or yet to come. Ranked: local partners first, then by how many
tracks they share with the engagement (the inviter's track and the tracks of its activities),
then women-led first, then by name. Each suggestion says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.partner import Partner


@dataclass(frozen=True)
class Suggestion:
    partner: Partner
    shared_tracks: tuple[int, ...]
    reasons: tuple[str, ...]


def suggest(
    *,
    engagement: KnownEngagement,
    activity_tracks: Iterable[int],
    candidates: Iterable[Partner],
    engaged: set[str],
) -> list[Suggestion]:
    """``engaged``: ids of partners already in a partnership on the engagement."""
    tracks = {engagement.inviter_track, *activity_tracks}
    country = engagement.country
    suggestions = [
        _suggestion(partner, country, tracks)
        for partner in candidates
        if partner.id not in engaged and country in partner.profile.countries
    ]
    return sorted(suggestions, key=_rank)


def _suggestion(partner: Partner, country: str, tracks: set[int]) -> Suggestion:
    profile = partner.profile
    shared = tuple(sorted(tracks.intersection(profile.tracks)))
    reasons = [
        *(["local"] if profile.is_local else []),
        f"works in {country}",
        *([f"shares {_tracks(shared)}"] if shared else []),
        *(["women-led"] if profile.women_led else []),
    ]
    return Suggestion(partner, shared, tuple(reasons))


def _tracks(shared: tuple[int, ...]) -> str:
    numbers = ", ".join(str(t) for t in shared)
    return f"track {numbers}" if len(shared) == 1 else f"tracks {numbers}"


def _rank(s: Suggestion) -> tuple[bool, int, bool, str, str]:
    p = s.partner.profile
    return (not p.is_local, -len(s.shared_tracks), not p.women_led, p.name.casefold(), s.partner.id)
