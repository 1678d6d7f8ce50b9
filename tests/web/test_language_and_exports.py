"""The reader's language holds from one request to the next (htmx, redirects, the print view), and
every export is linked from the page whose data it holds, in that language and with the right headers."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.web.conftest import studio_of

HAN = re.compile(r"[\u3400-\u9fff]")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_chosen_language_persists_across_htmx_requests(visitor, app) -> None:
    visitor.login("shenyang-host")
    studio = studio_of(app, "shenyang", "shenyang-host")
    first = visitor.get(f"/shenyang/studios/{studio.id}/members?lang=en")
    assert '<html lang="en">' in first.get_data(as_text=True)
    # the next htmx request carries no ?lang: the tab answers in English still
    tab = visitor.get(f"/shenyang/studios/{studio.id}/activities", htmx=True)
    assert tab.status_code == 200
    assert "Activities" in tab.get_data(as_text=True) or "activity" in tab.get_data(as_text=True).lower()
    assert "活动类型" not in _visible(tab.get_data(as_text=True))
    # a redirect (the studio's front door) and the next full page too
    landing = visitor.get(f"/shenyang/studios/{studio.id}", follow_redirects=True)
    assert '<html lang="en">' in landing.get_data(as_text=True)
    # choosing Chinese again holds the same way
    visitor.get("/shenyang/?lang=zh_CN")
    again = visitor.get(f"/shenyang/studios/{studio.id}/activities", htmx=True)
    assert "活动" in again.get_data(as_text=True)


def test_the_language_survives_signing_in_and_out(visitor) -> None:
    visitor.get("/lang/en")
    visitor.login("shenyang-admin")
    assert '<html lang="en">' in visitor.get("/shenyang/").get_data(as_text=True)
    visitor.post("/logout")
    assert '<html lang="en">' in visitor.get("/login").get_data(as_text=True)


def test_the_print_view_follows_the_chosen_language(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang", "shenyang-host")
    visitor.get("/lang/en")
    page = visitor.get(f"/shenyang/studios/{studio.id}/assessment/print")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    # outside the policy's own citations (its title, its articles) and the names, no Chinese at all
    text = re.sub(r'<(td|span) class="article">.*?</\1>', " ", html, flags=re.S)
    text = re.sub(r"《[^》]*》\S*", " ", _visible(text))
    for name in sorted(_names(app, "shenyang"), key=len, reverse=True):  # data: schools, people, places
        text = text.replace(name, " ")
    assert not HAN.findall(text), text[:2000]
    visitor.get("/lang/zh_CN")
    chinese = visitor.get(f"/shenyang/studios/{studio.id}/assessment/print").get_data(as_text=True)
    assert '<html lang="zh-CN">' in chinese and "达成" in chinese


def _names(app, tenant: str) -> set[str]:
    from sqlalchemy import select

    from mingshi.core import models as m
    from mingshi.core.tenancy import bind_tenant

    with app.extensions["mingshi"]["sessions"]() as session:
        row = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant))
        bind_tenant(session, row.id)
        names = {row.name} | set(session.scalars(select(m.Studio.name))) | set(session.scalars(select(m.Person.name)))
        names |= set(session.scalars(select(m.School.name))) | set(session.scalars(select(m.County.name)))
    return names


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


EXPORTS = [
    # page · the export it links · who
    ("/shenyang/studios", "/shenyang/studios.xlsx", "shenyang-admin"),
    ("/shenyang/assessments", "/shenyang/assessments.xlsx", "shenyang-admin"),
    ("/shenyang/studios/{studio}/funds", "/shenyang/studios/{studio}/ledger.xlsx", "shenyang-admin"),
    ("/lianyungang/studios/{studio}/funds", "/lianyungang/studios/{studio}/ledger.xlsx", "lianyungang-admin"),
]


@pytest.mark.parametrize(("page", "export", "user"), EXPORTS)
def test_every_export_is_linked_from_its_page(visitor, app, page, export, user) -> None:
    visitor.login(user)
    tenant = user.split("-")[0]
    studio = studio_of(app, tenant, f"{tenant}-host")
    page, export = page.format(studio=studio.id), export.format(studio=studio.id)
    html = visitor.get(page).get_data(as_text=True)
    hrefs = {h.split("?")[0] for h in re.findall(r'href="([^"]+\.xlsx[^"]*)"', html)}
    assert export in hrefs, f"{page} links no {export}: {hrefs}"


def test_the_central_page_links_its_exports(visitor) -> None:
    visitor.login("central")
    html = visitor.get("/central/").get_data(as_text=True)
    assert re.search(r'href="/central/export/[a-z-]+\.xlsx', html)


CODES = re.compile(r"^(?:[a-z]+_[a-z_]+|active|grant|recovery|expense|disqualified|completed|pass|fail|excellent)$")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_exports_hold_labels_in_the_readers_language_and_right_headers(visitor, app, locale) -> None:
    visitor.login("lianyungang-admin")
    visitor.get(f"/lang/{locale}")
    studio = studio_of(app, "lianyungang", "lianyungang-host")
    studios = _sheet(visitor.get("/lianyungang/studios.xlsx"))
    assessments = _sheet(visitor.get("/lianyungang/assessments.xlsx"))
    ledger = _sheet(visitor.get(f"/lianyungang/studios/{studio.id}/ledger.xlsx"))
    if locale == "zh_CN":
        assert studios[0][0] == "工作室" and "姓名" not in studios[0]
        assert (
            "在建" in {r[4] for r in studios[1:]}
            or "已挂牌" in {r[4] for r in studios[1:]}
            or any(HAN.search(str(r[4])) for r in studios[1:])
        )
    else:
        assert studios[0][0] == "Studio" and studios[0][4] == "Status"
        assert {r[4] for r in studios[1:]} <= {"active", "completed", "disqualified", "draft", "submitted"} | {
            "public notice",
            "under review",
            "recommended",
            "rejected",
            "withdrawn",
        }
        assert all(not HAN.search(str(r[2] or "")) for r in studios[1:])  # the kind in English
    body = [c for rows in (studios[1:], assessments[1:], ledger[1:]) for r in rows for c in r if isinstance(c, str)]
    if locale == "zh_CN":
        leaked = sorted({c for c in body if CODES.match(c)})
        assert not leaked, leaked
    else:  # an English reader gets words, yet never the codes of categories or sources
        leaked = sorted({c for c in body if "_" in c})
        assert not leaked, leaked
    assert len(ledger) > 1 and all(r[1] for r in ledger[1:])
