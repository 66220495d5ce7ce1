"""Every setting is documented in one page, generated from the settings models; the values in
effect are shown with their secrets masked."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from multitrack_cli.main import main
from multitrack_cli.reference import SECTIONS, page
from multitrack_cli.settings import CliSettings
from multitrack_shared.settings import ServiceSettings
from multitrack_shared.settings_view import MASK, masked
from multitrack_shared.testing.paths import repo_root


def test_the_committed_settings_page_is_the_one_the_models_generate() -> None:
    committed = (repo_root() / "docs" / "settings.md").read_text()
    assert committed == page(), (
        "docs/settings.md is stale: uv run multitrack settings --reference > docs/settings.md"
    )


@pytest.mark.parametrize("model", [model for _, model, _ in SECTIONS])
def test_every_setting_has_a_description_and_a_row_of_the_page(
    model: type[ServiceSettings],
) -> None:
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} has no description"
        assert f"`{model.model_config['env_prefix']}{name.upper()}`" in page()


def test_secrets_and_passwords_in_urls_are_masked_and_everything_else_shown() -> None:
    settings = ServiceSettings(
        service_name="invitations",
        database_url="postgresql+asyncpg://invitations:s3cr3t-db@db.example:5432/invitations",
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_username="invitations",
        kafka_password=SecretStr("s3cr3t-kafka"),
        oidc_issuer="http://127.0.0.1:8180/realms/multitrack",
    )

    shown = masked(settings)

    assert "s3cr3t" not in json.dumps(shown)
    assert shown["MULTITRACK_KAFKA_PASSWORD"] == MASK
    assert shown["MULTITRACK_DATABASE_URL"] == (
        f"postgresql+asyncpg://invitations:{MASK}@db.example:5432/invitations"
    )
    assert shown["MULTITRACK_KAFKA_USERNAME"] == "invitations"
    assert shown["MULTITRACK_OIDC_ISSUER"] == "http://127.0.0.1:8180/realms/multitrack"
    assert shown["MULTITRACK_CONSUMER_MAX_ATTEMPTS"] == 5
    assert set(shown) == {f"MULTITRACK_{name.upper()}" for name in ServiceSettings.model_fields} | {
        "MULTITRACK_KAFKA_BOOTSTRAP_SERVERS"
    }


def test_the_command_line_shows_its_own_settings_without_a_platform(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MULTITRACK_CLI_PARTNERS_URL", "http://partners.example:8003")
    monkeypatch.setenv("MULTITRACK_TOPIC_NAMESPACE", "staging")

    assert main(["--json", "settings", "--local"]) == 0

    shown = json.loads(capsys.readouterr().out)["cli"]
    assert shown["MULTITRACK_CLI_PARTNERS_URL"] == "http://partners.example:8003"
    assert shown["MULTITRACK_CLI_TOPIC_NAMESPACE"] == "staging"
    assert CliSettings().topic_namespace == "staging"


def test_a_missing_credentials_file_is_named_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    monkeypatch.setenv("MULTITRACK_CLI_CREDENTIALS", "/no/such/credentials.json")

    assert main(["status"]) == 1

    assert "/no/such/credentials.json" in capsys.readouterr().err
