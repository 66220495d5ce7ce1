"""One settings loader for every service: environment variables prefixed ``MULTITRACK_``."""

from __future__ import annotations

from typing import Literal

from limits import parse_many
from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from multitrack_shared.messaging.topics import in_namespace

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
    topic_namespace: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9-]{0,64}$",
        description="Appended, after a dot, to every topic and consumer group name, so that "
        "several platforms (test runs, staging) can share one broker without seeing each "
        "other's events; the broker's ACLs cover every namespace (letters, digits, '-').",
    )
    topic_replication_factor: int = Field(
        default=1, ge=1, description="Replicas of each partition of the topics it creates."
    )
    topic_retention_hours: float = Field(
        default=168,
        gt=0,
        description="How long the broker keeps events of the topics this platform creates "
        "(their retention.ms); topics that already exist keep theirs.",
    )
    max_body_bytes: int = Field(
        default=256 * 1024, ge=1024, description="Largest request body accepted, in bytes."
    )
    relay_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often the outbox relay looks for rows nobody woke it for "
        "(left by a crash or a broker outage).",
    )
    relay_max_backoff_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Longest wait of the outbox relay between two attempts while the broker "
        "or the database fails; the wait doubles from half a second up to this.",
    )
    outbox_retention_hours: float = Field(
        default=168,
        gt=0,
        description="Sent outbox rows are deleted this long after they were sent; unsent and "
        "parked rows are kept.",
    )
    inbox_retention_hours: float = Field(
        default=720,
        gt=0,
        description="Applied event ids are kept this long, so that a redelivery is recognised; "
        "at least topic_retention_hours, since a consumer may read a topic again from its start.",
    )
    prune_interval_seconds: float = Field(
        default=3600,
        gt=0,
        description="How often sent outbox rows and inbox ids past their retention are deleted.",
    )
    consumer_max_attempts: int = Field(
        default=5, ge=1, description="Tries of an event's handler before it is dead-lettered."
    )
    consumer_retry_backoff_seconds: float = Field(
        default=0.2, ge=0, description="First wait between two tries of a handler; it doubles."
    )
    consumer_stall_seconds: float = Field(
        default=120,
        gt=0,
        description="A consumed partition with lag that has had no event applied for this "
        "long is stalled, and the service reports its consumer degraded (/health, metrics).",
    )
    health_probe_seconds: float = Field(
        default=5,
        gt=0,
        description="How often the broker is probed and the outbox backlog counted for /health "
        "and /metrics.",
    )
    shutdown_seconds: float = Field(
        default=15,
        gt=0,
        description="On SIGTERM, once the HTTP requests in flight are answered: the longest "
        "wait for the event handler in flight, its offset commit and the outbox relay's last "
        "sends before the rest is abandoned (nothing is lost: it is redone at the next start).",
    )
    oidc_issuer: str = Field(
        default="",
        description="Issuer of the bearer tokens the service accepts: an OpenID Connect "
        "provider (the Keycloak realm, e.g. http://127.0.0.1:8180/realms/multitrack), exactly "
        "as tokens name it in `iss`. Required by a service whose routes need a caller; its "
        "discovery document gives the signing keys.",
    )
    oidc_audience: str = Field(
        default="multitrack", description="What a token's `aud` must contain."
    )
    oidc_jwks_url: str = Field(
        default="", description="The issuer's signing keys; empty: from its discovery document."
    )
    oidc_token_url: str = Field(
        default="",
        description="Where /docs asks for a client-credentials token; empty: the Keycloak "
        "layout, <issuer>/protocol/openid-connect/token.",
    )
    oidc_jwks_cache_seconds: float = Field(
        default=300, gt=0, description="How long fetched signing keys are used before a fetch."
    )
    oidc_jwks_min_refresh_seconds: float = Field(
        default=10,
        ge=0,
        description="Least time between two fetches of the signing keys when tokens name a "
        "key not cached (a rotation, or a forgery).",
    )
    oidc_leeway_seconds: float = Field(
        default=10, ge=0, le=300, description="Clock skew allowed when checking expiry."
    )
    idempotency_hours: float = Field(
        default=24,
        gt=0,
        description="How long the answer to a POST or PUT sent with an Idempotency-Key is kept "
        "for its retries; expired keys are pruned with the outbox and inbox.",
    )
    rate_limit_client: str = Field(
        default="600/minute",
        description="Requests one client (or person) may make to this service, e.g. "
        "'600/minute' or '20/second;600/minute'; empty: no limit. Health, metrics and the "
        "documentation are never limited.",
    )
    rate_limit_organization: str = Field(
        default="3000/minute",
        description="Requests all clients and people of one organization together may make to "
        "this service; empty: no limit.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where the rate-limit counters are kept: memory:// counts in this process "
        "alone, so several replicas need a shared storage: redis://, valkey://, redis+sentinel://, "
        "redis+cluster://, memcached:// or mongodb:// (with the client library it needs).",
    )
    log_level: str = Field(default="INFO", description="Least level of the logs written.")
    log_json: bool = Field(
        default=True, description="Logs as JSON lines on stderr; false: for reading in a terminal."
    )
    otel_exporter: Literal["off", "otlp", "console"] = Field(
        default="off",
        description="Where the service's trace spans go: off (made, so that log lines carry "
        "trace ids, but kept nowhere), otlp (OTLP over HTTP to otel_endpoint) or console.",
    )
    otel_endpoint: str = Field(
        default="",
        description="The OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces; "
        "empty: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else http://localhost:4318/v1/traces.",
    )

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> ServiceSettings:
        if self.kafka_security_protocol == "SASL_PLAINTEXT" and not (
            self.kafka_username and self.kafka_password.get_secret_value()
        ):
            raise ValueError("SASL_PLAINTEXT needs kafka_username and kafka_password")
        return self

    @model_validator(mode="after")
    def _rate_limits_parse(self) -> ServiceSettings:
        for limit in (self.rate_limit_client, self.rate_limit_organization):
            if limit:
                parse_many(limit)  # a ValueError names what does not parse
        return self

    @model_validator(mode="after")
    def _default_database(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///var/{self.service_name}.db"
        return self

    @model_validator(mode="after")
    def _inbox_outlives_topics(self) -> ServiceSettings:
        # An id pruned while its event is still on the topic would be applied again when a
        # consumer re-reads the topic (a reset or expired group offset starts at the earliest).
        if self.inbox_retention_hours < self.topic_retention_hours:
            raise ValueError(
                f"inbox_retention_hours ({self.inbox_retention_hours}) must be at least "
                f"topic_retention_hours ({self.topic_retention_hours})"
            )
        return self

    @property
    def token_url(self) -> str:
        """Where /docs' "Authorize" exchanges client credentials for a token."""
        return (
            self.oidc_token_url or f"{self.oidc_issuer.rstrip('/')}/protocol/openid-connect/token"
        )

    @property
    def consumer_group(self) -> str:
        return in_namespace(self.service_name, self.topic_namespace)

    @property
    def event_source(self) -> str:
        """The CloudEvents ``source`` of everything this service publishes."""
        return f"/multitrack/{self.service_name}"
