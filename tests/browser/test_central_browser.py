"""Central staff open the comparison, switch the year and see the charts drawn again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mingshi.core.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser


def test_the_comparison_draws_its_charts_and_follows_the_year(page: Page, live_server: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("central")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="对比各地").click()
    expect(page.get_by_role("heading", name="各地名师工作室对比")).to_be_visible()

    charts = page.locator("#central [data-chart]")
    count = charts.count()
    assert count >= 10
    expect(page.locator('#central [data-chart][data-rendered="true"]')).to_have_count(count)
    # drawn by ECharts as SVG, labelled in Chinese
    studios_chart = page.locator("#block-studios [data-chart] svg")
    expect(studios_chart).to_be_visible()
    expect(studios_chart).to_contain_text("沈阳市")
    expect(studios_chart).to_contain_text("在册")
    year = page.locator("#central").get_attribute("data-year")
    screenshot(page, "central")
    page.locator("#block-activities").screenshot(path=str(SCREENSHOTS / "central-activities.png"))

    other = "2025" if year != "2025" else "2026"
    page.locator("#central-year").select_option(other)
    expect(page.locator("#central")).to_have_attribute("data-year", other)
    expect(page).to_have_url(f"{live_server}/central/?year={other}")
    expect(page.locator('#central [data-chart][data-rendered="true"]')).to_have_count(count)
    expect(page.locator("#block-funds h2")).to_contain_text(other)
    expect(page.locator("#block-trend [data-chart] svg").first).to_contain_text(other)
    assert not errors, errors

    # a jurisdiction's name leads to its studios, read-only
    page.locator("#block-studios table").get_by_role("link", name="沈阳市").click()
    # the demo's four themes, and two studios plaqued this autumn
    expect(page.locator("#central-studio-list tbody tr")).to_have_count(6)
    expect(page.locator("main form")).to_have_count(0)
