"""Nine-track coverage on in-memory fakes: every source the facts read (inviter, latest
analysis, parties heard, activities, partnerships) reaches its tracks, and the gaps carry the
consortium's wording where it has one."""

from __future__ import annotations

import pytest

from multitrack_engagements.application.coverage import coverage
from multitrack_engagements.application.ports import TrackLabel
from multitrack_engagements.domain.partnerships import Partnership
from multitrack_shared.errors import NotFound
from multitrack_shared.reference import TRACKS

from ..conftest import NOW
from .samples import COORDINATOR, an_analysis, an_engagement, heard, holding

pytestmark = pytest.mark.unit


async def test_coverage_counts_every_source_and_names_the_gaps_in_the_consortiums_words() -> None:
    uow = await holding(an_engagement())
    await uow.analyses.add(an_analysis())
    await uow.listening.add(heard("land claimants", "h-1"))
    ended = Partnership("ps-1", "eng-1", "p-1", "Red de Mujeres", (6,), ended=True)
    await uow.partnerships.save(ended)
    await uow.partnerships.save(Partnership("ps-2", "eng-2", "p-2", "Elsewhere", (9,)))
    await uow.track_labels.save(TrackLabel("2", "Mediators", "Professionals", True, NOW))
    await uow.track_labels.save(TrackLabel("3", "Switched off", "Not used", False, NOW))

    found = await coverage("eng-1", COORDINATOR, uow)

    covered = {t.track: t.sources for t in found.tracks if t.covered}
    assert sorted(covered) == [4, 6, 7]
    assert (covered[4].inviter, covered[4].analysis_actors, covered[4].heard_parties) == (
        True,
        2,
        1,
    )
    assert covered[6].partners == (ended.source,)
    assert [(t.track, t.label) for t in found.gaps][:2] == [
        (1, TRACKS[0].label),
        (2, "Mediators"),
    ]
    assert (3, TRACKS[2].label) in [(t.track, t.label) for t in found.gaps]
    assert uow.nothing_committed


async def test_the_coverage_of_an_unknown_engagement_is_not_found() -> None:
    uow = await holding(an_engagement())

    with pytest.raises(NotFound):
        await coverage("eng-9", COORDINATOR, uow)
