"""Generated documents (issue 17): each is rendered as PDF and .docx, holds the text it must, and follows
the reader's language; a page of a PDF is turned into an image (the README's)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pypdfium2
import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant

#: where the browser tests keep their screenshots (tools/screenshots copies them into docs/screenshots/)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _put_in_notice(app, tenant_code: str) -> str:
    """Move a studio of the tenant into its public notice (as the workflow would have), returning its name."""
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant_code))
        bind_tenant(session, tenant.id)
        studio = session.scalars(select(m.Studio).order_by(m.Studio.id.desc())).first()
        studio.status = "notice"
        session.add(
            m.StudioTransition(
                studio_id=studio.id, from_status="reviewing", to_status="notice", notice_until=dt.date(2026, 11, 27)
            )
        )
        session.commit()
        return studio.name


def _normalize(text: str) -> str:
    return "".join(text.split())


def test_the_public_notice_lists_the_studios_in_notice_as_pdf_and_docx(visitor, app) -> None:
    name = _put_in_notice(app, "shenyang")
    visitor.login("shenyang-admin")
    response = visitor.get("/shenyang/documents/notice.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = _normalize(pdf_text(response.data))
    assert "拟认定工作室名单公示" in text and _normalize(name) in text and "2026年11月27日" in text
    assert "—1—" in text  # the page number
    word = visitor.get("/shenyang/documents/notice.docx")
    assert word.status_code == 200
    body = docx_text(word.data)
    assert "拟认定工作室名单公示" in body and name in body


def test_the_plaque_list_names_the_studios_of_the_year(visitor, app) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant.id)
        year = session.scalars(select(m.Studio.cycle_start).order_by(m.Studio.id)).first().year
        active = session.scalars(select(m.Studio).where(m.Studio.status == "active"))
        names = [s.name for s in active if s.cycle_start.year == year]
        later = [s.name for s in session.scalars(select(m.Studio)) if s.cycle_start.year > year]
    assert names and later  # the demo's first studios, and two plaqued since
    visitor.login("wushen-admin")
    body = docx_text(visitor.get(f"/wushen/documents/plaque/{year}.docx").data)
    assert f"{year}年工作室认定（挂牌）名单" in body
    assert all(n in body for n in names)
    assert not any(n in body for n in later)
    assert "没有工作室挂牌" in docx_text(visitor.get(f"/wushen/documents/plaque/{year - 5}.docx").data)


def test_a_studios_assessment_report_holds_its_grade_and_criteria_in_the_readers_language(visitor, app) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "shenyang"))
        bind_tenant(session, tenant.id)
        record = session.scalars(select(m.AssessmentRecord).order_by(m.AssessmentRecord.id)).first()
        studio = session.get(m.Studio, record.studio_id)
        criterion = record.result["criteria"][0]
        en_criterion = record.result["en"]["criteria"][0]
    visitor.login("shenyang-admin")
    url = f"/shenyang/studios/{studio.id}/assessment/report.pdf?record={record.id}"
    response = visitor.get(url)
    assert response.status_code == 200
    text = _normalize(pdf_text(response.data))
    assert _normalize(f"{studio.name}{record.period}年度考核结果报告") in text
    assert _normalize(record.result["grade"]["label"]) in text
    assert _normalize(criterion["basis"]) in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = pypdfium2.PdfDocument(response.data)[0]
    page.render(scale=1.2).to_pil().save(ARTIFACTS / "assessment-report.png")
    assert (ARTIFACTS / "assessment-report.png").stat().st_size > 10_000

    visitor.get("/lang/en")
    english = _normalize(pdf_text(visitor.get(url).data))
    assert _normalize(f"Assessment of {studio.name}, the year {record.period}") in english
    assert _normalize(en_criterion["explanation"])[:40] in english
    assert "考核结果报告" not in english


@pytest.mark.parametrize("username", ["shenyang-member", "shenyang-host"])
def test_the_lists_of_a_round_are_the_bureaus(visitor, username) -> None:
    visitor.login(username)
    assert visitor.get("/shenyang/documents/notice.pdf").status_code == 403
    assert visitor.get("/shenyang/documents/plaque/2025.docx").status_code == 403


def test_another_tenants_assessment_report_is_not_found(visitor, app) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "shenyang"))
        bind_tenant(session, tenant.id)
        record = session.scalars(select(m.AssessmentRecord)).first()
    visitor.login("wushen-admin")
    assert visitor.get(f"/wushen/studios/{record.studio_id}/assessment/report.pdf").status_code == 404
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant.id)
        own = session.scalars(select(m.AssessmentRecord)).first()
    # a record of another tenant named on one's own studio is not found either
    assert visitor.get(f"/wushen/studios/{own.studio_id}/assessment/report.pdf?record={record.id}").status_code == 404
    assert visitor.get(f"/wushen/studios/{own.studio_id}/assessment/report.pdf").status_code == 200


def test_the_year_end_fund_report_states_the_ledgers_figures(visitor, app) -> None:
    from mingshi.core.money import format_fen
    from mingshi.core.services import funds

    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "shenyang"))
        bind_tenant(session, tenant.id)
        studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
        report = funds.usage_report(funds.ledger(session, studio), 2025)
    visitor.login("shenyang-admin")
    response = visitor.get(f"/shenyang/studios/{studio.id}/funds/2025/report.pdf")
    assert response.status_code == 200
    text = _normalize(pdf_text(response.data))
    assert _normalize(f"{studio.name}2025年度经费使用情况报告") in text
    for fen in (report.allocated_fen, report.spent_fen, report.balance_fen, *report.by_category.values()):
        assert f"¥{format_fen(fen)}" in text


def test_the_cycle_summary_lists_the_stored_assessments_and_the_cycles_records(visitor, app) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "lianyungang"))
        bind_tenant(session, tenant.id)
        record = session.scalars(select(m.AssessmentRecord).order_by(m.AssessmentRecord.id)).first()
        studio = session.get(m.Studio, record.studio_id)
    visitor.login("lianyungang-admin")
    body = docx_text(visitor.get(f"/lianyungang/studios/{studio.id}/cycle/summary.docx").data)
    assert f"{studio.name}周期工作总结" in body
    assert record.period in body and record.result["grade"]["label"] in body
    assert "共开展活动" in body


def test_every_document_is_linked_from_the_page_whose_data_it_holds(visitor, app) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "shenyang"))
        bind_tenant(session, tenant.id)
        record = session.scalars(select(m.AssessmentRecord).order_by(m.AssessmentRecord.id)).first()
        studio = session.get(m.Studio, record.studio_id)
    visitor.login("shenyang-admin")
    applications = visitor.get("/shenyang/applications").get_data(as_text=True)
    assert 'data-document="notice"' in applications and 'data-document="plaque"' in applications
    page = visitor.get(f"/shenyang/studios/{studio.id}/assessment?kind=annual&year={record.period}").get_data(
        as_text=True
    )
    assert 'data-document="assessment-report"' in page and 'data-document="cycle-summary"' in page
    funds = visitor.get(f"/shenyang/studios/{studio.id}/funds").get_data(as_text=True)
    assert 'data-document="fund-usage"' in funds
    for url in (
        f"/shenyang/studios/{studio.id}/assessment/report.pdf?record={record.id}",
        f"/shenyang/studios/{studio.id}/cycle/summary.docx",
    ):
        assert visitor.get(url).status_code == 200


def test_records_link_their_original_material(visitor, app) -> None:
    from tests.web.conftest import studio_of

    studio = studio_of(app, "shenyang", "shenyang-host")
    visitor.login("shenyang-host")
    for tab, kind in (("activities", "activity"), ("outputs", "output")):
        html = visitor.get(f"/shenyang/studios/{studio.id}/{tab}").get_data(as_text=True)
        assert f"/shenyang/evidence/{kind}/" in html, tab
