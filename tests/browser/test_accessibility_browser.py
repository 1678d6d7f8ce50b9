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
