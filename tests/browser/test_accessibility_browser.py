"""People and phones: axe-core finds nothing on the main pages, the keyboard reaches what matters,
and a 390 px wide phone shows the top bar and the tables without breaking them.

axe-core is vendored in web/static/vendor/ (tools/vendor) and injected by these tests only: no page
of the application loads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mingshi.core.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.test_workspace_browser import sign_in
from tests.web.conftest import studio_of

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "web" / "static" / "vendor" / "axe.min.js"

#: every studio tab an administrator sees, by the path after /studios/<id>/
STUDIO_TABS = ["members", "activities", "outputs", "progress", "funds", "assessment", "import"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # the pages' Content-Security-Policy (script-src 'self') refuses an injected script, rightly
    return {**browser_context_args, "bypass_csp": True}


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page as it stands; one line per failing node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.flatMap(v => v.nodes.map(
            n => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary.replace(/\\s+/g, ' ')}`));
        }"""
    )
    return found


def assert_no_violation(page: Page) -> None:
    found = axe_violations(page)
    assert found == [], f"{len(found)} axe violation(s) on {page.url}:\n" + "\n".join(found)


@pytest.mark.parametrize("user", ["shenyang-admin", "wenzhou-admin", "lianyungang-host", "wushen-member"])
def test_axe_finds_no_violation_on_the_dashboard(page: Page, live_server: str, user: str) -> None:
    sign_in(page, live_server, user)
    assert_no_violation(page)


@pytest.mark.parametrize("tenant", ["shenyang", "lianyungang", "wenzhou", "wushen"])
def test_axe_finds_no_violation_on_each_studio_tab(page: Page, live_server: str, app, tenant: str) -> None:
    studio = studio_of(app, tenant, f"{tenant}-host")
    sign_in(page, live_server, f"{tenant}-admin")
    page.goto(f"{live_server}/{tenant}/studios/{studio.id}/members")
    assert_no_violation(page)
    tabs = page.locator("nav.tabs a")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        href = tab.get_attribute("href")
        tab.click()
        expect(page).to_have_url(f"{live_server}{href}")
        expect(page.locator("nav.tabs a[aria-current]")).to_have_attribute("href", href)
        page.wait_for_load_state("networkidle")
        assert_no_violation(page)


def test_axe_finds_no_violation_on_a_form_with_errors(page: Page, live_server: str, app) -> None:
    sign_in(page, live_server, "shenyang-admin")
    studio = studio_of(app, "shenyang")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    form = page.locator("#member-form")
    form.get_by_label("或新增人员：姓名").fill("赵一鸣")
    form.locator("input[name=joined]").fill("")
    form.locator("input[name=joined]").evaluate("el => el.removeAttribute('required')")
    form.get_by_role("button", name="添加").click()
    expect(page.locator("#member-form .field-error").first).to_be_visible()
    assert_no_violation(page)
    # a money form refused on its amount
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/funds")
    expense = page.locator("#expense-form")
    expense.locator("select[name=category]").select_option(index=1)
    expense.locator("input[name=amount]").fill("一千")
    expense.locator("input[name=amount]").evaluate("el => { el.type = 'text'; el.removeAttribute('pattern'); }")
    expense.get_by_role("button", name="登记").click()
    expect(page.locator("#expense-form .field-error").first).to_be_visible()
    assert_no_violation(page)


@pytest.mark.parametrize("tenant", ["shenyang", "lianyungang", "wenzhou", "wushen"])
def test_axe_finds_no_violation_on_the_assessment_pages(page: Page, live_server: str, app, tenant: str) -> None:
    studio = studio_of(app, tenant, f"{tenant}-host")
    sign_in(page, live_server, f"{tenant}-admin")
    page.goto(f"{live_server}/{tenant}/assessments")
    assert_no_violation(page)
    page.goto(f"{live_server}/{tenant}/studios/{studio.id}/assessment")
    assert_no_violation(page)


@pytest.mark.parametrize("tenant", ["shenyang", "wenzhou"])
def test_axe_finds_no_violation_on_the_funds_page(page: Page, live_server: str, app, tenant: str) -> None:
    studio = studio_of(app, tenant, f"{tenant}-host")
    sign_in(page, live_server, f"{tenant}-admin")
    page.goto(f"{live_server}/{tenant}/studios/{studio.id}/funds")
    assert_no_violation(page)
    page.goto(f"{live_server}/{tenant}/studios/{studio.id}/funds/report")
    assert_no_violation(page)


def test_axe_finds_no_violation_on_the_central_page(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("central")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/central/")
    expect(page.locator('#central [data-chart][data-rendered="true"]').first).to_be_visible()
    assert_no_violation(page)
    page.goto(f"{live_server}/central/shenyang/studios")
    assert_no_violation(page)


def test_axe_finds_no_violation_on_a_colleagues_profile(page: Page, live_server: str, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-member")
    sign_in(page, live_server, "shenyang-member")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    page.locator("#members tbody tr a").first.click()
    expect(page.locator("#person-public")).to_be_visible()
    assert_no_violation(page)
    page.get_by_role("link", name="我的主页").click()
    expect(page.locator("#person-attendance")).to_be_visible()
    assert_no_violation(page)


# -- keyboard ---------------------------------------------------------------------------------


def test_the_skip_link_leads_to_the_main_content(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "shenyang-admin")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到正文")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_tab_bar_follows_the_swap(page: Page, live_server: str, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    sign_in(page, live_server, "shenyang-admin")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    tabs = page.locator("nav.tabs")
    tabs.get_by_role("link", name="活动").click()
    expect(page.locator("#activity-list")).to_be_visible()
    expect(tabs.locator("a[aria-current]")).to_have_count(1)
    expect(tabs.locator("a[aria-current]")).to_have_text("活动")
    tabs.get_by_role("link", name="经费").click()
    expect(tabs.locator("a[aria-current]")).to_have_text("经费")
    page.go_back()
    expect(page.locator("#activity-list")).to_be_visible()
    expect(tabs.locator("a[aria-current]")).to_have_count(1)
    expect(tabs.locator("a[aria-current]")).to_have_text("活动")


def test_focus_moves_to_the_first_error(page: Page, live_server: str, app) -> None:
    sign_in(page, live_server, "shenyang-admin")
    studio = studio_of(app, "shenyang")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    form = page.locator("#member-form")
    form.get_by_label("或新增人员：姓名").fill("赵一鸣")
    form.locator("input[name=joined]").fill("")
    form.locator("input[name=joined]").evaluate("el => el.removeAttribute('required')")
    form.get_by_role("button", name="添加").click()
    joined = page.locator("#member-form input[name=joined]")
    expect(joined).to_be_focused()
    expect(joined).to_have_attribute("aria-invalid", "true")
    described = joined.get_attribute("aria-describedby")
    assert described
    expect(page.locator(f"#{described.split()[0]}")).to_have_text("必填")
    expect(joined).to_have_accessible_description("必填")


# -- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["shenyang-admin", "wenzhou-member"])
def test_the_top_bar_does_not_wrap_at_390px(page: Page, live_server: str, app, user: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, user)
    tenant = user.split("-")[0]
    studio = studio_of(app, tenant, None if user.endswith("admin") else user)
    for path in (f"/{tenant}/", f"/{tenant}/studios/{studio.id}/members", f"/{tenant}/studios/{studio.id}/funds"):
        page.goto(f"{live_server}{path}")
        # nothing is wider than the phone: a wide table scrolls inside its own box
        assert page.evaluate("document.documentElement.scrollWidth") == 390, path
        entries = page.evaluate(
            """() => [...document.querySelectorAll('.topbar a, .topbar button, .topbar .tenant-name')].map(el => {
                 const style = getComputedStyle(el);
                 const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.6;
                 const box = el.getBoundingClientRect();
                 return {text: el.textContent.trim(), height: box.height, line, right: box.right};
               })"""
        )
        assert len(entries) >= 5
        for entry in entries:
            # one line each: a link broken one character per line is many lines tall
            assert entry["height"] < 1.5 * entry["line"], (path, entry)
            assert entry["right"] <= 390, (path, entry)
        tables = page.locator("main .table")
        for index in range(tables.count()):
            wrap = tables.nth(index).locator("xpath=..")
            expect(wrap).to_have_class("table-wrap")
    page.goto(f"{live_server}/{tenant}/studios/{studio.id}/members")
    expect(page.locator(".topbar .my-page" if user.endswith("member") else ".topbar .brand")).to_be_visible()
    screenshot(page, f"phone-{tenant}")
