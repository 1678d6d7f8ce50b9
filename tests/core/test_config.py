"""The configuration: one module, every setting from the environment, the README's table, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mingshi.core import config
from mingshi.core.config import ConfigError
from mingshi.web.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = config.load({})
    assert settings.database_url == f"sqlite:///{tmp_path / 'instance' / 'mingshi.db'}"
    assert settings.instance_path == tmp_path / "instance"
    assert settings.secret_key is None and settings.app_role is None and not settings.allow_privileged_database
    assert (settings.trusted_proxies, settings.secure_cookies) == (0, False)
    assert (settings.log_format, settings.log_level, settings.jurisdictions) == ("text", "INFO", None)
    assert (settings.host, settings.port, settings.workers, settings.threads) == ("127.0.0.1", 5000, 2, 4)


def test_every_setting_is_read(tmp_path) -> None:
    settings = config.load(
        {
            "DATABASE_URL": "postgresql+psycopg://u:p@db/bureau_prod",
            "MINGSHI_INSTANCE": str(tmp_path),
            "MINGSHI_SECRET_KEY": "k",
            "MINGSHI_ALLOW_PRIVILEGED_DATABASE": "1",
            "MINGSHI_TRUSTED_PROXIES": "2",
            "MINGSHI_SECURE_COOKIES": "true",
            "MINGSHI_LOG_FORMAT": "JSON",
            "MINGSHI_LOG_LEVEL": "warning",
            "MINGSHI_JURISDICTIONS": "shenyang, wenzhou",
            "MINGSHI_HOST": "0.0.0.0",
            "MINGSHI_PORT": "8000",
            "MINGSHI_WORKERS": "3",
            "MINGSHI_THREADS": "8",
        }
    )
    assert settings.is_postgres and settings.app_role == "bureau_prod_app" and settings.secret_key == "k"
    assert settings.allow_privileged_database and settings.secure_cookies and settings.trusted_proxies == 2
    assert (settings.log_format, settings.log_level, settings.jurisdictions) == (
        "json",
        "WARNING",
        ("shenyang", "wenzhou"),
    )
    assert (settings.host, settings.port, settings.workers, settings.threads) == ("0.0.0.0", 8000, 3, 8)
    assert settings.instance_path == tmp_path


def test_two_deployments_on_one_server_get_two_roles() -> None:
    first = config.app_role_for("postgresql+psycopg://o@db/city_a", {})
    second = config.app_role_for("postgresql+psycopg://o@db/city-b", {})
    assert (first, second) == ("city_a_app", "city_b_app")
    assert config.app_role_for("postgresql+psycopg://o@db/city_a", {"MINGSHI_APP_ROLE": "web"}) == "web"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("MINGSHI_PORT", "http", "whole number"),
        ("MINGSHI_WORKERS", "0", "between 1 and 64"),
        ("MINGSHI_TRUSTED_PROXIES", "-1", "between 0 and 10"),
        ("MINGSHI_SECURE_COOKIES", "maybe", "1 or 0"),
        ("MINGSHI_LOG_FORMAT", "xml", "text, json"),
        ("MINGSHI_LOG_LEVEL", "loud", "DEBUG"),
        ("MINGSHI_APP_ROLE", "x; DROP TABLE", "role name"),
        ("DATABASE_URL", "not a url", "database URL"),
    ],
)
def test_a_bad_value_names_the_variable(variable, value, named) -> None:
    env = {"DATABASE_URL": "postgresql+psycopg://o@db/x", variable: value}
    with pytest.raises(ConfigError, match=variable) as raised:
        config.load(env)
    assert named in str(raised.value)


def test_the_readme_lists_every_setting_with_its_default() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `([A-Z_]+)` \| (.+?) \| (.+) \|$", line)
        if found:
            rows[found.group(1)] = found.group(2)
    assert rows == {s.variable: s.default for s in config.SETTINGS}


def test_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"mingshi {version('mingshi')}"


def test_an_env_file_is_read(tmp_path) -> None:
    env = tmp_path / "mingshi.env"
    env.write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'from-env-file.db'}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-e", str(env), "db", "upgrade"], env={"DATABASE_URL": None})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env-file.db").is_file() and "from-env-file.db" in result.output


def test_serve_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    result = CliRunner().invoke(
        main,
        ["serve"],
        env={
            "MINGSHI_SECRET_KEY": None,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "MINGSHI_INSTANCE": str(tmp_path),
        },
    )
    assert result.exit_code == 2
    assert "MINGSHI_SECRET_KEY is not set" in result.output and "secrets.token_hex(32)" in result.output


def test_demo_and_serve_use_the_same_database(tmp_path, monkeypatch) -> None:
    from mingshi.core.db import default_database_url
    from mingshi.web import create_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MINGSHI_INSTANCE", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "k"})
    try:
        served = app.extensions["mingshi"]["engine"].url.render_as_string(hide_password=False)
        assert served == default_database_url() == f"sqlite:///{tmp_path / 'instance' / 'mingshi.db'}"
        assert Path(app.instance_path) == tmp_path / "instance"
    finally:
        app.extensions["mingshi"]["engine"].dispose()
