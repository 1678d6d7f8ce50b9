"""The bureau at the keyboard: an application from draft to 挂牌, and an expense refused for overspending."""

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


def _researcher_and_member(app) -> tuple[str, str]:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant.id)
        host = session.scalars(select(m.Person).where(m.Person.position == "researcher")).first()
        member = session.scalars(
            select(m.Person).where(m.Person.backbone_level.in_(("county", "municipal")), m.Person.id != host.id)
        ).first()
        return host.name, member.name


def pick(form, field: str, text: str) -> None:
    """Choose ``text`` in a searchable picker (the server answers a few rows as radio buttons)."""
    form.locator(f'input[name="{field}__q"]').fill(text)
    choice = form.locator(f'[data-picker="{field}"] .pick-results label', has_text=text).first
    expect(choice).to_be_visible()
    choice.locator("input").check()


def test_an_application_from_draft_to_plaque(page: Page, live_server: str, app) -> None:
    host, member = _researcher_and_member(app)
    sign_in(page, live_server, "wushen-admin")
    page.get_by_role("link", name="申报").first.click()
    page.get_by_text("填写申报").click()
    form = page.locator("#application-form")
    form.locator("input[name=name]").fill("乌审旗初中数学名师工作室")
    form.locator("select[name=kind]").select_option("studio")
    pick(form, "host_person_id", host)
    form.get_by_role("button", name="创建申报草稿").click()
    expect(page.locator("#eligibility")).to_have_attribute("data-grade", "fail")  # no member yet
    # the members tab: add one member; the eligibility follows
    page.get_by_role("link", name="成员").first.click()
    pick(page.locator("#member-form"), "person_id", member)
    page.get_by_role("button", name="添加").click()
    expect(page.locator(f'tr[data-person="{member}"]')).to_be_visible()
    page.get_by_role("link", name="申报").last.click()
    expect(page.locator("#eligibility")).to_have_attribute("data-grade", "pending")
    for step in ("submit", "recommend", "review"):
        page.locator(f'button[data-step="{step}"]').click()
        expect(page.locator(f'button[data-step="{step}"]')).to_have_count(0)
    # an expert's judgement with a comment turns the check from pending to pass
    judge = page.locator('form[data-attest="ws.member.qualification"]')
    judge.locator("input[value=yes]").check()
    judge.locator("input[name=comment]").fill("成员团队合作精神强，能承担职责任务")
    judge.get_by_role("button", name="登记").click()
    expect(page.locator("#eligibility")).to_have_attribute("data-grade", "pass")
    page.locator('button[data-step="notice"]').click()
    expect(page.get_by_text("公示至")).to_be_visible()
    screenshot(page, "application")
    # the notice period passes
    app.config["MINGSHI_TODAY"] = TODAY + dt.timedelta(days=8)
    page.reload()
    page.locator('button[data-step="approve"]').click()
    expect(page.locator("#application")).to_contain_text("在册")
    page.locator(".main-nav a").nth(1).click()
    expect(page.locator("#studio-list")).to_contain_text("乌审旗初中数学名师工作室")


def test_an_expense_beyond_the_balance_is_refused(page: Page, live_server: str, app) -> None:
    studio = studio_of(app, "wushen")
    sign_in(page, live_server, "wushen-admin")
    page.goto(f"{live_server}/wushen/studios/{studio.id}/funds")
    grant = page.locator("form").filter(has=page.locator("input[name=basis]"))
    grant.locator("input[name=amount]").fill("1000")
    grant.get_by_role("button", name="拨付").click()
    expect(page.locator("#balance")).to_have_text("¥1,000.00")
    expense = page.locator("#expense-form")
    expense.locator("select[name=category]").select_option(index=1)
    expense.locator("input[name=amount]").fill("1000.01")
    expense.get_by_role("button", name="登记").click()
    expect(page.locator("#expense-form .field-error")).to_contain_text("超出经费结余")
    expect(page.locator("#expense-form input[name=amount]")).to_have_value("1000.01")
    expect(page.locator("#balance")).to_have_text("¥1,000.00")
    screenshot(page, "funds")
