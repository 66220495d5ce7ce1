"""A demo consortium in the multitrack realm, and the credentials file that lists its actors.

Every member organization gets a coordinator, an evaluator and a partner-system client
(confidential, client credentials, their service accounts members of the organization), and a
coordinator and an evaluator person; the consortium gets an admin client, an admin person and
an observer person. Running it again reuses what exists: clients keep their secrets, people
keep the passwords the previous credentials file lists (others get new ones), and the file is
written anew.

    python -m multitrack_shared.testing.consortium demo --out var/credentials.json \\
        --admin-env <keycloak data dir>/admin.env [--kafka-bootstrap 127.0.0.1:9092 \\
        --kafka-credentials <broker data dir>/credentials.env]
    python -m multitrack_shared.testing.consortium member org-c "Cedar Mediation Trust"
    python -m multitrack_shared.testing.consortium client org-c-partner-system \\
        --organization org-c --role partner-system

The issuer is ``--issuer``, else ``MULTITRACK_OIDC_ISSUER``, else the local Keycloak's; the
master-realm admin comes from ``--admin-env`` or ``KEYCLOAK_ADMIN``/``KEYCLOAK_ADMIN_PASSWORD``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from multitrack_shared.testing.keycloak_admin import Issuer, KeycloakAdmin, new_secret
from multitrack_shared.testing.paths import read_env_file

ROLES = ("consortium-admin", "coordinator", "evaluator", "partner-system", "observer")
CONSOLE_CLIENT_ID = "multitrack-console"
"""The public client people sign in with (code flow; password grant in the demo only)."""
LOCAL_ISSUER = "http://127.0.0.1:8180/realms/multitrack"
CONSOLE_URL = "http://127.0.0.1:8080"
"""Where ``make run`` serves the console (``services/console``)."""


@dataclass(frozen=True)
class Member:
    alias: str
    name: str

    @property
    def domain(self) -> str:
        return f"{self.alias}.example"


DEMO_MEMBERS = (Member("org-a", "Alder Peace Network"), Member("org-b", "Birchwood Dialogue Forum"))


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str
    organization: str | None
    roles: list[str]


@dataclass(frozen=True)
class UserCredentials:
    username: str
    password: str
    organization: str | None
    roles: list[str]


@dataclass(frozen=True)
class KafkaAccess:
    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    username: str | None = None
    password: str | None = None


@dataclass
class Consortium:
    issuer: Issuer
    clients: list[ClientCredentials] = field(default_factory=list)
    users: list[UserCredentials] = field(default_factory=list)

    def client(self, organization: str | None, role: str) -> ClientCredentials:
        return next(c for c in self.clients if c.organization == organization and role in c.roles)

    def user(self, organization: str | None, role: str) -> UserCredentials:
        return next(u for u in self.users if u.organization == organization and role in u.roles)

    def document(self, kafka: KafkaAccess | None = None) -> dict[str, Any]:
        document: dict[str, Any] = {
            "issuer": self.issuer.url,
            "token_endpoint": self.issuer.token_endpoint,
            "clients": [asdict(c) for c in self.clients],
            "users": [asdict(u) for u in self.users],
        }
        if kafka is not None:
            document["kafka"] = asdict(kafka)
        return document

    def write(self, path: Path, kafka: KafkaAccess | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)  # secrets: an older file may have been readable by others
        path.write_text(json.dumps(self.document(kafka), indent=2) + "\n")

    @classmethod
    def read(cls, path: Path) -> Consortium:
        document = json.loads(path.read_text())
        return cls(
            Issuer(document["issuer"]),
            [ClientCredentials(**c) for c in document["clients"]],
            [UserCredentials(**u) for u in document["users"]],
        )

    def password_of(self, username: str) -> str | None:
        return next((u.password for u in self.users if u.username == username), None)


def add_member(admin: KeycloakAdmin, member: Member) -> None:
    admin.ensure_organization(member.alias, member.name, member.domain)


def add_service_client(
    admin: KeycloakAdmin, client_id: str, organization: str | None, role: str
) -> ClientCredentials:
    acting_for = organization or "the consortium"
    secret = admin.ensure_service_client(
        client_id, organization, [role], f"{role} system acting for {acting_for}"
    )
    return ClientCredentials(client_id, secret, organization, [role])


def add_person(
    admin: KeycloakAdmin,
    username: str,
    organization: str | None,
    role: str,
    display: str,
    password: str | None = None,
) -> UserCredentials:
    password = password or new_secret()
    admin.ensure_user(
        username,
        password,
        email=f"{username}@{organization or 'consortium'}.example",
        first_name=role.replace("-", " ").capitalize(),
        last_name=display,
        organization=organization,
        roles=[role],
    )
    return UserCredentials(username, password, organization, [role])


def provision_demo(
    admin: KeycloakAdmin,
    members: tuple[Member, ...] = DEMO_MEMBERS,
    console_url: str = CONSOLE_URL,
    known: Consortium | None = None,
) -> Consortium:
    """The demo consortium; people listed in ``known`` keep their passwords."""
    consortium = Consortium(admin.issuer)
    previous = known or Consortium(admin.issuer)

    def client(client_id: str, organization: str | None, role: str) -> None:
        consortium.clients.append(add_service_client(admin, client_id, organization, role))

    def person(username: str, organization: str | None, role: str, display: str) -> None:
        password = previous.password_of(username)
        consortium.users.append(add_person(admin, username, organization, role, display, password))

    # Password grant for the demo people, so that scripts and tests can act as them.
    admin.ensure_public_client(CONSOLE_CLIENT_ID, console_url, direct_access_grants=True)
    client("consortium-admin", None, "consortium-admin")
    person("consortium.admin", None, "consortium-admin", "Consortium")
    person("consortium.observer", None, "observer", "Consortium")
    for member in members:
        add_member(admin, member)
        for role in ("coordinator", "evaluator", "partner-system"):
            client(f"{member.alias}-{role}", member.alias, role)
        for role in ("coordinator", "evaluator"):
            person(f"{member.alias}.{role}", member.alias, role, member.name)
    return consortium


def kafka_access(bootstrap: str, passwords: Mapping[str, str], principal: str) -> KafkaAccess:
    """The broker as ``principal`` sees it: SCRAM when ``passwords`` (``KAFKA_PASSWORD_<P>``
    entries, as broker.sh writes them) hold its password, an open broker otherwise."""
    password = passwords.get(f"KAFKA_PASSWORD_{principal.upper().replace('-', '_')}")
    if not password:
        return KafkaAccess(bootstrap)
    return KafkaAccess(bootstrap, "SASL_PLAINTEXT", "SCRAM-SHA-512", principal, password)


def _admin(args: argparse.Namespace) -> KeycloakAdmin:
    admin_env = read_env_file(args.admin_env) if args.admin_env else dict(os.environ)
    issuer = args.issuer or os.environ.get("MULTITRACK_OIDC_ISSUER") or LOCAL_ISSUER
    return KeycloakAdmin(
        Issuer(issuer.rstrip("/")),
        admin_env.get("KEYCLOAK_ADMIN", "admin"),
        admin_env["KEYCLOAK_ADMIN_PASSWORD"],
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issuer", help="issuer URL of the realm")
    parser.add_argument("--admin-env", type=Path, help="keycloak.sh's admin.env")
    verbs = parser.add_subparsers(dest="verb", required=True)
    demo = verbs.add_parser("demo", help="the demo consortium, and its credentials file")
    demo.add_argument("--out", type=Path, default=Path("var/credentials.json"))
    demo.add_argument("--console-url", default=CONSOLE_URL)
    demo.add_argument("--kafka-bootstrap", help="written to the file's kafka section")
    demo.add_argument(
        "--kafka-credentials",
        type=Path,
        help="broker.sh's credentials.env; without it, KAFKA_PASSWORD_<PRINCIPAL> in the "
        "environment; with neither, the broker is written as open (PLAINTEXT)",
    )
    demo.add_argument("--kafka-principal", default="operator")
    member = verbs.add_parser("member", help="admit a member organization")
    member.add_argument("alias")
    member.add_argument("name")
    client = verbs.add_parser("client", help="a service client; prints its secret")
    client.add_argument("client_id")
    client.add_argument("--organization")
    client.add_argument("--role", choices=ROLES, required=True)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    with _admin(args) as admin:
        if args.verb == "member":
            add_member(admin, Member(args.alias, args.name))
        elif args.verb == "client":
            print(
                add_service_client(
                    admin, args.client_id, args.organization, args.role
                ).client_secret
            )
        else:
            previous = Consortium.read(args.out) if args.out.is_file() else None
            if previous is not None and previous.issuer != admin.issuer:
                previous = None  # another identity provider: its people are not these
            consortium = provision_demo(admin, console_url=args.console_url, known=previous)
            kafka = None
            if args.kafka_bootstrap:
                passwords = (
                    read_env_file(args.kafka_credentials)
                    if args.kafka_credentials
                    else dict(os.environ)
                )
                kafka = kafka_access(args.kafka_bootstrap, passwords, args.kafka_principal)
            consortium.write(args.out, kafka)
            print(
                f"credentials of {len(consortium.clients)} clients and "
                f"{len(consortium.users)} people in {args.out}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
