"""Plans and reports at the keyboard (issue 17): a 乌审旗 host files the plan of a banner-wide activity
ahead of it, the administrator approves it, the activity is held, the host submits its record, the
administrator returns it with a reason, the host corrects and resubmits, the administrator approves."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.browser.conftest import screenshot
from tests.browser.test_workspace_browser import sign_in
from tests.web.conftest import TODAY, studio_of

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _free_day(app, studio) -> dt.date:
    """A day on or before the demo's today without an activity of the studio."""
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        taken = set(session.scalars(select(m.Activity.date).where(m.Activity.studio_id == studio.id)))
    day = TODAY
    while day in taken:
        day -= dt.timedelta(days=1)
    return day


def _file(page: Page, title: str, name: str) -> None:
    form = page.locator("#document-form")
    form.get_by_label("标题").fill(title)
    form.locator("input[name=file]").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
    form.get_by_role("button", name="提交审核").click()
    expect(page.locator("#document-state")).to_have_text("待审核")


def _review(page: Page, base: str, studio, code: str, key: str, decision: str, reason: str = "") -> None:
    """The administrator opens the document from the studio's tab and decides."""
    page.goto(f"{base}/wushen/studios/{studio.id}/documents")
    row = page.locator(f'tr[data-code="{code}"][data-key="{key}"]')
    expect(row).to_have_attribute("data-state", "submitted")
    row.get_by_role("link").click()
    form = page.locator("#review-form")
    if reason:
        form.get_by_label("理由（退回时必填）").fill(reason)
    form.get_by_role("button", name=decision).click()


def test_a_wushen_activity_from_plan_to_approved_record(page: Page, live_server: str, app, browser) -> None:
    studio = studio_of(app, "wushen", "wushen-host")
    day = _free_day(app, studio)
    # the host files the plan ahead of the banner-wide activity (（十五）)
    sign_in(page, live_server, "wushen-host")
    page.goto(f"{live_server}/wushen/studios/{studio.id}/documents")
    ahead = page.locator("#file-ahead")
    ahead.locator("input[name=day]").fill(day.isoformat())
    ahead.get_by_role("button", name="打开填报页").click()
    _file(page, "全旗初中数学课堂教学专题研讨活动方案", "活动方案.pdf")
    screenshot(page, "plan-submitted")
    # the administrator approves it
    admin = browser.new_page()
    sign_in(admin, live_server, "wushen-admin")
    _review(admin, live_server, studio, "ws.doc.activity_plan", day.isoformat(), "审核通过")
    expect(admin.locator("#document-state")).to_have_text("已通过")
    # the activity is held and recorded
    page.goto(f"{live_server}/wushen/studios/{studio.id}/activities")
    page.get_by_text("登记活动").click()
    form = page.locator("#activity-form")
    form.get_by_label("标题").fill("全旗初中数学课堂教学专题研讨")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("select[name=type]").select_option("seminar")
    form.locator("select[name=scope]").select_option("county")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#activity-list")).to_contain_text("全旗初中数学课堂教学专题研讨")
    # its plan is on the tab, approved; its record is to be filed
    page.goto(f"{live_server}/wushen/studios/{studio.id}/documents")
    key = day.isoformat()
    expect(page.locator(f'tr[data-code="ws.doc.activity_plan"][data-key="{key}"]')).to_have_attribute(
        "data-state", "approved"
    )
    record = page.locator(f'tr[data-code="ws.doc.activity_record"][data-key="{key}"]')
    record.get_by_role("link").click()
    _file(page, "全旗初中数学课堂教学专题研讨活动情况记录", "活动记录.pdf")
    # the administrator returns it with a reason
    _review(admin, live_server, studio, "ws.doc.activity_record", key, "退回并说明理由", "缺少签到表")
    expect(admin.locator("#document-state")).to_have_text("已退回")
    # the host sees why, corrects and resubmits
    page.goto(f"{live_server}/wushen/")
    returned = page.locator('li[data-step="doc_returned"]', has_text="缺少签到表")
    expect(returned).to_contain_text("活动情况记录")
    returned.get_by_role("link").click()
    expect(page.locator("#return-reason")).to_have_text("缺少签到表")
    _file(page, "全旗初中数学课堂教学专题研讨活动情况记录（附签到表）", "签到表.pdf")
    # the administrator approves
    _review(admin, live_server, studio, "ws.doc.activity_record", key, "审核通过")
    expect(admin.locator("#document-state")).to_have_text("已通过")
    expect(admin.locator("#document-history li")).to_have_count(5)  # start, submit, return, submit, approve
    screenshot(admin, "record-approved")
