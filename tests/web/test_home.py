from __future__ import annotations

import pytest

from core.demo import load_demo
from core.plugins import Jurisdictions
from web import create_app


@pytest.fixture
def app(database_url):
    jurisdictions = Jurisdictions.load()
    load_demo(database_url, jurisdictions)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "JURISDICTIONS": jurisdictions})
    yield app
    app.extensions["mingshi"]["engine"].dispose()


def test_index_lists_the_tenants(app) -> None:
    page = app.test_client().get("/").get_data(as_text=True)
    for name in ("连云港市", "沈阳市", "温州市", "乌审旗"):
        assert name in page


def test_tenant_page_shows_only_its_studios(app) -> None:
    client = app.test_client()
    wenzhou = client.get("/wenzhou/").get_data(as_text=True)
    shenyang = client.get("/shenyang/").get_data(as_text=True)
    assert "名师送教" in wenzhou or "工作室" in wenzhou
    assert "幸福教育" in shenyang and "幸福教育" not in wenzhou


def test_unknown_tenant_is_404(app) -> None:
    assert app.test_client().get("/nowhere/").status_code == 404
