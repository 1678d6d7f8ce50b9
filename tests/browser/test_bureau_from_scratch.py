"""Standing up a real bureau from an EMPTY database: the operator's commands create the tenant and
its administrator, who signs in with the one-time password, chooses their own, records a school, a
person with an honour, a host account and an application whose Wenzhou host-qualification check
passes without any attestation (issue 11)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import all_tenants
from mingshi.web import create_app
from mingshi.web.cli import main
from tests.browser.conftest import screenshot
from tests.conftest import served_url
from tests.served import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def empty_server(database_url, monkeypatch, jurisdictions) -> Iterator[tuple[str, object]]:
    monkeypatch.setenv("DATABASE_URL", database_url)  # the operator's commands run as the tables' owner
    # the application serves as the deployment's application role on PostgreSQL (it refuses the owner)
    app = create_app({"DATABASE_URL": served_url(database_url), "JURISDICTIONS": jurisdictions, "SECRET_KEY": "test"})
    with serve(app) as url:
        yield url, app
    app.extensions["mingshi"]["engine"].dispose()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def _pick(page: Page, form, field: str, text: str) -> None:
    """Type into a searchable picker and choose the answer naming ``text``."""
    form.locator(f'input[name="{field}__q"]').fill(text)
    choice = form.locator(f'[data-picker="{field}"] .pick-results label', has_text=text).first
    expect(choice).to_be_visible()
    choice.locator("input").check()


def test_a_new_bureau_from_an_empty_database(page: Page, empty_server, sessions) -> None:
    base, _app = empty_server
    with sessions() as session:
        assert session.scalar(select(m.Tenant)) is None and session.scalar(select(m.User)) is None
    _cli("tenant", "create", "wenzhou", "--jurisdiction", "wenzhou", "--name", "温州市")
    output = _cli(
        "user", "create", "wz-admin", "--tenant", "wenzhou", "--role", "admin", "--display-name", "温州市教育局"
    )
    one_time = re.search(r"one-time password: (\S+)", output).group(1)

    # the first sign-in leads to choosing a password
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill("wz-admin")
    page.locator("input[name=password]").fill(one_time)
    page.locator("form button[type=submit]").click()
    expect(page.locator('[data-must-change="true"]')).to_be_visible()
    form = page.locator("#change-password")
    form.locator("input[name=current]").fill(one_time)
    form.locator("input[name=new]").fill("password123")
    form.locator("input[name=repeated]").fill("password123")
    form.locator("button[type=submit]").click()
    expect(page.locator("#change-password .field-error")).to_be_visible()
    form.locator("input[name=current]").fill(one_time)
    form.locator("input[name=new]").fill("Harbour-Lantern-917")
    form.locator("input[name=repeated]").fill("Harbour-Lantern-917")
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-must-change="true"]')).to_have_count(0)

    # a school, in a county picked from the list the policy seeded
    page.goto(f"{base}/wenzhou/admin/schools")
    form = page.locator("#create-school")
    form.locator("input[name=name]").fill("文成县黄坦中学")
    form.locator("select[name=county]").select_option("文成县")
    form.locator("input[name=rural]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator('tr[data-school="文成县黄坦中学"]')).to_be_visible()

    # a person at that school, then an honour of article 3
    page.goto(f"{base}/wenzhou/admin/people")
    form = page.locator("#create-person")
    form.locator("input[name=name]").fill("陈慧敏")
    form.locator("select[name=sex]").select_option("F")
    form.locator("input[name=born]").fill("1978-04-12")
    _pick(page, form, "school_id", "黄坦")
    form.locator("select[name=title]").select_option("deputy_senior")
    form.locator("input[name=phone]").fill("13912345678")
    form.locator("button[type=submit]").click()
    honor = page.locator("#add-honor")
    honor.locator("select[name=honor]").select_option("wenzhou_famous_teacher")
    honor.locator("input[name=awarded]").fill("2023-09-10")
    honor.locator("input[name=evidence]").fill("温教人〔2023〕45号")
    honor.locator("button[type=submit]").click()
    expect(page.locator('#honors tr[data-honor="wenzhou_famous_teacher"]')).to_contain_text("温教人〔2023〕45号")
    screenshot(page, "admin-person")

    # the application of her studio, in the county
    page.goto(f"{base}/wenzhou/applications")
    page.locator("#applications details summary").click()
    form = page.locator("#application-form")
    form.locator("input[name=name]").fill("陈慧敏“名师送教”工作室")
    form.locator("select[name=kind]").select_option("outreach_studio")
    form.locator("select[name=county]").select_option("文成县")
    _pick(page, form, "school_id", "黄坦")
    _pick(page, form, "host_person_id", "陈慧敏")
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-rule="wz.host.qualification"]')).to_be_visible()

    # her account, as the host of that studio
    page.goto(f"{base}/wenzhou/admin/accounts")
    form = page.locator("#create-account")
    form.locator("input[name=username]").fill("chen-huimin")
    form.locator("input[name=display_name]").fill("陈慧敏")
    form.locator('input[name=role][value="host"]').check()
    _pick(page, form, "studio_id", "陈慧敏")
    _pick(page, form, "person_id", "陈慧敏")
    form.locator("button[type=submit]").click()
    expect(page.locator('[data-issued="chen-huimin"] .one-time-password')).to_be_visible()
    screenshot(page, "admin-accounts")

    with sessions() as session:
        studio = session.scalar(select(m.Studio).execution_options(**all_tenants("test")))
        assert session.scalar(select(m.Attestation).execution_options(**all_tenants("test"))) is None
    page.goto(f"{base}/wenzhou/applications/{studio.id}")
    row = page.locator('[data-rule="wz.host.qualification"]')
    expect(row).to_have_attribute("data-status", "met")
    expect(row).to_contain_text("温州市名教师")
