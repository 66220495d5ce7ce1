"""The IATI 2.03 XML of activities, in the order the standard's schema sets
(``contracts/iati-2.03``): one ``iati-activities`` document of one or more activities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

from multitrack_engagements.domain.iati import IatiActivity, IatiOrganisation, ParticipantsInYear
from multitrack_shared.http.errors import ErrorBody
from multitrack_shared.times import utc

IATI_VERSION = "2.03"
MEDIA_TYPE = "application/xml"
LANGUAGE = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PEACEBUILDING_SECTOR = "15220"
"""DAC 5-digit sector: civilian peace-building, conflict prevention and resolution."""
TRACKS_VOCABULARY = "99"
"""IATI's TagVocabulary for a reporting organisation's own: the nine tracks of multi-track
diplomacy."""
TRACKS_VOCABULARY_URI = "https://en.wikipedia.org/wiki/Multi-track_diplomacy"
ORIGINAL_BUDGET = "1"
BUDGET_STATUS = {"indicative": "1", "committed": "2"}
INCOMING_COMMITMENT = "11"
OUTPUT_RESULT = "1"
UNIT_MEASURE = "1"
ACTIVITY_DATES = {"actual_start": "2", "planned_end": "3", "actual_end": "4"}

OPENAPI_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An IATI 2.03 `iati-activities` document.",
        "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
    },
    404: {
        "model": ErrorBody,
        "description": "No such engagement, none the caller may see, or (for an "
        "organization) no engagement it shares: an IATI document holds at least one activity.",
    },
    409: {
        "model": ErrorBody,
        "description": "The owning member has no IATI organisation identifier and type "
        "recorded (`reporting_org_unknown`): it cannot report.",
    },
}
"""What the export answers that its shape does not tell (``http.openapi``)."""


def activities_document(activities: Sequence[IatiActivity], generated_at: datetime) -> bytes:
    root = ET.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": _instant(generated_at)},
    )
    for activity in activities:
        root.append(_activity(activity))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _activity(a: IatiActivity) -> ET.Element:
    element = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": _instant(a.last_updated),
            XML_LANG: LANGUAGE,
            "hierarchy": "1",
        },
    )
    ET.SubElement(element, "iati-identifier").text = a.identifier
    _organisation(element, "reporting-org", a.reporting_org)
    _narrated(element, "title", a.title)
    _narrated(element, "description", a.description, type="1")
    for participation in a.participations:
        _organisation(
            element, "participating-org", participation.organisation, role=participation.role
        )
    ET.SubElement(element, "activity-status", code=a.status)
    _dated(element, ACTIVITY_DATES["actual_start"], a.start)
    _dated(element, ACTIVITY_DATES["planned_end"], a.planned_end)
    if a.actual_end is not None:
        _dated(element, ACTIVITY_DATES["actual_end"], a.actual_end)
    ET.SubElement(element, "recipient-country", code=a.country, percentage="100")
    if a.region:
        _region(element, a.region)
    ET.SubElement(element, "sector", vocabulary="1", code=PEACEBUILDING_SECTOR, percentage="100")
    for track, label in a.tracks:
        tag = ET.SubElement(
            element,
            "tag",
            {"vocabulary-uri": TRACKS_VOCABULARY_URI},
            vocabulary=TRACKS_VOCABULARY,
            code=str(track),
        )
        _narrative(tag, label)
    for line in a.budgets:
        budget = ET.SubElement(
            element, "budget", type=ORIGINAL_BUDGET, status=BUDGET_STATUS[line.status.value]
        )
        ET.SubElement(budget, "period-start", {"iso-date": _day(line.period.start)})
        ET.SubElement(budget, "period-end", {"iso-date": _day(line.period.end)})
        _value(budget, line.money.amount, line.money.currency, line.period.start)
    for funding in a.funding:
        source = funding.source
        transaction = ET.SubElement(element, "transaction", ref=source.id)
        ET.SubElement(transaction, "transaction-type", code=INCOMING_COMMITMENT)
        ET.SubElement(transaction, "transaction-date", {"iso-date": _day(source.period.start)})
        _value(transaction, source.money.amount, source.money.currency, source.period.start)
        _narrated(transaction, "description", source.kind.value.replace("_", " "))
        _organisation(transaction, "provider-org", funding.funder)
    if a.participants:
        _participants_result(element, a.participants)
    return element


def _organisation(
    parent: ET.Element, tag: str, organisation: IatiOrganisation, *, role: str | None = None
) -> None:
    attributes = {
        name: value
        for name, value in (
            ("ref", organisation.ref),
            ("type", organisation.type),
            ("role", role),
        )
        if value is not None
    }
    _narrative(ET.SubElement(parent, tag, attributes), organisation.name)


def _region(parent: ET.Element, region: str) -> None:
    """The conflict's region is subnational: a location, as IATI's recipient regions are
    supranational."""
    location = ET.SubElement(parent, "location")
    ET.SubElement(location, "location-reach", code="1")  # the activity happens there
    _narrated(location, "name", region)
    ET.SubElement(location, "exactness", code="2")  # approximate
    ET.SubElement(location, "location-class", code="1")  # an administrative region


def _participants_result(parent: ET.Element, years: Sequence[ParticipantsInYear]) -> None:
    result = ET.SubElement(parent, "result", {"aggregation-status": "1"}, type=OUTPUT_RESULT)
    _narrated(result, "title", "People taking part in the engagement's activities")
    indicator = ET.SubElement(result, "indicator", measure=UNIT_MEASURE, ascending="1")
    _narrated(indicator, "title", "Participants in activities, by sex (attendances)")
    for year in years:
        period = ET.SubElement(indicator, "period")
        ET.SubElement(period, "period-start", {"iso-date": _day(year.start)})
        ET.SubElement(period, "period-end", {"iso-date": _day(year.end)})
        ET.SubElement(period, "actual", value=str(year.total))
        for sex, count in year.by_sex:
            actual = ET.SubElement(period, "actual", value=str(count))
            ET.SubElement(actual, "dimension", name="sex", value=sex.value)


def _value(parent: ET.Element, amount: int, currency: str, on: date) -> None:
    value = ET.SubElement(parent, "value", {"value-date": _day(on)}, currency=currency)
    value.text = str(amount)


def _dated(parent: ET.Element, kind: str, day: date) -> None:
    ET.SubElement(parent, "activity-date", {"iso-date": _day(day)}, type=kind)


def _narrated(parent: ET.Element, tag: str, text: str, **attributes: str) -> None:
    _narrative(ET.SubElement(parent, tag, attributes), text)


def _narrative(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "narrative").text = text


def _day(day: date) -> str:
    return day.isoformat()


def _instant(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="seconds")
