"""The central area over the fixed data set: who gets in, what they see, that nothing is written."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.tenancy import all_tenants
from tests.central.conftest import PASSWORD

CENTRAL_URLS = [
    "/central/",
    "/central/?year=2025",
    "/central/export/funds.xlsx?year=2025",
    "/central/export/grades.csv",
    "/central/shenyang/studios",
    "/central/wushen/studios?status=active",
]
TABLES = [
    "scales",
    "studios",
    "kinds",
    "members",
    "activities",
    "outputs",
    "grades",
    "quotas",
    "funds",
    "removals",
    "trend",
]


class Client:
    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.token = ""

    def login(self, username: str) -> None:
        page = self.client.get("/login").get_data(as_text=True)
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": self.token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        page = self.client.get("/login").get_data(as_text=True)
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def get(self, path: str, htmx: bool = False):
        return self.client.get(path, headers={"HX-Request": "true"} if htmx else {})

    def send(self, method: str, path: str, data: dict | None = None):
        return self.client.open(path, method=method, data=data or {}, headers={"X-CSRFToken": self.token})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def staff(central_app) -> Client:
    client = Client(central_app)
    client.login("central")
    return client


def _snapshot(app) -> dict[str, int]:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        return {
            model.__tablename__: session.scalar(
                select(func.count()).select_from(model).execution_options(**all_tenants("test"))
            )
            for model in (m.Studio, m.Membership, m.Activity, m.Output, m.FundAllocation, m.Expense, m.AssessmentRecord)
        }


# -- who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CENTRAL_URLS)
def test_anonymous_is_sent_to_sign_in(central_app, path) -> None:
    response = central_app.test_client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["sy-admin", "sy-reviewer", "mixed"])
@pytest.mark.parametrize("path", CENTRAL_URLS)
def test_tenant_users_get_404_on_every_central_url(central_app, username, path) -> None:
    client = Client(central_app)
    client.login(username)
    assert client.get(path).status_code == 404
    assert client.get(path, htmx=True).status_code == 404
    assert client.send("POST", path.split("?")[0]).status_code == 404


def test_central_staff_get_404_on_tenant_urls(staff) -> None:
    assert staff.get("/shenyang/").status_code == 404
    assert staff.get("/shenyang/studios").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path",
    [
        "/central/",
        "/central/export/funds.csv",
        "/central/shenyang/studios",
        "/shenyang/studios",
        "/shenyang/studios/1/members",
    ],
)
def test_central_staff_cannot_change_anything(central_app, staff, method, path) -> None:
    before = _snapshot(central_app)
    response = staff.send(method, path, {"name": "改名", "title": "x", "amount": "1"})
    assert response.status_code in (404, 405)
    assert _snapshot(central_app) == before


# -- what they see ----------------------------------------------------------------------------


def test_central_staff_see_every_tenant_side_by_side(staff) -> None:
    response = staff.get("/central/?year=2025")
    assert response.status_code == 200
    text = _text(response)
    for name in ("shenyang市", "wushen市", "wenzhou市"):
        assert name in text
    assert "未纳入对比" in text and "elsewhere" in text
    for key in TABLES:
        assert f'data-table="{key}"' in text
        assert f"/central/export/{key}.xlsx?year=2025" in text and f"/central/export/{key}.csv?year=2025" in text
    # every chart is served with its table and drawn by our own scripts, no CDN
    assert text.count("data-chart=") >= len(TABLES) - 1
    assert "/static/vendor/echarts.min.js" in text and "/static/central.js" in text
    assert "<script>" not in text and "cdn" not in text.lower()


def test_the_page_shows_normalized_and_local_grades(staff) -> None:
    text = _text(staff.get("/central/?year=2025"))
    assert "年度口径与考核等次" in text
    assert "2024年8月1日—2025年7月31日" in text  # Wushen's school year, with the tenant's own start
    assert "无年度考核：周期末考核" in text  # Wenzhou
    assert "66.7%" in text and "9.3%" in text and "¥24,000.00" in text and "¥2,234.56" in text


def test_the_year_switch_answers_htmx_with_the_partial(staff) -> None:
    full = staff.get("/central/?year=2025")
    partial = staff.get("/central/?year=2026", htmx=True)
    assert partial.status_code == 200 and "HX-Request" in partial.headers.get("Vary", "")
    body = partial.get_data(as_text=True)
    assert "<html" not in body and 'data-year="2026"' in body
    assert 'data-year="2025"' in full.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["abc", "1800", "20255"])
def test_a_bad_year_gets_a_message_naming_the_field(staff, bad) -> None:
    response = staff.get(f"/central/?year={bad}")
    assert response.status_code == 400
    assert "年度：请填写2000至2100之间的年份" in _text(response)
    export = staff.get(f"/central/export/funds.csv?year={bad}")
    assert export.status_code == 400 and "年度" in export.get_data(as_text=True)


def test_unknown_exports_and_tenants_are_404(staff) -> None:
    assert staff.get("/central/export/nothing.csv").status_code == 404
    assert staff.get("/central/export/funds.pdf").status_code == 404
    assert staff.get("/central/nowhere/studios").status_code == 404
    assert staff.get("/central/elsewhere/studios").status_code == 404  # plugin not installed


def test_drill_down_lists_one_tenants_studios_read_only(staff) -> None:
    response = staff.get("/central/shenyang/studios")
    text = _text(response)
    assert response.status_code == 200
    for name in ("甲工作坊", "乙工作室", "丙工作室（申报）", "丁工作室"):
        assert name in text
    assert "乌审旗戊工作室" not in text and "<form" not in text.split("</header>", 1)[1]
    active = _text(staff.get("/central/shenyang/studios?status=active"))
    assert "甲工作坊" in active and "丁工作室" not in active
    workshops = _text(staff.get("/central/shenyang/studios?kind=workshop", htmx=True))
    assert "甲工作坊" in workshops and "乙工作室" not in workshops and "<html" not in workshops
    bad = staff.get("/central/shenyang/studios?kind=outreach_studio")
    assert bad.status_code == 400 and "kind" in _text(bad)


def test_the_figures_link_to_the_drill_down(staff) -> None:
    text = _text(staff.get("/central/?year=2025"))
    assert 'href="/central/shenyang/studios"' in text
    assert 'href="/central/shenyang/studios?status=active"' in text
    assert 'href="/central/shenyang/studios?kind=workshop"' in text


def test_english_after_the_language_switch(staff) -> None:
    staff.get("/lang/en?next=/central/")
    text = _text(staff.get("/central/?year=2025"))
    assert "Studios by status" in text and "工作室状态分布" not in text
    assert "Shenyang" in text


# -- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", TABLES)
def test_every_table_exports_to_xlsx_and_csv(staff, key) -> None:
    xlsx = staff.get(f"/central/export/{key}.xlsx?year=2025")
    assert xlsx.status_code == 200
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"mingshi-{key}-2025.xlsx" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    text = staff.get(f"/central/export/{key}.csv?year=2025")
    assert text.status_code == 200 and text.headers["Content-Type"].startswith("text/csv")
    body = text.get_data(as_text=True)
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == len(table) >= 2
    assert [str(c) for c in rows[0]] == table[0]


def test_the_funds_export_has_the_hand_counted_figures(staff) -> None:
    body = staff.get("/central/export/funds.csv?year=2025").get_data(as_text=True)
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(body.lstrip("\ufeff")))}
    assert rows["shenyang市"] == ["24000.00", "2234.56", "9.3"]
    assert rows["wushen市"] == ["8000.00", "2000.00", "25.0"]
    sheet = load_workbook(io.BytesIO(staff.get("/central/export/funds.xlsx?year=2025").data)).active
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["shenyang市"][0] == 24000 and values["shenyang市"][1] == pytest.approx(2234.56)


def test_the_page_says_when_its_summaries_were_made(staff) -> None:
    page = _text(staff.get("/central/?year=2025"))
    assert 'id="as-of"' in page
    assert "汇总" in page or "as of" in page
