"""How a service's Kafka clients authenticate is settled by its settings."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from multitrack_shared.settings import ServiceSettings


def test_plaintext_needs_no_credentials_and_is_the_default() -> None:
    settings = ServiceSettings(service_name="partners")
    assert settings.kafka_security_protocol == "PLAINTEXT"
    assert settings.kafka_sasl_mechanism == "SCRAM-SHA-512"


@pytest.mark.parametrize(
    ("username", "password"), [("", "secret-enough"), ("partners", ""), ("", "")]
)
def test_sasl_without_a_username_and_a_password_is_refused(username: str, password: str) -> None:
    with pytest.raises(ValidationError, match="kafka_username and kafka_password"):
        ServiceSettings(
            service_name="partners",
            kafka_security_protocol="SASL_PLAINTEXT",
            kafka_username=username,
            kafka_password=SecretStr(password),
        )


def test_sasl_settings_come_from_the_environment_and_keep_the_password_out_of_sight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MULTITRACK_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("MULTITRACK_KAFKA_USERNAME", "partners")
    monkeypatch.setenv("MULTITRACK_KAFKA_PASSWORD", "s3cret-of-partners")

    settings = ServiceSettings(service_name="partners")

    assert settings.kafka_username == "partners"
    assert settings.kafka_password.get_secret_value() == "s3cret-of-partners"
    assert "s3cret-of-partners" not in repr(settings)


def test_an_unknown_security_protocol_is_refused() -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(
            service_name="partners",
            kafka_security_protocol="SSL",  # what is refused
        )
