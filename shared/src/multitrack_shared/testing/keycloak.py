"""The identity provider for tests, found in this order.

1. ``MULTITRACK_OIDC_ISSUER`` is set: that realm is used as it is; ``KEYCLOAK_ADMIN`` and
   ``KEYCLOAK_ADMIN_PASSWORD`` name an admin of its server's master realm.
2. Otherwise ``deploy/keycloak/keycloak.sh`` starts Keycloak on a free port with its own data
   directory, importing the multitrack realm, and stops it afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from multitrack_shared.testing.keycloak_admin import Issuer, KeycloakAdmin
from multitrack_shared.testing.paths import free_port, read_env_file, repo_root

SCRIPT = "deploy/keycloak/keycloak.sh"


@dataclass(frozen=True)
class IdentityProvider:
    issuer: Issuer
    admin_username: str
    admin_password: str

    def admin(self) -> KeycloakAdmin:
        return KeycloakAdmin(self.issuer, self.admin_username, self.admin_password)


@contextmanager
def provide_keycloak() -> Iterator[IdentityProvider]:
    external = os.environ.get("MULTITRACK_OIDC_ISSUER")
    if external:
        yield IdentityProvider(
            Issuer(external.rstrip("/")),
            os.environ.get("KEYCLOAK_ADMIN", "admin"),
            os.environ["KEYCLOAK_ADMIN_PASSWORD"],
        )
        return
    with _script_keycloak() as provider:
        yield provider


@contextmanager
def _script_keycloak() -> Iterator[IdentityProvider]:
    data_dir = Path(tempfile.mkdtemp(prefix="multitrack-keycloak-"))
    env = {**os.environ, "KEYCLOAK_PORT": str(free_port()), "KEYCLOAK_DATA_DIR": str(data_dir)}
    for inherited in ("MULTITRACK_OIDC_ISSUER", "KEYCLOAK_ADMIN", "KEYCLOAK_ADMIN_PASSWORD"):
        env.pop(inherited, None)

    def script(verb: str) -> str:
        done = subprocess.run(
            [str(repo_root() / SCRIPT), verb],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    try:
        issuer = script("start")
        admin = read_env_file(data_dir / "admin.env")
        yield IdentityProvider(
            Issuer(issuer), admin["KEYCLOAK_ADMIN"], admin["KEYCLOAK_ADMIN_PASSWORD"]
        )
    finally:
        script("stop")
        shutil.rmtree(data_dir, ignore_errors=True)
