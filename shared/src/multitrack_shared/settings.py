"""One settings loader for every service: environment variables prefixed ``MULTITRACK_``."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "MULTITRACK_"


class ServiceSettings(BaseSettings):
    """Settings every service reads; a service subclasses it only to set its name.

    Each process runs one service, so one prefix is enough: ``MULTITRACK_DATABASE_URL`` of the
    invitations process is that service's database and no other's.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", populate_by_name=True)

    service_name: str = Field(description="Name of the service; also its consumer group.")
    database_url: str = Field(
        default="",
        description="SQLAlchemy async URL. Empty means an SQLite file var/<service>.db.",
    )
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices(
            "MULTITRACK_KAFKA_BOOTSTRAP_SERVERS",
            "KAFKA_BOOTSTRAP_SERVERS",
            "kafka_bootstrap_servers",
        ),
        description="Comma-separated host:port list of the Kafka brokers.",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT"] = Field(
        default="PLAINTEXT",
        description="PLAINTEXT: no authentication (a local broker started with "
        "KAFKA_SECURITY=plaintext). SASL_PLAINTEXT: the service logs in as its own principal "
        "with kafka_username and kafka_password, and the broker's ACLs decide what it may do.",
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = Field(
        default="SCRAM-SHA-512", description="SASL mechanism, used with SASL_PLAINTEXT."
    )
    kafka_username: str = Field(
        default="", description="The service's Kafka principal, used with SASL_PLAINTEXT."
    )
    kafka_password: SecretStr = Field(
        default=SecretStr(""), description="The principal's password, used with SASL_PLAINTEXT."
    )
    topic_prefix: str = Field(
        default="",
        description="Prepended to every topic and consumer group, so that several platforms "
        "(test runs, staging) can share one broker without seeing each other's events.",
    )
    topic_replication_factor: int = Field(default=1, ge=1)
    max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, description="Largest request body accepted, in bytes."
    )
    relay_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often the outbox relay looks for rows nobody woke it for "
        "(left by a crash or a broker outage).",
    )
    consumer_max_attempts: int = Field(default=5, ge=1)
    consumer_retry_backoff_seconds: float = Field(default=0.2, ge=0)
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> ServiceSettings:
        if self.kafka_security_protocol == "SASL_PLAINTEXT" and not (
            self.kafka_username and self.kafka_password.get_secret_value()
        ):
            raise ValueError("SASL_PLAINTEXT needs kafka_username and kafka_password")
        return self

    @model_validator(mode="after")
    def _default_database(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///var/{self.service_name}.db"
        return self

    @property
    def consumer_group(self) -> str:
        return f"{self.topic_prefix}{self.service_name}"

    @property
    def event_source(self) -> str:
        """The CloudEvents ``source`` of everything this service publishes."""
        return f"/multitrack/{self.service_name}"
