"""Suggested partners for an engagement (standard 6): who already works where it works.

A partner is suggested when it works in the engagement's country and holds no partnership on
the engagement that is running or yet to come. No one track alone builds a lasting peace, so
the partners that reach a track the engagement lacks come first — the tracks neither its
inviter, its activities nor its current partners reach; among them, and then among the rest,
local partners first, then by how many gaps they fill, then by how many tracks they share with
the engagement, then women-led first, then by name. Each suggestion says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from multitrack_partners.domain.engagement import KnownEngagement
from multitrack_partners.domain.partner import Partner

TRACK_NUMBERS = range(1, 10)


@dataclass(frozen=True)
class Suggestion:
    partner: Partner
    shared_tracks: tuple[int, ...]
    fills_gaps: tuple[int, ...]
    """Tracks the engagement lacks that the partner works in."""
    reasons: tuple[str, ...]


def suggest(
    *,
    engagement: KnownEngagement,
    activity_tracks: Iterable[int],
    candidates: Iterable[Partner],
    engaged: set[str],
    engaged_tracks: Iterable[int] = (),
) -> list[Suggestion]:
    """``engaged``: ids of partners already in a partnership on the engagement;
    ``engaged_tracks``: the tracks those partners work in."""
    tracks = {engagement.inviter_track, *activity_tracks}
    gaps = set(TRACK_NUMBERS) - tracks - set(engaged_tracks)
    country = engagement.country
    suggestions = [
        _suggestion(partner, country, tracks, gaps)
        for partner in candidates
        if partner.id not in engaged and country in partner.profile.countries
    ]
    return sorted(suggestions, key=_rank)


def _suggestion(partner: Partner, country: str, tracks: set[int], gaps: set[int]) -> Suggestion:
    profile = partner.profile
    shared = tuple(sorted(tracks.intersection(profile.tracks)))
    fills = tuple(sorted(gaps.intersection(profile.tracks)))
    reasons = [
        *([f"reaches {_tracks(fills)}, which the engagement lacks"] if fills else []),
        *(["local"] if profile.is_local else []),
        f"works in {country}",
        *([f"shares {_tracks(shared)}"] if shared else []),
        *(["women-led"] if profile.women_led else []),
    ]
    return Suggestion(partner, shared, fills, tuple(reasons))


def _tracks(shared: tuple[int, ...]) -> str:
    numbers = ", ".join(str(t) for t in shared)
    return f"track {numbers}" if len(shared) == 1 else f"tracks {numbers}"


def _rank(s: Suggestion) -> tuple[bool, bool, int, int, bool, str, str]:
    p = s.partner.profile
    return (
        not s.fills_gaps,
        not p.is_local,
        -len(s.fills_gaps),
        -len(s.shared_tracks),
        not p.women_led,
        p.name.casefold(),
        s.partner.id,
    )
