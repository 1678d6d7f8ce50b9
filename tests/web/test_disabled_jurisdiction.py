"""A tenant whose jurisdiction is not installed or not enabled in this deployment: its users get a
clear page (503), never a 500; ``mingshi tenants`` warns; central leaves it out."""

from __future__ import annotations

from click.testing import CliRunner

from mingshi.core.plugins import Jurisdictions
from mingshi.web import create_app
from mingshi.web.cli import main
from tests.conftest import served_url
from tests.web.conftest import TODAY, Browser


def test_a_tenant_of_a_disabled_jurisdiction_shows_a_notice(demo_url) -> None:
    only_shenyang = Jurisdictions.load(only=["shenyang"])
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": served_url(demo_url),
            "JURISDICTIONS": only_shenyang,
            "SECRET_KEY": "t",
            "MINGSHI_TODAY": TODAY,
        }
    )
    try:
        visitor = Browser(app)
        visitor.login("wenzhou-admin")
        for path in ("/wenzhou/", "/wenzhou/studios", "/wenzhou/assessments"):
            page = visitor.get(path)
            assert page.status_code == 503, path
            assert 'id="jurisdiction-unavailable"' in page.get_data(as_text=True)
        visitor.login("shenyang-admin")
        assert visitor.get("/shenyang/").status_code == 200
    finally:
        app.extensions["mingshi"]["engine"].dispose()


def test_the_tenant_listing_warns_of_a_tenant_whose_jurisdiction_is_not_loaded(demo_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("MINGSHI_JURISDICTIONS", "shenyang")
    result = CliRunner().invoke(main, ["tenants"])
    assert result.exit_code == 0, result.output
    assert "warning: tenant wenzhou: jurisdiction 'wenzhou' is not installed or not enabled" in result.output
    assert "warning: tenant shenyang" not in result.output
