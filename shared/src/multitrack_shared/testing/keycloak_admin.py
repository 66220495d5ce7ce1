"""The few Keycloak admin REST calls that set up a consortium, each safe to repeat.

Calls authenticate as an admin of the master realm (``admin-cli``, password grant), asking for
a fresh token shortly before the last one expires.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx


def new_secret() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Issuer:
    """An OpenID issuer of Keycloak: ``<base_url>/realms/<realm>``."""

    url: str

    @property
    def base_url(self) -> str:
        return self.url.rsplit("/realms/", 1)[0]

    @property
    def realm(self) -> str:
        return self.url.rsplit("/realms/", 1)[1]

    @property
    def token_endpoint(self) -> str:
        return f"{self.url}/protocol/openid-connect/token"

    @property
    def jwks_uri(self) -> str:
        return f"{self.url}/protocol/openid-connect/certs"


class _MasterAdminAuth(httpx.Auth):
    def __init__(self, base_url: str, username: str, password: str) -> None:
        self._token_url = f"{base_url}/realms/master/protocol/openid-connect/token"
        self._form = {
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": username,
            "password": password,
        }
        self._token = ""
        self._renew_at = 0.0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if time.monotonic() >= self._renew_at:
            granted = httpx.post(self._token_url, data=self._form, timeout=10)
            granted.raise_for_status()
            body = granted.json()
            self._token = body["access_token"]
            self._renew_at = time.monotonic() + max(float(body["expires_in"]) - 15, 1)
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class KeycloakAdmin:
    """Organizations, confidential service clients and people of one realm."""

    def __init__(self, issuer: Issuer, username: str, password: str) -> None:
        self.issuer = issuer
        self._http = httpx.Client(
            base_url=f"{issuer.base_url}/admin/realms/{issuer.realm}",
            auth=_MasterAdminAuth(issuer.base_url, username, password),
            timeout=15,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KeycloakAdmin:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, path: str, ok: Sequence[int] = (), **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code in ok:
            return None
        if response.is_error:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def realm(self) -> dict[str, Any]:
        """The realm's settings, and with them its realm roles."""
        settings: dict[str, Any] = self._call("GET", "")
        settings["roles"] = {"realm": self._call("GET", "/roles")}
        return settings

    # ------------------------------------------------------------------ signing keys

    def add_signing_key(self, name: str, priority: int) -> str:
        """A new RSA signing key; the realm signs with it when its priority is the highest."""
        self._call(
            "POST",
            "/components",
            json={
                "name": name,
                "providerId": "rsa-generated",
                "providerType": "org.keycloak.keys.KeyProvider",
                "parentId": self._call("GET", "")["id"],
                "config": {
                    "priority": [str(priority)],
                    "enabled": ["true"],
                    "active": ["true"],
                    "keySize": ["2048"],
                    "algorithm": ["RS256"],
                },
            },
        )
        found = self._call("GET", "/components", params={"name": name})
        return str(found[0]["id"])

    def remove_signing_key(self, component_id: str) -> None:
        self._call("DELETE", f"/components/{component_id}")

    # ------------------------------------------------------------------ organizations

    def organization_id(self, alias: str) -> str | None:
        # A consortium has tens of members: reading them all is simpler than searching.
        found = self._call("GET", "/organizations", params={"first": 0, "max": 10000})
        return next((org["id"] for org in found if org["alias"] == alias), None)

    def ensure_organization(self, alias: str, name: str, domain: str) -> str:
        """The organization's id; created, enabled, with its e-mail domain, when missing."""
        existing = self.organization_id(alias)
        if existing is not None:
            return existing
        self._call(
            "POST",
            "/organizations",
            json={"alias": alias, "name": name, "enabled": True, "domains": [{"name": domain}]},
        )
        created = self.organization_id(alias)
        if created is None:
            raise RuntimeError(f"organization {alias} was not created")
        return created

    def add_member(self, organization_alias: str, user_id: str) -> None:
        org = self.organization_id(organization_alias)
        if org is None:
            raise LookupError(f"no organization {organization_alias}")
        # 409: a member already
        self._call(
            "POST",
            f"/organizations/{org}/members",
            ok=(409,),
            content=f'"{user_id}"',
            headers={"Content-Type": "application/json"},
        )

    # ------------------------------------------------------------------ roles

    def grant_realm_roles(self, user_id: str, roles: Sequence[str]) -> None:
        wanted = [self._call("GET", f"/roles/{role}") for role in roles]
        self._call("POST", f"/users/{user_id}/role-mappings/realm", json=wanted)

    # ------------------------------------------------------------------ clients

    def client(self, client_id: str) -> dict[str, Any] | None:
        found = self._call("GET", "/clients", params={"clientId": client_id})
        return found[0] if found else None

    def _ensure_client(self, representation: dict[str, Any]) -> dict[str, Any]:
        existing = self.client(representation["clientId"])
        if existing is None:
            self._call("POST", "/clients", json=representation)
        else:
            self._call("PUT", f"/clients/{existing['id']}", json={**existing, **representation})
        found = self.client(representation["clientId"])
        assert found is not None
        return found

    def ensure_service_client(
        self,
        client_id: str,
        organization: str | None,
        roles: Sequence[str],
        description: str,
        *,
        token_lifespan_seconds: int | None = None,
    ) -> str:
        """A confidential client-credentials client acting for ``organization``; its secret.

        Its service account user is a member of the organization (the ``organization`` claim)
        and holds ``roles`` (the ``roles`` claim). An existing client keeps its secret. Its
        tokens live as the realm says, or ``token_lifespan_seconds``.
        """
        lifespan = (
            {}
            if token_lifespan_seconds is None
            else {"attributes": {"access.token.lifespan": str(token_lifespan_seconds)}}
        )
        client = self._ensure_client(
            {
                "clientId": client_id,
                "description": description,
                "enabled": True,
                "protocol": "openid-connect",
                "publicClient": False,
                "clientAuthenticatorType": "client-secret",
                "serviceAccountsEnabled": True,
                "standardFlowEnabled": False,
                "implicitFlowEnabled": False,
                "directAccessGrantsEnabled": False,
                # Only the platform roles mapped to the "multitrack" scope reach the token.
                "fullScopeAllowed": False,
                **lifespan,
            }
        )
        account = self._call("GET", f"/clients/{client['id']}/service-account-user")
        if organization is not None:
            self.add_member(organization, account["id"])
        self.grant_realm_roles(account["id"], roles)
        secret = self._call("GET", f"/clients/{client['id']}/client-secret")
        return str(secret["value"])

    def ensure_public_client(
        self, client_id: str, root_url: str, *, direct_access_grants: bool
    ) -> None:
        """A browser client (code flow with PKCE) for people; password grant only if asked.

        An existing client keeps the addresses it was allowed (``allow_redirects_to``): test
        runs sharing an identity provider provision it again while another's console runs."""
        self._ensure_client(
            {
                "clientId": client_id,
                "enabled": True,
                "protocol": "openid-connect",
                "publicClient": True,
                "rootUrl": root_url,
                "standardFlowEnabled": True,
                "implicitFlowEnabled": False,
                "directAccessGrantsEnabled": direct_access_grants,
                "serviceAccountsEnabled": False,
                "fullScopeAllowed": False,
                # "+": after signing out, back to any of the redirect URIs' addresses.
                "attributes": {
                    "pkce.code.challenge.method": "S256",
                    "post.logout.redirect.uris": "+",
                },
            }
        )
        self.allow_redirects_to(client_id, root_url)

    def allow_redirects_to(self, client_id: str, root_url: str) -> None:
        """A browser client may also send people back to ``root_url`` (another console, as a
        test runs one on a free port), keeping the addresses it had."""
        client = self.client(client_id)
        if client is None:
            raise LookupError(f"no client {client_id}")
        wanted = f"{root_url}/*"
        if wanted in client.get("redirectUris", []):
            return
        client["redirectUris"] = [*client.get("redirectUris", []), wanted]
        client["webOrigins"] = [*client.get("webOrigins", []), root_url]
        self._call("PUT", f"/clients/{client['id']}", json=client)

    def remove_default_scope(self, client_id: str, scope_name: str) -> None:
        """The client's tokens no longer carry what ``scope_name`` maps (its claims, audience)."""
        client = self.client(client_id)
        if client is None:
            raise LookupError(f"no client {client_id}")
        attached = self._call("GET", f"/clients/{client['id']}/default-client-scopes")
        for scope in attached:
            if scope["name"] == scope_name:
                self._call("DELETE", f"/clients/{client['id']}/default-client-scopes/{scope['id']}")

    def set_client_enabled(self, client_id: str, enabled: bool) -> None:
        client = self.client(client_id)
        if client is None:
            raise LookupError(f"no client {client_id}")
        self._call("PUT", f"/clients/{client['id']}", json={**client, "enabled": enabled})

    # ------------------------------------------------------------------ people

    def ensure_user(
        self,
        username: str,
        password: str,
        *,
        email: str,
        first_name: str,
        last_name: str,
        organization: str | None,
        roles: Sequence[str],
    ) -> None:
        """A person who signs in with ``password`` (set anew on every call)."""
        profile = {
            "username": username,
            "email": email,
            "emailVerified": True,
            "firstName": first_name,
            "lastName": last_name,
            "enabled": True,
            "requiredActions": [],
        }
        found = self._call("GET", "/users", params={"username": username, "exact": "true"})
        if found:
            user_id = found[0]["id"]
            self._call("PUT", f"/users/{user_id}", json=profile)
        else:
            self._call("POST", "/users", json=profile)
            user_id = self._call("GET", "/users", params={"username": username, "exact": "true"})[
                0
            ]["id"]
        self._call(
            "PUT",
            f"/users/{user_id}/reset-password",
            json={"type": "password", "value": password, "temporary": False},
        )
        if organization is not None:
            self.add_member(organization, user_id)
        self.grant_realm_roles(user_id, roles)
