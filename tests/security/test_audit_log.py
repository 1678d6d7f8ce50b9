"""The audit log page: administrators only, newest first, in plain language, a constant number of queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.services import audit_text
from mingshi.core.services.access import Forbidden, actor_for
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY, studio_of

# the demo application's fixtures (imported under other names: pytest registers them as app, visitor …)
from tests.web.conftest import app as _app  # noqa: F401
from tests.web.conftest import demo_template as _demo_template  # noqa: F401
from tests.web.conftest import demo_url as _demo_url  # noqa: F401
from tests.web.conftest import jurisdictions as _jurisdictions  # noqa: F401
from tests.web.conftest import visitor as _visitor  # noqa: F401


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _day_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _a_member(app, studio) -> m.Membership:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        return session.scalars(
            select(m.Membership).where(
                m.Membership.studio_id == studio.id, m.Membership.role == "member", m.Membership.left.is_(None)
            )
        ).first()


def test_the_administrator_reads_what_happened_in_plain_language(app, visitor) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    membership = _a_member(app, studio)
    name = membership.person.name
    base = f"/shenyang/studios/{studio.id}"
    assert (
        visitor.post(
            f"{base}/members/{membership.id}/edit",
            {"joined": membership.joined.isoformat(), "title": "senior", "backbone_level": "municipal"},
        ).status_code
        == 302
    )
    assert (
        visitor.post(
            f"{base}/members/{membership.id}/remove", {"date": TODAY.isoformat(), "reason": "调离原工作岗位"}
        ).status_code
        == 302
    )
    today = audit_text.local_time(dt.datetime.now(dt.UTC)).date()
    page = _text(visitor.get("/shenyang/audit"))
    sentences = re.findall(r'<span class="sentence">([^<]*)</span>', page)
    # newest first: the removal, then the edit
    assert sentences[0] == f"沈阳市教育局管理员 于 {_day_zh(today)} 将 {name} 移出 {studio.name}：调离原工作岗位"
    assert sentences[1] == f"沈阳市教育局管理员 于 {_day_zh(today)} 修改了 {studio.name} 中 {name} 的信息"
    edit = re.search(r'data-action="edit_member".*?</tr>', page).group(0)
    assert "职称: " in edit and "→ 正高级" in edit and "骨干级别: " in edit and "→ 市级" in edit
    english = _text(visitor.get("/shenyang/audit?lang=en"))
    assert f"removed {name} from {studio.name}: 调离原工作岗位" in english
    assert "professional title: " in english and "→ senior" in english


def test_only_the_administrator_sees_the_audit_log(app, visitor) -> None:
    for username in ("shenyang-reviewer", "shenyang-host", "shenyang-member"):
        visitor.login(username)
        assert visitor.get("/shenyang/audit").status_code == 403
        assert "操作日志" not in _text(visitor.get("/shenyang/"))
    visitor.login("shenyang-admin")
    assert "操作日志" in _text(visitor.get("/shenyang/"))


def _add_entries(app, tenant_code: str, count: int, who: str = "操作员", later: int = 0) -> int:
    """Add ``count`` entries (a minute apart, from ``later`` minutes into 2026); return how many entries the
    tenant has now."""
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant_code))
        bind_tenant(session, tenant.id)
        memberships = list(session.scalars(select(m.Membership).order_by(m.Membership.id).limit(count)))
        studios = list(session.scalars(select(m.Studio).order_by(m.Studio.id)))
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=later)
        for i in range(count):
            ms = memberships[i % len(memberships)]
            kind = i % 3
            session.add(
                m.AuditEntry(
                    tenant_id=tenant.id,
                    user_name=f"{who}{i}",
                    at=start + dt.timedelta(minutes=i),
                    action=("edit_member", "edit_studio", "add_member")[kind],
                    entity=("membership", "studio", "membership")[kind],
                    entity_id=(ms.id, studios[i % len(studios)].id, ms.id)[kind],
                    before={"title": "junior", "school_id": ms.person.school_id} if kind == 0 else {"name": "旧"},
                    after={"title": "senior", "school_id": None} if kind == 0 else {"name": "新"},
                )
            )
        session.commit()
        return len(list(session.scalars(select(m.AuditEntry.id).where(m.AuditEntry.tenant_id == tenant.id))))


def _count_queries(app, path: str, visitor) -> int:
    engine = app.extensions["mingshi"]["engine"]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert visitor.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_pages_are_newest_first_and_cost_the_same_number_of_queries(app, visitor) -> None:
    visitor.login("wenzhou-admin")
    # (the names a page looks up depend on the kinds of entry on it: a first page of the added kinds)
    total = _add_entries(app, "wenzhou", 50)
    small = _count_queries(app, "/wenzhou/audit", visitor)
    total = _add_entries(app, "wenzhou", 73)
    assert total > 100  # more than two pages (the demo's own entries come first: plans and reports among them)
    large = _count_queries(app, "/wenzhou/audit", visitor)
    assert large == small
    first = _text(visitor.get("/wenzhou/audit"))
    assert first.count("<tr data-action=") == 50 and 'rel="next"' in first and 'rel="prev"' not in first
    times = re.findall(r'<td class="num">([^<]*)</td>', first)
    assert times == sorted(times, reverse=True)
    # keyset pages: follow the "older" links (before=<last id seen>) to the oldest, and come back with "newer"
    second_url = html.unescape(re.search(r'<a href="([^"]+)"[^>]*rel="next"', first).group(1))
    second = _text(visitor.get(second_url))
    assert second.count("<tr data-action=") == 50 and 'rel="prev"' in second
    seen, before, third = 100, second, second
    while 'rel="next"' in third:
        before = third
        third_url = html.unescape(re.search(r'<a href="([^"]+)"[^>]*rel="next"', third).group(1))
        third = _text(visitor.get(third_url))
        seen += third.count("<tr data-action=")
    assert seen == total and 'rel="prev"' in third
    second = before
    back_url = html.unescape(re.search(r'<a href="([^"]+)"[^>]*rel="prev"', third).group(1))
    assert re.findall(r'data-entry="(\d+)"', _text(visitor.get(back_url))) == re.findall(r'data-entry="(\d+)"', second)
    assert visitor.get("/wenzhou/audit?before=abc").status_code == 200
    assert "尚无记录" in _text(visitor.get("/wenzhou/audit?before=1"))


def test_entries_of_other_tenants_are_not_shown(app, visitor) -> None:
    _add_entries(app, "wenzhou", 2)
    visitor.login("shenyang-admin")
    assert "操作员" not in _text(visitor.get("/shenyang/audit"))


def test_unknown_actions_and_deleted_records_still_read_plainly(app) -> None:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        bind_tenant(session, tenant.id)
        at = dt.datetime(2026, 11, 19, 23, 30, tzinfo=dt.UTC)  # Beijing: 20 November, 07:30
        entries = [
            m.AuditEntry(
                id=-1, tenant_id=tenant.id, user_name="王五", at=at, action="archive", entity="thing", entity_id=7
            ),
            m.AuditEntry(
                id=-2,
                tenant_id=tenant.id,
                user_name=None,
                at=at,
                action="add_member",
                entity="membership",
                entity_id=10**9,
            ),
        ]
        lines = audit_text.describe(session, entries)
    assert (
        lines[0].sentence.render("en") == "王五 on 2026-11-20 changed a record (record no. 7)"
    )  # no code of the action
    assert lines[1].sentence.render("en") == "someone on 2026-11-20 added a deleted record to a deleted record"
    assert lines[0].at.hour == 7


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", '=HYPERLINK("http://x")'])
def test_names_in_the_log_are_escaped(app, visitor, hostile) -> None:
    _add_entries(app, "shenyang", 1, who=hostile)
    visitor.login("shenyang-admin")
    html = visitor.get("/shenyang/audit").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html or "=HYPERLINK(&#34;http://x&#34;)" in html


def test_the_service_checks_the_reader(app) -> None:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        ids = dict(session.execute(select(m.Tenant.code, m.Tenant.id)).all())
        bind_tenant(session, ids["wenzhou"])
        admin = session.scalar(select(m.User).where(m.User.username == "wenzhou-admin"))
        reviewer = session.scalar(select(m.User).where(m.User.username == "wenzhou-reviewer"))
        assert audit_text.page_of(session, actor_for(session, admin, today=TODAY), ids["wenzhou"]) is not None
        with pytest.raises(Forbidden):
            audit_text.page_of(session, actor_for(session, reviewer, today=TODAY), ids["wenzhou"])
        with pytest.raises(Forbidden):
            audit_text.page_of(session, actor_for(session, admin, today=TODAY), ids["shenyang"])
