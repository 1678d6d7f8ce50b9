"""A person at the keyboard: sign in, add a member, record an activity, see the consequences."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.tenancy import bind_tenant
from tests.browser.conftest import screenshot
from tests.web.conftest import studio_of

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_sign_in_and_add_a_member(page: Page, live_server: str, app) -> None:
    sign_in(page, live_server, "shenyang-host")
    screenshot(page, "dashboard")
    studio = studio_of(app, "shenyang", "shenyang-host")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    before = page.locator("#members table").first.locator("tbody tr").count()
    form = page.locator("#member-form")
    form.get_by_label("或新增人员：姓名").fill("林晓雪")
    form.locator("select[name=sex]").select_option("F")
    form.get_by_role("button", name="添加").click()
    expect(page.locator("#members table").first.locator("tbody tr")).to_have_count(before + 1)
    expect(page.locator('tr[data-person="林晓雪"]')).to_contain_text("在册")
    screenshot(page, "members")


def test_a_bad_form_keeps_what_was_typed(page: Page, live_server: str, app) -> None:
    sign_in(page, live_server, "shenyang-admin")
    studio = studio_of(app, "shenyang")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/members")
    form = page.locator("#member-form")
    form.get_by_label("或新增人员：姓名").fill("赵一鸣")
    form.locator("input[name=joined]").fill("")
    form.locator("input[name=joined]").evaluate("el => el.removeAttribute('required')")
    form.get_by_role("button", name="添加").click()
    expect(page.locator("#member-form .field-error").first).to_have_text("必填")
    expect(page.locator("#member-form").get_by_label("或新增人员：姓名")).to_have_value("赵一鸣")


def test_recording_an_activity_moves_the_quota_bar(page: Page, live_server: str, app) -> None:
    sign_in(page, live_server, "shenyang-admin")
    studio = studio_of(app, "shenyang")
    page.goto(f"{live_server}/shenyang/studios/{studio.id}/progress")
    bar = page.locator('[data-rule="sy.task.send_teaching"] .quota-count')
    done, target = (int(x) for x in bar.inner_text().split("/"))
    screenshot(page, "progress")
    page.get_by_role("link", name="活动").click()
    page.get_by_text("登记活动").click()
    form = page.locator("#activity-form")
    form.get_by_label("标题").fill("送教下乡：康平县胜利街道中心校")
    form.locator("input[name=date]").fill("2026-11-18")
    form.locator("select[name=type]").select_option("send_teaching")
    form.locator("select[name=scope]").select_option("county")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#activity-list")).to_contain_text("送教下乡：康平县胜利街道中心校")
    screenshot(page, "activities")
    page.get_by_role("link", name="任务完成进度").click()
    expect(page.locator('[data-rule="sy.task.send_teaching"] .quota-count')).to_have_text(f"{done + 1}/{target}")


def test_second_unexcused_absence_removes_a_wenzhou_trainee(page: Page, live_server: str, app) -> None:
    studio = studio_of(app, "wenzhou")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        trainee = session.scalars(
            select(m.Membership).where(m.Membership.studio_id == studio.id, m.Membership.role == "trainee")
        ).first()
        name, person_id = trainee.person.name, trainee.person_id
        for record in session.scalars(select(m.Attendance).where(m.Attendance.person_id == person_id)):
            record.status = "present"
        session.commit()
    sign_in(page, live_server, "wenzhou-admin")
    page.goto(f"{live_server}/wenzhou/studios/{studio.id}/activities")
    for title, day in (("课堂观察与诊断", "2026-11-10"), ("作业设计研讨", "2026-11-17")):
        form = page.locator("#activity-form")
        if not form.is_visible():
            page.get_by_text("登记活动").click()
        form.get_by_label("标题").fill(title)
        form.locator("input[name=date]").fill(day)
        form.locator("select[name=type]").select_option("open_class")
        form.get_by_label(f"{name} 缺席").check()
        form.get_by_role("button", name="登记").click()
        expect(page.locator("#activity-list")).to_contain_text(title)
    alert = page.locator(f'[data-removed="{name}"]')
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("2026年11月17日")
    screenshot(page, "wenzhou-removal")
    page.get_by_role("link", name="学员").click()
    expect(page.locator(f'tr[data-person="{name}"]')).to_contain_text("已取消资格")


def test_switching_to_english(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "wushen-admin")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.locator(".main-nav a").nth(1).click()
    expect(page.get_by_placeholder("Search by studio or host")).to_be_visible()
    screenshot(page, "studios-en")
