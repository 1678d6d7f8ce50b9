"""htmx works under the Content-Security-Policy, and the studio edit shows a conflict to the second editor."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mingshi.core.demo import DEMO_PASSWORD
from tests.web.conftest import studio_of

pytestmark = pytest.mark.browser

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_htmx_works_under_the_csp(page: Page, live_server: str, app) -> None:
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server, "shenyang-admin")
    response = page.goto(f"{live_server}/shenyang/studios")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    studio = studio_of(app, "shenyang")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    # a tab is an hx-get: the partial is swapped in and the URL pushed, without a page load
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("link", name="活动", exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities$"))
    expect(page.locator("#activities")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page", "htmx did not run: the tab loaded a whole page"
    # an hx-post with the CSRF header from hx-headers
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("或新增人员：姓名").fill("林晓雪")
    page.get_by_role("button", name="添加").click()
    expect(page.locator('tr[data-person="林晓雪"]')).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"
    assert page.evaluate("window.__csp") == []


def test_the_second_editor_sees_the_conflict(page: Page, live_server: str, app, browser) -> None:
    studio = studio_of(app, "shenyang")
    sign_in(page, live_server, "shenyang-admin")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/edit")
    other = browser.new_context(locale="zh-CN").new_page()
    sign_in(other, live_server, "shenyang-admin")
    other.goto(f"{live_server}/shenyang/studios/{studio.id}/edit")
    other.locator("input[name=subject]").fill("化学")
    other.get_by_role("button", name="保存").click()
    expect(other).to_have_url(re.compile(r"/members$"))
    page.locator("input[name=subject]").fill("生物")
    page.get_by_role("button", name="保存").click()
    alert = page.locator("[data-conflict]")
    expect(alert).to_contain_text("其他人修改了这个工作室")
    expect(alert.locator('tr[data-field="subject"] .current')).to_have_text("化学")
    expect(alert.locator('tr[data-field="subject"] .typed')).to_have_text("生物")
    expect(page.locator("input[name=subject]")).to_have_value("生物")
    other.context.close()
