"""What the command line reads from the environment (``MULTITRACK_CLI_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = ("invitations", "engagements", "partners", "evaluation")


class CliSettings(BaseSettings):
    """Where the platform is and whose credentials the operator uses.

    The credentials file is the one ``make run`` writes: the consortium admin's client (for
    the services' operations endpoints) and the broker's ``operator`` principal (``kafka``),
    which reads every topic and writes none.
    """

    model_config = SettingsConfigDict(env_prefix="MULTITRACK_CLI_", extra="ignore")

    credentials: Path = Field(
        default=Path("var/credentials.json"),
        description="The credentials file: the consortium admin's client and the broker's "
        "operator login (its `kafka` entry).",
    )
    admin_client: str = Field(
        default="consortium-admin",
        description="The client id, in the credentials file, whose token calls the services.",
    )
    invitations_url: str = Field(
        default="http://127.0.0.1:8001", description="The invitations service's base URL."
    )
    engagements_url: str = Field(
        default="http://127.0.0.1:8002", description="The engagements service's base URL."
    )
    partners_url: str = Field(
        default="http://127.0.0.1:8003", description="The partners service's base URL."
    )
    evaluation_url: str = Field(
        default="http://127.0.0.1:8004", description="The evaluation service's base URL."
    )
    topic_namespace: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9-]{0,64}$",
        validation_alias=AliasChoices(
            "MULTITRACK_CLI_TOPIC_NAMESPACE", "MULTITRACK_TOPIC_NAMESPACE", "topic_namespace"
        ),
        description="The platform's topic namespace, as its services have it.",
    )
    kafka_bootstrap_servers: str = Field(
        default="",
        description="The brokers; empty: those of the credentials file's `kafka` entry.",
    )
    http_timeout_seconds: float = Field(
        default=30, gt=0, description="Longest wait for one answer of a service."
    )

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")
