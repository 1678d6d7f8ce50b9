"""A reviewer's path from a number to its proof (issue 17): an assessment criterion → 查看原始材料 → the
counted award → its certificate, downloaded and checked by its SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.rules.records import record_ref
from mingshi.core.services import assessments
from mingshi.core.tenancy import bind_tenant
from tests.browser.conftest import screenshot
from tests.browser.test_workspace_browser import sign_in

pytestmark = pytest.mark.browser


def _certificate(app, jurisdictions) -> tuple[int, str, str, int, int, str]:
    """The demo's certificate of a student award, and the criterion of the annual assessment that counted the award."""
    with app.extensions["mingshi"]["sessions"]() as session:
        tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "lianyungang"))
        bind_tenant(session, tenant_id)
        evidence = session.scalar(
            select(m.Evidence).where(m.Evidence.award_id.is_not(None), m.Evidence.purpose == "certificate")
        )
        award = session.get(m.StudentAward, evidence.award_id)
        studio = session.get(m.Studio, award.studio_id)
        outcome = assessments.run(session, jurisdictions, studio, assessments.spec_for("annual", award.date.year))
        rule = next(c.id for c in outcome.evaluation.criteria if record_ref("award", award.id) in c.counted)
        return evidence.id, evidence.filename, evidence.sha256, studio.id, award.date.year, rule


def test_a_reviewer_goes_from_a_criterion_to_its_certificate(page: Page, live_server: str, app, jurisdictions) -> None:
    evidence_id, filename, sha256, studio_id, year, rule = _certificate(app, jurisdictions)
    sign_in(page, live_server, "lianyungang-reviewer")
    page.goto(f"{live_server}/lianyungang/studios/{studio_id}/assessment?kind=annual&year={year}")
    row = page.locator(f'tr[data-rule="{rule}"]')
    link = row.locator(f'a[data-proof="{rule}"]')
    expect(link).to_contain_text("查看原始材料")
    link.click()
    # one click: the records the criterion counted open beside it, without leaving the page
    proof = row.locator(f'section.proof[data-proof-for="{rule}"]')
    expect(proof).to_be_visible()
    assert page.url.endswith(f"/assessment?kind=annual&year={year}")
    counted = proof.locator('tr[data-counted^="award:"]').first
    expect(counted).to_contain_text("学生获奖")
    certificate = proof.locator(f'a[data-file="{evidence_id}"]')
    expect(certificate).to_have_text(filename)
    screenshot(page, "criterion-proof")
    with page.expect_download() as waiting:
        certificate.click()
    download = waiting.value
    assert download.suggested_filename == filename
    data = Path(download.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256
