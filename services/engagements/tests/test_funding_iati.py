"""Funding, budgets and the IATI 2.03 export through the HTTP API: participants are never
billed, a budget line covers at most a year and overlaps no other, and an engagement reports
as an IATI activity valid against the standard's schema, with its funding and budget, the
organizations that take part in their roles, and nothing personal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from multitrack_shared.events.common import Ownership, Visibility
from multitrack_shared.events.partners import PartnerRegistered, PartnershipFormed
from multitrack_shared.testing.iati import valid_iati
from multitrack_shared.testing.tokens import TokenSource

from .conftest import (
    FUNDER_IATI_ID,
    OTHER,
    OWNER,
    OWNER_IATI_ID,
    SEEN_AT,
    Api,
    Database,
    Deliver,
    OpenEngagement,
    a_partner,
    budget_body,
    funding_body,
    the_owner_joined,
)

PERSONAL = ("Luis Mendoza", "Anne Keller", "Carmen Ruiz", "Ana Ruiz", "Carmen de Bolívar")
"""Names of people (and an activity's place) the conftest's sample records carry."""


@pytest.fixture
async def funder(deliver: Deliver) -> PartnerRegistered:
    partner = a_partner("Peace Fund", iati_org_id=FUNDER_IATI_ID, iati_org_type="60")
    await deliver(partner)
    return partner


async def iati_of(client: httpx.AsyncClient, engagement_id: str) -> Any:
    response = await client.get(f"/engagements/{engagement_id}/iati")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return valid_iati(response.content)


async def test_an_engagement_reports_its_funding_budget_and_organizations_in_iati(
    deliver: Deliver, open_engagement: OpenEngagement, api: Api, funder: PartnerRegistered
) -> None:
    await deliver(the_owner_joined())
    host = a_partner("Red de Mujeres del Caribe", kind="women", iati_org_id="CO-RUT-800200")
    await deliver(host)
    engagement_id = await open_engagement()
    await deliver(
        PartnershipFormed(
            partnership_id=str(uuid.uuid4()),
            engagement_id=engagement_id,
            partner_id=host.partner_id,
            role="host",
            starts_on=SEEN_AT.date(),
            partner_name=host.name,
            partner_tracks=[4],
            partner_is_local=True,
            partner_women_led=True,
            formed_at=SEEN_AT,
        )
    )
    await api.listened_to_every_side(engagement_id)
    await api.activity(engagement_id)
    await api.created(f"/engagements/{engagement_id}/funding", funding_body(funder.partner_id))
    await api.created(f"/engagements/{engagement_id}/budget", budget_body())
    await api.created(
        f"/engagements/{engagement_id}/budget",
        budget_body(period_start="2026-01-01", period_end="2026-12-31", amount=90000),
    )

    activity = (await iati_of(api.client, engagement_id)).find("iati-activity")

    assert activity.findtext("iati-identifier") == f"{OWNER_IATI_ID}-{engagement_id}"
    assert activity.find("reporting-org").get("ref") == OWNER_IATI_ID
    roles = {
        (org.get("role"), org.findtext("narrative"), org.get("ref"))
        for org in activity.findall("participating-org")
    }
    assert roles == {
        ("1", "Peace Fund", FUNDER_IATI_ID),
        ("2", "Alder Peace Network", OWNER_IATI_ID),
        ("3", "Alder Peace Network", OWNER_IATI_ID),
        ("4", "Alder Peace Network", OWNER_IATI_ID),
        ("4", "Red de Mujeres del Caribe", "CO-RUT-800200"),
    }
    assert activity.find("activity-status").get("code") == "2"
    assert activity.find("recipient-country").get("code") == "CO"
    assert activity.findtext("location/name/narrative") == "Caribbean region"
    budgets = [
        (b.find("period-start").get("iso-date"), b.findtext("value"), b.get("status"))
        for b in activity.findall("budget")
    ]
    assert budgets == [("2025-01-01", "80000", "2"), ("2026-01-01", "90000", "2")]
    (incoming,) = activity.findall("transaction")
    assert incoming.find("transaction-type").get("code") == "11"
    assert incoming.findtext("value") == "250000"
    assert incoming.find("value").get("currency") == "EUR"
    assert incoming.find("provider-org").get("ref") == FUNDER_IATI_ID
    tracks = {t.get("code") for t in activity.findall("tag") if t.get("vocabulary") == "99"}
    assert {"4", "7"} <= tracks  # the inviter's and the activity's tracks
    by_sex = {
        a.find("dimension").get("value"): a.get("value")
        for a in activity.iterfind("result/indicator/period/actual")
        if a.find("dimension") is not None
    }
    assert by_sex == {"female": "12", "male": "3"}


async def test_the_iati_export_carries_nothing_personal(
    deliver: Deliver, open_engagement: OpenEngagement, api: Api, funder: PartnerRegistered
) -> None:
    await deliver(the_owner_joined())
    engagement_id = await open_engagement()
    await api.listened_to_every_side(engagement_id)
    await api.activity(engagement_id)
    await api.created(f"/engagements/{engagement_id}/funding", funding_body(funder.partner_id))

    response = await api.client.get(f"/engagements/{engagement_id}/iati")

    assert response.status_code == 200, response.text
    text = response.content.decode()
    assert [name for name in PERSONAL if name in text] == []


async def test_participants_are_never_billed(
    open_engagement: OpenEngagement, api: Api, db: Database, funder: PartnerRegistered
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()

    response = await api.client.post(
        f"/engagements/{engagement_id}/funding",
        json=funding_body(funder.partner_id, kind="participant_fee"),
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "participants_never_billed"
    assert await db.snapshot() == before


async def test_funding_is_published_and_read_back(
    open_engagement: OpenEngagement, api: Api, db: Database, funder: PartnerRegistered
) -> None:
    engagement_id = await open_engagement()
    path = f"/engagements/{engagement_id}/funding"

    source = await api.created(path, funding_body(funder.partner_id, currency="cop"))
    line = await api.created(f"/engagements/{engagement_id}/budget", budget_body())

    shown = (await api.client.get(path)).json()
    assert [s["id"] for s in shown["sources"]] == [source["id"]]
    assert shown["sources"][0]["funder"] == {
        "id": funder.partner_id,
        "name": "Peace Fund",
        "iati_org_id": FUNDER_IATI_ID,
    }
    assert shown["sources"][0]["currency"] == "COP"
    assert [b["id"] for b in shown["budget"]] == [line["id"]]
    published = {r.event_type: r.data for r in await db.outbox()}
    assert published["multitrack.engagement.funding_recorded.v1"]["funder_id"] == (
        funder.partner_id
    )
    assert published["multitrack.engagement.budget_planned.v1"]["amount"] == 80000


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"period_end": "2026-01-01"}, 422, "budget_period_over_a_year"),
        ({"period_end": "2024-12-31"}, 422, "period_reversed"),
        ({"period_start": "2025-12-31", "period_end": "2026-06-30"}, 409, "budget_periods_overlap"),
        ({"currency": "EURO"}, 422, "currency_code"),
    ],
)
async def test_a_budget_line_covers_at_most_a_year_and_overlaps_no_other(
    open_engagement: OpenEngagement,
    api: Api,
    db: Database,
    changes: dict[str, Any],
    status: int,
    code: str,
) -> None:
    engagement_id = await open_engagement()
    await api.created(f"/engagements/{engagement_id}/budget", budget_body())
    before = await db.snapshot()

    response = await api.client.post(
        f"/engagements/{engagement_id}/budget", json=budget_body(**changes)
    )

    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert code in {body["code"], *(f["rule"] for f in body["fields"])}
    assert await db.snapshot() == before


async def test_a_funder_is_a_partner_the_coordinator_may_read(
    deliver: Deliver, open_engagement: OpenEngagement, api: Api, db: Database
) -> None:
    hidden = a_partner("Private Trust", owner=OTHER)
    hidden = hidden.model_copy(
        update={"ownership": Ownership(owner_org=OTHER, visibility=Visibility.owner)}
    )
    await deliver(hidden)
    engagement_id = await open_engagement()
    before = await db.snapshot()

    for funder_id in (hidden.partner_id, str(uuid.uuid4())):
        response = await api.client.post(
            f"/engagements/{engagement_id}/funding", json=funding_body(funder_id)
        )
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "unknown_funder"
    assert await db.snapshot() == before


async def test_only_the_owners_coordinators_record_funding(
    open_engagement: OpenEngagement,
    api: Api,
    db: Database,
    tokens: TokenSource,
    funder: PartnerRegistered,
) -> None:
    engagement_id = await open_engagement()
    before = await db.snapshot()
    for auth in (tokens.auth(OTHER, "coordinator"), tokens.auth(OWNER, "evaluator")):
        response = await api.client.post(
            f"/engagements/{engagement_id}/funding",
            json=funding_body(funder.partner_id),
            auth=auth,
        )
        assert response.status_code == 403, response.text
    assert await db.snapshot() == before


async def test_an_owner_without_an_iati_identity_cannot_report(
    deliver: Deliver, open_engagement: OpenEngagement, api: Api
) -> None:
    await deliver(the_owner_joined(iati_org_id=None, iati_org_type=None))
    engagement_id = await open_engagement()

    response = await api.client.get(f"/engagements/{engagement_id}/iati")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "reporting_org_unknown"


async def test_an_organization_reports_the_engagements_it_shares(
    deliver: Deliver,
    open_engagement: OpenEngagement,
    api: Api,
    acceptance: Callable[..., Any],
    tokens: TokenSource,
) -> None:
    await deliver(the_owner_joined())
    shared = await open_engagement()
    await open_engagement(ownership=Ownership(owner_org=OWNER, visibility=Visibility.owner))
    await open_engagement(ownership=Ownership(owner_org=OTHER, visibility=Visibility.consortium))

    response = await api.client.get("/iati/activities.xml")

    assert response.status_code == 200, response.text
    identifiers = [
        a.findtext("iati-identifier") for a in valid_iati(response.content).iter("iati-activity")
    ]
    assert identifiers == [f"{OWNER_IATI_ID}-{shared}"]
    as_admin = await api.client.get(
        "/iati/activities.xml",
        params={"organization": OWNER},
        auth=tokens.auth(None, "consortium-admin"),
    )
    assert as_admin.status_code == 200, as_admin.text
    nothing = await api.client.get("/iati/activities.xml", params={"organization": "org-z"})
    assert nothing.status_code == 404
