"""Every operation but the open ones needs a bearer token of the consortium's identity provider,
verified locally; anything else answers 401 with the error body and ``WWW-Authenticate``.

The tokens are real: the session's Keycloak with the multitrack realm and the demo consortium.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import APIRouter, FastAPI

from multitrack_shared.auth.principal import PrincipalKind, Role
from multitrack_shared.auth.tokens import OidcConfig, TokenVerifier
from multitrack_shared.errors import Unauthenticated, Unavailable
from multitrack_shared.http.app import create_service_app
from multitrack_shared.http.auth import (
    OPEN_PATHS,
    CallerDep,
    protected_operations,
    unguarded_operations,
)
from multitrack_shared.testing.access_matrix import operations_calls
from multitrack_shared.testing.inprocess import client_of, offline_settings, running
from multitrack_shared.testing.keycloak import IdentityProvider
from multitrack_shared.testing.paths import free_port
from multitrack_shared.testing.tokens import TokenRefused, TokenSource, bearer

from .memos import SERVICE, MemosSettings
from .memos_api import create_app


def refused(response: httpx.Response, code: str) -> str:
    """The challenge of a 401 carrying the error body with ``code``."""
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    return response.headers["WWW-Authenticate"]


async def test_a_request_without_a_token_is_asked_for_one(api: httpx.AsyncClient) -> None:
    challenge = refused(await api.get("/memos", auth=None), "token_missing")

    assert challenge == 'Bearer realm="multitrack"'
    other_scheme = await api.get("/memos", auth=None, headers={"Authorization": "Basic b3JnLWE="})
    refused(other_scheme, "token_missing")


@pytest.mark.parametrize("garbage", ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"])
async def test_garbage_is_refused_as_an_invalid_token(api: httpx.AsyncClient, garbage: str) -> None:
    challenge = refused(await api.get("/memos", auth=bearer(garbage)), "token_invalid")

    assert challenge.startswith('Bearer realm="multitrack", error="invalid_token"')


async def test_an_expired_token_is_refused(api: httpx.AsyncClient, tokens: TokenSource) -> None:
    expired = await tokens.expired()

    challenge = refused(await api.get("/memos", auth=bearer(expired)), "token_expired")

    assert 'error="invalid_token"' in challenge
    assert "expired" in challenge


async def test_a_token_signed_by_another_key_is_refused(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    forged = await tokens.forged("org-b", "coordinator", claims={"organization": ["org-a"]})

    response = await api.get("/memos", auth=bearer(forged))

    assert "signature" in refused(response, "token_invalid")


async def test_a_token_meant_for_another_audience_is_refused(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    elsewhere = await tokens.for_other_audience()

    response = await api.get("/memos", auth=bearer(elsewhere))

    refused(response, "token_invalid")
    assert "multitrack" not in jwt.decode(elsewhere, options={"verify_signature": False}).get(
        "aud", []
    )


async def test_a_token_of_another_realm_is_refused(
    api: httpx.AsyncClient, keycloak: IdentityProvider
) -> None:
    async with httpx.AsyncClient() as http:
        granted = await http.post(
            f"{keycloak.issuer.base_url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": keycloak.admin_username,
                "password": keycloak.admin_password,
            },
        )

    refused(await api.get("/memos", auth=bearer(granted.json()["access_token"])), "token_invalid")


async def test_unsigned_and_symmetrically_signed_tokens_are_refused(
    api: httpx.AsyncClient, tokens: TokenSource, keycloak: IdentityProvider
) -> None:
    real = await tokens.for_client()
    kid = jwt.get_unverified_header(real)["kid"]
    claims = jwt.decode(real, options={"verify_signature": False})
    async with httpx.AsyncClient() as http:
        published = (await http.get(keycloak.issuer.jwks_uri)).json()["keys"]
    public_key = next(jwt.PyJWK(k) for k in published if k["kid"] == kid).key
    public_pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    unsigned = jwt.encode(claims, "", algorithm="none", headers={"kid": kid})
    # HS256 keyed with the issuer's public key, which anyone can read: the classic confusion
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_segment(claims)}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    for token in (unsigned, confused):
        refused(await api.get("/memos", auth=bearer(token)), "token_invalid")


def _segment(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


async def test_a_client_is_known_by_its_organization_roles_and_client_id(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    claims = jwt.decode(
        await tokens.for_client("org-a", "coordinator"), options={"verify_signature": False}
    )

    me = (await api.get("/me")).json()

    assert me == {
        "subject": claims["sub"],
        "organization": "org-a",
        "roles": [Role.coordinator],
        "kind": PrincipalKind.client,
        "client_id": "org-a-coordinator",
    }
    admin = (await api.get("/me", auth=tokens.auth(None, "consortium-admin"))).json()
    assert (admin["organization"], admin["roles"]) == (None, ["consortium-admin"])


async def test_a_person_is_known_by_their_organization_and_roles(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    me = (await api.get("/me", auth=tokens.auth("org-b", "evaluator", person=True))).json()

    assert (me["organization"], me["roles"], me["kind"]) == ("org-b", ["evaluator"], "person")
    assert me["client_id"] == "multitrack-console"


async def test_a_disabled_client_gets_no_new_token_and_its_last_one_lasts_until_it_expires(
    api: httpx.AsyncClient, tokens: TokenSource
) -> None:
    partner = await tokens.new_client("org-b", "partner-system")
    held = await tokens.token_of(partner)
    assert (await api.get("/me", auth=bearer(held))).json()["organization"] == "org-b"

    await tokens.disable(partner)

    with pytest.raises(TokenRefused):
        await tokens.token_of(partner)
    # Verified locally, a token stays good until it expires (the realm's 300 s at most).
    assert (await api.get("/me", auth=bearer(held))).status_code == 200


async def test_an_unknown_key_id_fetches_the_keys_again_at_most_once_per_interval(
    keycloak: IdentityProvider, tokens: TokenSource
) -> None:
    fetched: list[str] = []
    now = [1000.0]

    async def count(request: httpx.Request) -> None:
        if request.url == keycloak.issuer.jwks_uri:
            fetched.append(str(request.url))

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
        config = OidcConfig(keycloak.issuer.url, jwks_min_refresh_seconds=10)
        verifier = TokenVerifier(config, http, clock=lambda: now[0])
        assert (await verifier.verify(await tokens.for_client())).organization == "org-a"
        assert len(fetched) == 1
        assert (await verifier.verify(await tokens.for_client("org-b", "evaluator"))).roles == {
            Role.evaluator
        }
        assert len(fetched) == 1  # cached

        with pytest.raises(Unauthenticated, match="key"):
            await verifier.verify(await tokens.forged(kid="made-up-0"))
        assert len(fetched) == 1  # the keys were fetched less than 10 s ago

        now[0] += 11
        for made_up in ("made-up-1", "made-up-2", "made-up-3"):
            with pytest.raises(Unauthenticated, match="key"):
                await verifier.verify(await tokens.forged(kid=made_up))
        assert len(fetched) == 2  # one fetch for the first unknown key, none for the others
        now[0] += 11
        assert (await verifier.verify(await tokens.for_client())).organization == "org-a"
        assert len(fetched) == 2  # a known key fetches nothing while the keys are fresh


async def test_keys_the_issuer_was_too_slow_to_give_at_start_are_fetched_again_within_a_second(
    keycloak: IdentityProvider, tokens: TokenSource
) -> None:
    now = [1000.0]
    calls: list[str] = []

    async def slow_at_first(request: httpx.Request) -> None:
        calls.append(str(request.url))
        if len(calls) == 1:
            raise httpx.ReadTimeout("the issuer is slow for a moment", request=request)

    async with httpx.AsyncClient(event_hooks={"request": [slow_at_first]}) as http:
        config = OidcConfig(keycloak.issuer.url, jwks_min_refresh_seconds=10)
        verifier = TokenVerifier(config, http, clock=lambda: now[0])
        await verifier.warm_up()
        token = await tokens.for_client()

        with pytest.raises(Unavailable):
            await verifier.verify(token)  # the failed fetch was just now: not tried again yet
        assert len(calls) == 1
        now[0] += 1.5
        assert (await verifier.verify(token)).organization == "org-a"  # not 10 s later


async def test_a_rotated_signing_key_is_fetched_when_a_token_first_names_it(
    keycloak: IdentityProvider, tokens: TokenSource
) -> None:
    verifier = TokenVerifier(OidcConfig(keycloak.issuer.url, jwks_min_refresh_seconds=0))
    before = await tokens.for_client()
    await verifier.verify(before)

    with keycloak.admin() as admin:
        rotated = admin.add_signing_key("rotation-test", priority=1000)
    try:
        tokens.forget()
        after = await tokens.for_client()
        assert jwt.get_unverified_header(after)["kid"] != jwt.get_unverified_header(before)["kid"]

        assert (await verifier.verify(after)).organization == "org-a"
        assert (await verifier.verify(before)).organization == "org-a"
    finally:
        with keycloak.admin() as admin:
            admin.remove_signing_key(rotated)
        tokens.forget()
        await verifier.close()


async def test_an_unreachable_identity_provider_answers_503_not_401(
    tmp_path: Path, tokens: TokenSource
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/realms/multitrack"
    verifier = TokenVerifier(OidcConfig(nowhere))
    with pytest.raises(Unavailable):
        await verifier.verify(await tokens.for_client())
    await verifier.close()

    app = create_app(offline_settings(MemosSettings, tmp_path, oidc_issuer=nowhere))
    async with running(app), client_of(app, auth=tokens.auth()) as api:
        response = await api.get("/memos")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "identity_provider_unavailable"
    assert response.headers["Retry-After"]


async def test_the_open_paths_answer_anyone_and_every_other_operation_needs_a_caller(
    memos: FastAPI, api: httpx.AsyncClient
) -> None:
    for path in ("/health/live", "/openapi.json", "/docs", "/events/asyncapi.json"):
        assert path in OPEN_PATHS
        assert (await api.get(path, auth=None)).status_code == 200, path
    assert unguarded_operations(memos) == []

    forgetful = APIRouter()

    @forgetful.get("/forgot", summary="Takes no caller")
    async def forgot() -> dict[str, str]:
        return {}

    @forgetful.get("/remembered", summary="Takes one")
    async def remembered(caller: CallerDep) -> dict[str, str]:
        return {}

    settings = offline_settings(MemosSettings, Path("unused"), oidc_issuer="http://idp.example")
    app = create_service_app(
        SERVICE.runtime(settings), title="t", description="d", routers=[forgetful]
    )
    assert unguarded_operations(app) == ["GET /forgot"]
    assert protected_operations(app) == sorted(
        ["GET /audit", "GET /forgot", "GET /remembered", *operations_calls()]
    )


def test_a_service_whose_operations_need_a_caller_refuses_to_start_without_an_issuer(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="MULTITRACK_OIDC_ISSUER"):
        create_app(offline_settings(MemosSettings, tmp_path))


async def test_the_api_documents_how_to_authorize_and_the_401_and_403_answers(
    memos: FastAPI, api: httpx.AsyncClient, keycloak: IdentityProvider
) -> None:
    spec = (await api.get("/openapi.json", auth=None)).json()

    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["bearer"]["description"],
    }
    flow = schemes["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == keycloak.issuer.token_endpoint
    listing = spec["paths"]["/memos"]["get"]
    assert listing["security"] == [{"bearer": []}, {"oauth2": []}]
    assert {"401", "403"} <= set(listing["responses"])
    assert {"401", "403", "404", "422"} <= set(
        spec["paths"]["/memos/{memo_id}"]["get"]["responses"]
    )
    assert "security" not in spec["paths"]["/health/live"]["get"]
    contact = spec["components"]["schemas"]["MemoPublic"]["properties"]["contact_name"]
    assert contact["x-personal"] is True


async def test_a_service_stopped_and_started_again_verifies_tokens_again(
    tmp_path: Path, keycloak: IdentityProvider, tokens: TokenSource
) -> None:
    app = create_app(offline_settings(MemosSettings, tmp_path, oidc_issuer=keycloak.issuer.url))
    for _ in range(2):
        async with running(app), client_of(app, auth=tokens.auth()) as api:
            assert (await api.get("/me")).json()["organization"] == "org-a"
