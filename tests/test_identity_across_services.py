"""Identity across the four services as real processes: a disabled client and an expired token
are refused everywhere, and the audit trail follows changes made by two organizations from one
service to the next."""

from __future__ import annotations

import httpx
import pytest

from multitrack_shared.testing.polling import eventually
from multitrack_shared.testing.processes import Platform
from multitrack_shared.testing.samples import acceptance_body, assessment_body, invitation_body
from multitrack_shared.testing.tokens import BearerAuth, TokenRefused, TokenSource, bearer

from .conftest import StartPlatform

LISTS = {
    "invitations": "/invitations",
    "engagements": "/engagements",
    "partners": "/partners",
    "evaluation": "/lessons",
}
"""One list of each service: any platform role may read it."""
LEEWAY = 10
"""The clock skew a service allows past a token's expiry (``oidc_leeway_seconds``' default)."""
A_PARTNER = {
    "visibility": "consortium",
    "name": "Birchwood Women's Circle",
    "kind": "women's association",
    "tracks": [4, 5],
    "countries": ["CO"],
    "is_local": True,
    "women_led": True,
    "womens_rights_org": True,
}


async def ready(http: httpx.AsyncClient, platform: Platform) -> None:
    for service in LISTS:

        async def answers(url: str = platform.url(service)) -> bool:
            return (await http.get(f"{url}/health/ready")).status_code == 200

        await eventually(answers, what=f"{service} ready")


async def test_a_disabled_client_gets_no_new_token_and_every_service_refuses_an_expired_one(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    client = await tokens.new_client("org-a", "observer")
    async with httpx.AsyncClient(timeout=30) as http:
        await ready(http, platform)
        token = await tokens.token_of(client)
        for service, path in LISTS.items():
            answer = await http.get(f"{platform.url(service)}{path}", auth=bearer(token))
            assert answer.status_code == 200, f"{service}: {answer.text}"

        await tokens.disable(client)
        with pytest.raises(TokenRefused):
            await tokens.token_of(client)

        expired = await tokens.expired(leeway=LEEWAY + 1)
        for service, path in LISTS.items():
            answer = await http.get(f"{platform.url(service)}{path}", auth=bearer(expired))
            assert answer.status_code == 401, f"{service}: {answer.text}"
            assert answer.json()["error"]["code"] == "token_expired", service
            assert answer.headers["WWW-Authenticate"].startswith("Bearer "), service


def request(request_id: str) -> dict[str, str]:
    return {"X-Request-ID": request_id}


async def audit(
    http: httpx.AsyncClient, admin: BearerAuth, url: str, **query: str
) -> list[dict[str, str | None]]:
    answer = await http.get(f"{url}/audit", params=query, auth=admin)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, str | None]] = answer.json()["entries"]
    return entries


def who(entries: list[dict[str, str | None]]) -> list[tuple[str | None, ...]]:
    """Each entry's action, actor and request id."""
    return [
        (e["action"], e["actor_kind"], e["actor_organization"], e["actor_client"], e["request_id"])
        for e in entries
    ]


async def test_the_audit_trail_names_each_change_of_two_organizations_with_its_actor(
    start_platform: StartPlatform, tokens: TokenSource
) -> None:
    platform = await start_platform()
    invitations, engagements = platform.url("invitations"), platform.url("engagements")
    partners = platform.url("partners")
    org_a, org_b = tokens.auth("org-a", "coordinator"), tokens.auth("org-b", "coordinator")
    admin = tokens.auth(None, "consortium-admin")
    async with httpx.AsyncClient(timeout=30) as http:
        await ready(http, platform)

        created = await http.post(
            f"{invitations}/invitations",
            json=invitation_body(),
            auth=org_a,
            headers=request("a-receive"),
        )
        invitation = f"{invitations}/invitations/{created.json()['id']}"
        for method, step, body in [
            ("PUT", "assessment", assessment_body()),
            ("POST", "decision", acceptance_body()),
        ]:
            done = await http.request(
                method, f"{invitation}/{step}", json=body, auth=org_a, headers=request(f"a-{step}")
            )
            assert done.status_code == 200, done.text
        refused = await http.post(
            f"{invitation}/withdrawal",
            json={"reason": "Not ours."},
            auth=org_b,
            headers=request("b-withdraw"),
        )
        assert refused.status_code == 403, refused.text

        registered = await http.post(
            f"{partners}/partners", json=A_PARTNER, auth=org_b, headers=request("b-reg")
        )
        assert registered.status_code == 201, registered.text
        partner = registered.json()

        async def opened() -> str | None:
            found = (await http.get(f"{engagements}/engagements", auth=org_a)).json()
            return str(found[0]["id"]) if found else None

        engagement_id = await eventually(opened, within=60, what="the engagement opened")
        partnership = {"engagement_id": engagement_id, "partner_id": partner["id"]}

        async def formed() -> bool:
            """Once partners has learnt of the engagement from its event."""
            answer = await http.post(
                f"{partners}/partnerships",
                json={**partnership, "role": "co_facilitator", "starts_on": "2026-04-01"},
                auth=org_a,
                headers=request("a-partnership"),
            )
            assert answer.status_code in (201, 422), answer.text
            return answer.status_code == 201

        await eventually(formed, within=60, what="the partnership formed")

        trail = await audit(http, admin, invitations, record_id=created.json()["id"])
        client_a = "org-a-coordinator"
        assert who(trail) == [
            (f"multitrack.invitation.{what}", "client", "org-a", client_a, f"a-{step}")
            for what, step in [
                ("received.v2", "receive"),
                ("assessed.v1", "assessment"),
                ("accepted.v2", "decision"),
            ]
        ]
        accepted_event = trail[-1]["event_id"]
        assert await audit(http, admin, invitations, organization="org-b") == []

        (opening,) = await audit(http, admin, engagements, record_id=engagement_id)
        assert (opening["actor_kind"], opening["request_id"]) == ("service", accepted_event)

        assert who(await audit(http, admin, partners, organization="org-b")) == [
            ("multitrack.partner.registered.v1", "client", "org-b", "org-b-coordinator", "b-reg")
        ]
        assert who(await audit(http, admin, partners, organization="org-a")) == [
            ("multitrack.partnership.formed.v1", "client", "org-a", client_a, "a-partnership")
        ]
        refused_audit = await http.get(f"{invitations}/audit", auth=org_a)
        assert refused_audit.status_code == 403, refused_audit.text
