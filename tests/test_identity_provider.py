"""The identity provider the project runs: Keycloak from ``deploy/keycloak/keycloak.sh`` with
the multitrack realm imported and the demo consortium provisioned through its admin API.

Every token is verified as a service will verify it: signature against the realm's JWKS,
issuer, audience ``multitrack``, expiry; then its claims are read.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from multitrack_shared.testing.consortium import (
    CONSOLE_CLIENT_ID,
    ROLES,
    ClientCredentials,
    Consortium,
    KafkaAccess,
    add_service_client,
    provision_demo,
)
from multitrack_shared.testing.keycloak import SCRIPT, IdentityProvider
from multitrack_shared.testing.paths import free_port, repo_root

AUDIENCE = "multitrack"


def verified_claims(keycloak: IdentityProvider, token: str) -> dict[str, Any]:
    key = jwt.PyJWKClient(keycloak.issuer.jwks_uri).get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        audience=AUDIENCE,
        issuer=keycloak.issuer.url,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )
    return claims


def client_credentials(keycloak: IdentityProvider, client: ClientCredentials) -> httpx.Response:
    return httpx.post(
        keycloak.issuer.token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, client.client_secret),
        timeout=10,
    )


def password_grant(keycloak: IdentityProvider, username: str, password: str) -> httpx.Response:
    return httpx.post(
        keycloak.issuer.token_endpoint,
        data={
            "grant_type": "password",
            "client_id": CONSOLE_CLIENT_ID,
            "username": username,
            "password": password,
        },
        timeout=10,
    )


def access_token(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def test_the_realm_is_imported_with_organizations_the_platform_roles_and_short_tokens(
    keycloak: IdentityProvider,
) -> None:
    discovery = httpx.get(f"{keycloak.issuer.url}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == keycloak.issuer.url
    assert discovery["token_endpoint"] == keycloak.issuer.token_endpoint
    assert discovery["jwks_uri"] == keycloak.issuer.jwks_uri
    with keycloak.admin() as admin:
        realm = admin.realm()
    assert realm["organizationsEnabled"] is True
    assert realm["accessTokenLifespan"] == 300
    assert set(ROLES) <= {role["name"] for role in realm["roles"]["realm"]}


def test_a_coordinator_client_gets_a_token_naming_its_organization_role_and_the_audience(
    keycloak: IdentityProvider, consortium: Consortium
) -> None:
    coordinator = consortium.client("org-a", "coordinator")

    claims = verified_claims(keycloak, access_token(client_credentials(keycloak, coordinator)))

    assert claims["organization"] == ["org-a"]
    assert claims["roles"] == ["coordinator"]
    assert claims["azp"] == coordinator.client_id
    assert claims["exp"] - claims["iat"] == 300


def test_every_demo_client_carries_only_its_own_organization_and_role(
    keycloak: IdentityProvider, consortium: Consortium
) -> None:
    seen = set()
    for client in consortium.clients:
        claims = verified_claims(keycloak, access_token(client_credentials(keycloak, client)))
        expected = [client.organization] if client.organization else None
        assert claims.get("organization") == expected, client.client_id
        assert claims["roles"] == client.roles, client.client_id
        seen.add((client.organization, *client.roles))
    assert {("org-a", "evaluator"), ("org-b", "partner-system"), (None, "consortium-admin")} <= seen


def test_a_token_of_another_realm_fails_verification(keycloak: IdentityProvider) -> None:
    master = httpx.post(
        f"{keycloak.issuer.base_url}/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": keycloak.admin_username,
            "password": keycloak.admin_password,
        },
    )
    with pytest.raises(jwt.PyJWTError):
        verified_claims(keycloak, access_token(master))


def test_a_wrong_secret_gets_no_token(keycloak: IdentityProvider, consortium: Consortium) -> None:
    coordinator = consortium.client("org-b", "coordinator")
    wrong = ClientCredentials(coordinator.client_id, "not-the-secret", "org-b", ["coordinator"])

    refused = client_credentials(keycloak, wrong)

    assert refused.status_code == 401
    assert refused.json()["error"] == "unauthorized_client"


def test_a_partner_system_added_later_gets_tokens_until_it_is_disabled(
    keycloak: IdentityProvider, consortium: Consortium
) -> None:
    with keycloak.admin() as admin:
        partner = add_service_client(
            admin, f"org-b-partner-{uuid.uuid4().hex[:6]}", "org-b", "partner-system"
        )
        claims = verified_claims(keycloak, access_token(client_credentials(keycloak, partner)))
        assert (claims["organization"], claims["roles"]) == (["org-b"], ["partner-system"])

        admin.set_client_enabled(partner.client_id, False)

    refused = client_credentials(keycloak, partner)
    assert refused.status_code in (400, 401)
    assert refused.json()["error"] in ("invalid_client", "unauthorized_client")
    assert "access_token" not in refused.json()


def test_each_person_signs_in_with_a_password_and_carries_their_role(
    keycloak: IdentityProvider, consortium: Consortium
) -> None:
    assert {role for user in consortium.users for role in user.roles} == set(ROLES) - {
        "partner-system"
    }
    for user in consortium.users:
        token = access_token(password_grant(keycloak, user.username, user.password))
        claims = verified_claims(keycloak, token)
        assert claims["preferred_username"] == user.username
        assert claims["roles"] == user.roles
        expected = [user.organization] if user.organization else None
        assert claims.get("organization") == expected, user.username


def test_a_wrong_password_gets_no_token(keycloak: IdentityProvider, consortium: Consortium) -> None:
    person = consortium.user("org-a", "evaluator")

    refused = password_grant(keycloak, person.username, person.password + "x")

    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_grant"


def test_provisioning_again_keeps_every_credential_and_writes_the_file(
    keycloak: IdentityProvider, consortium: Consortium, tmp_path: Path
) -> None:
    with keycloak.admin() as admin:
        again = provision_demo(admin, known=consortium)
    assert again == consortium

    path = tmp_path / "var" / "credentials.json"
    kafka = KafkaAccess("127.0.0.1:9092", "SASL_PLAINTEXT", "SCRAM-SHA-512", "operator", "pw")
    again.write(path, kafka)

    document = json.loads(path.read_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert document["issuer"] == keycloak.issuer.url
    assert document["token_endpoint"] == keycloak.issuer.token_endpoint
    assert {tuple(sorted(c)) for c in document["clients"]} == {
        ("client_id", "client_secret", "organization", "roles")
    }
    assert {tuple(sorted(u)) for u in document["users"]} == {
        ("organization", "password", "roles", "username")
    }
    assert document["kafka"] == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "username": "operator",
        "password": "pw",
    }
    assert Consortium.read(path) == again


def test_the_script_starts_nothing_when_an_identity_provider_is_given(tmp_path: Path) -> None:
    given = "https://id.example.org/realms/multitrack"
    env = {
        **os.environ,
        "MULTITRACK_OIDC_ISSUER": f"{given}/",
        "KEYCLOAK_PORT": str(free_port()),
        "KEYCLOAK_DATA_DIR": str(tmp_path / "keycloak"),
    }

    started = subprocess.run(
        [str(repo_root() / SCRIPT), "start"], env=env, capture_output=True, text=True, check=True
    )

    assert started.stdout.splitlines()[-1] == given
    assert not (tmp_path / "keycloak").exists()
