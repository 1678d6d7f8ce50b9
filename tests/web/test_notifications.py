"""Reminders (issue 17): the reminder pass writes what awaits each user once, resolves what no longer
does; the bell counts a user's unread reminders; the list is a user's own, a page at a time; another
tenant's or another user's reminder is a 404; the account page keeps an address and "e-mail me"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select, text

from mingshi.core import models as m
from mingshi.core.services import applications as apps
from mingshi.core.services import notifications as service
from mingshi.core.tenancy import bind_tenant
from tests.bureau.conftest import Tenant
from tests.conftest import PG_URL
from tests.web.conftest import TODAY


def _tenant(app, code: str) -> Tenant:
    return Tenant(app, code)


def _rows(t: Tenant, username: str, *, open_only: bool = True) -> list[m.Notification]:
    user = t.session.scalar(select(m.User).where(m.User.username == username))
    stmt = select(m.Notification).where(m.Notification.user_id == user.id)
    if open_only:
        stmt = stmt.where(m.Notification.resolved_at.is_(None))
    return list(t.session.scalars(stmt.order_by(m.Notification.id)))


def _draft(t: Tenant) -> m.Studio:
    """A draft application hosted by the demo host: it awaits the host's (and the admin's) submission."""
    host = t.session.scalar(select(m.User).where(m.User.username == f"{t.tenant.code}-host"))
    studio = apps.create(
        t.session,
        t.actor(f"{t.tenant.code}-admin"),
        t.jurisdictions,
        {"name": "提醒测试申报工作室", "kind": next(iter(t.jurisdictions.get(t.tenant.jurisdiction).info.studio_kinds)),
         "host_person_id": host.person_id},
        today=TODAY,
    )  # fmt: skip
    t.session.commit()
    return studio


@pytest.mark.parametrize("code", ["shenyang", "wenzhou", "lianyungang", "wushen"])
def test_the_demo_has_reminders_pending_for_the_host_and_the_admin(app, code) -> None:
    t = _tenant(app, code)
    try:
        for role in ("host", "admin"):
            rows = _rows(t, f"{code}-{role}")
            assert rows, f"{code}-{role} has no reminder pending"
            assert all(r.read_at is None and r.email_next_at is not None for r in rows)  # unread, to be e-mailed
    finally:
        t.close()


def test_the_pass_writes_a_thing_once_and_resolves_it_when_it_no_longer_awaits(app) -> None:
    t = _tenant(app, "wushen")
    try:
        studio = _draft(t)
        first = service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        key = f"awaiting:submit:studio:{studio.id}"
        for username in ("wushen-host", "wushen-admin"):
            assert [r.dedupe_key for r in _rows(t, username)].count(key) == 1
        assert "wushen-reviewer" not in {  # the reviewer's move comes after the submission
            u for (u,) in t.session.execute(
                select(m.User.username).join(m.Notification, m.Notification.user_id == m.User.id)
                .where(m.Notification.dedupe_key == key)
            )
        }  # fmt: skip
        assert first.created >= 2
        again = service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        assert again.created == 0 and again.resolved == 0  # a second run does not repeat itself
        assert again.actors <= again.users  # asked once per distinct actor
        # the admin submits it: the submission no longer awaits anyone; the recommendation awaits the reviewer
        apps.take(t.session, t.actor("wushen-admin"), t.jurisdictions, studio, "submit", today=TODAY)
        t.session.commit()
        moved = service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        assert moved.resolved >= 2
        assert key not in [r.dedupe_key for r in _rows(t, "wushen-host")]
        resolved = [r for r in _rows(t, "wushen-host", open_only=False) if r.dedupe_key == key]
        assert len(resolved) == 1 and resolved[0].resolved_at is not None and resolved[0].email_next_at is None
        assert f"awaiting:recommend:studio:{studio.id}" in [r.dedupe_key for r in _rows(t, "wushen-reviewer")]
    finally:
        t.close()


def test_the_words_are_kept_as_a_message_and_read_in_either_language(app) -> None:
    t = _tenant(app, "wushen")
    try:
        studio = _draft(t)
        service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        row = next(r for r in _rows(t, "wushen-host") if r.dedupe_key.endswith(f"studio:{studio.id}"))
        assert row.msgid == "Awaiting your submission: %(studio)s" and row.params == {"studio": "提醒测试申报工作室"}
        assert service.text_of(row).render("en") == "Awaiting your submission: 提醒测试申报工作室"
        assert service.text_of(row).render("zh_CN") == "待您提交申报：提醒测试申报工作室"
        quota = next(r for r in _rows(t, "wushen-host") if r.kind == "quota")
        assert "2026年9月1日" in service.text_of(quota).render("zh_CN")
        english = service.text_of(quota).render("en")
        assert "2026" in english and "2027" in english and "年" not in english  # a date, in English
        assert row.link == f"applications/{studio.id}"
    finally:
        t.close()


def test_a_user_who_has_no_address_or_turned_email_off_gets_no_email_queued(app) -> None:
    t = _tenant(app, "wushen")
    try:
        host = t.session.scalar(select(m.User).where(m.User.username == "wushen-host"))
        host.email_reminders = False
        reviewer = t.session.scalar(select(m.User).where(m.User.username == "wushen-reviewer"))
        assert reviewer.email is None
        t.session.commit()
        studio = _draft(t)
        service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        mine = [r for r in _rows(t, "wushen-host") if r.dedupe_key.endswith(f"studio:{studio.id}")]
        assert mine and all(r.email_next_at is None for r in mine)
        admins = [r for r in _rows(t, "wushen-admin") if r.dedupe_key.endswith(f"studio:{studio.id}")]
        assert admins and all(r.email_next_at is not None for r in admins)  # the admin keeps e-mail on
    finally:
        t.close()


# ---------------------------------------------------------------------------------------------
# the web


def _bell(html: str) -> int | None:
    found = re.search(r'<a class="bell" id="bell"[^>]*>(.*?)</a>', html, re.S)
    if found is None:
        return None
    count = re.search(r'id="bell-count">(\d+)<', found.group(1))
    return int(count.group(1)) if count else 0


def test_the_bell_counts_the_unread_reminders_and_the_list_marks_them_read(visitor, app) -> None:
    visitor.login("shenyang-admin")
    html = visitor.get("/shenyang/").get_data(as_text=True)
    t = _tenant(app, "shenyang")
    try:
        unread = len(_rows(t, "shenyang-admin"))
    finally:
        t.close()
    assert unread >= 1 and _bell(html) == unread
    page = visitor.get("/shenyang/notifications").get_data(as_text=True)
    assert "期间有尚未完成的指标" in page  # the demo's quota reminder, in the reader's language
    ids = [int(i) for i in re.findall(r'<li data-id="(\d+)" class="unread', page)]
    assert len(ids) == unread
    english = visitor.get("/shenyang/notifications?lang=en").get_data(as_text=True)
    assert "studios have quotas not met yet" in english
    visitor.get("/shenyang/notifications?lang=zh_CN")
    response = visitor.post(f"/shenyang/notifications/{ids[0]}/read", {"page": "1"}, htmx=True)
    assert response.status_code == 303 and response.headers["Location"].endswith("/shenyang/notifications?page=1")
    assert _bell(visitor.get("/shenyang/").get_data(as_text=True)) == unread - 1
    visitor.post("/shenyang/notifications/read")
    assert _bell(visitor.get("/shenyang/").get_data(as_text=True)) == 0


def test_opening_a_reminder_reads_it_and_goes_to_the_thing(visitor, app) -> None:
    t = _tenant(app, "wushen")
    try:
        studio = _draft(t)
        service.remind_tenant(t.session, t.jurisdictions, TODAY)
        t.session.commit()
        row = next(r for r in _rows(t, "wushen-host") if r.dedupe_key.endswith(f"studio:{studio.id}"))
        row_id = row.id
    finally:
        t.close()
    visitor.login("wushen-host")
    page = visitor.get("/wushen/notifications").get_data(as_text=True)
    assert "待您提交申报：提醒测试申报工作室" in page
    response = visitor.post(f"/wushen/notifications/{row_id}/open")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/wushen/applications/{studio.id}")
    assert visitor.get(response.headers["Location"]).status_code == 200
    page = visitor.get("/wushen/notifications").get_data(as_text=True)
    assert f'<li data-id="{row_id}" class="read' in page
    t = _tenant(app, "wushen")
    try:
        opened = t.session.get(m.Notification, row_id)
        assert opened.read_at is not None and opened.email_next_at is None  # seen: not e-mailed any more
    finally:
        t.close()


def test_the_list_has_pages(visitor, app, monkeypatch) -> None:
    monkeypatch.setattr(service, "PAGE", 2)
    t = _tenant(app, "wushen")
    try:
        user = t.session.scalar(select(m.User).where(m.User.username == "wushen-admin"))
        base = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        for i in range(5):
            t.session.add(
                m.Notification(user_id=user.id, dedupe_key=f"test:{i}", kind="test", msgid="Awaiting you: %(studio)s",
                               params={"studio": f"工作室{i}"}, link="", created_at=base + dt.timedelta(hours=i))
            )  # fmt: skip
        t.session.commit()
        total = len(_rows(t, "wushen-admin", open_only=False))
    finally:
        t.close()
    visitor.login("wushen-admin")
    seen: list[str] = []
    path = "/wushen/notifications"
    while path:
        html = visitor.get(path).get_data(as_text=True)
        found = re.findall(r'<li data-id="(\d+)"', html)
        assert len(found) <= 2
        seen += found
        nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
        path = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == total and len(set(seen)) == total


def test_another_users_or_another_tenants_reminder_is_not_found(visitor, app) -> None:
    t = _tenant(app, "wenzhou")
    try:
        other_tenant = _rows(t, "wenzhou-admin")[0].id
    finally:
        t.close()
    t = _tenant(app, "shenyang")
    try:
        other_user = _rows(t, "shenyang-host")[0].id
        mine = _rows(t, "shenyang-admin")[0].id
    finally:
        t.close()
    visitor.login("shenyang-admin")
    for row_id in (other_tenant, other_user):
        for action in ("read", "open"):
            assert visitor.post(f"/shenyang/notifications/{row_id}/{action}").status_code == 404
    page = visitor.get("/shenyang/notifications").get_data(as_text=True)
    assert f'data-id="{other_user}"' not in page and f'data-id="{other_tenant}"' not in page
    assert f'data-id="{mine}"' in page
    # another tenant's list: 404 (the URL does not confirm the tenant)
    assert visitor.get("/wenzhou/notifications").status_code == 404
    # the other user's reminder is still unread
    t = _tenant(app, "shenyang")
    try:
        assert t.session.get(m.Notification, other_user).read_at is None
    finally:
        t.close()


@pytest.mark.skipif(not PG_URL, reason="row-level security is PostgreSQL's")
def test_row_level_security_hides_another_tenants_reminders(app) -> None:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        ids = dict(session.execute(select(m.Tenant.code, m.Tenant.id)).all())
        bind_tenant(session, ids["shenyang"])
        # a raw statement is not scoped by the ORM: only the database's wall stands
        seen = set(session.scalars(text("SELECT DISTINCT tenant_id FROM notifications")))
        assert seen == {ids["shenyang"]}
        wenzhou_user = session.scalar(select(m.User.id).where(m.User.username == "wenzhou-admin"))
        # a reminder of tenant A cannot name tenant B's user (the composite key), whatever the role
        from sqlalchemy.exc import IntegrityError

        with pytest.raises(IntegrityError, match=r"fk_notifications_tenant_user_id"):
            session.execute(
                text(
                    "INSERT INTO notifications (tenant_id, user_id, dedupe_key, kind, msgid, params, link, created_at,"
                    " email_attempts) VALUES (:t, :u, 'x', 'x', 'x', '{}', '', now(), 0)"
                ),
                {"t": ids["shenyang"], "u": wenzhou_user},
            )
        session.rollback()


def test_a_reminder_cannot_name_another_tenants_user(app) -> None:
    from sqlalchemy.exc import IntegrityError

    t = _tenant(app, "shenyang")
    try:
        wenzhou_admin = t.session.scalar(select(m.User.id).where(m.User.username == "wenzhou-admin"))
        t.session.add(m.Notification(user_id=wenzhou_admin, dedupe_key="x", kind="x", msgid="x", params={}, link=""))
        with pytest.raises(IntegrityError):
            t.session.flush()
        t.session.rollback()
    finally:
        t.close()


# ---------------------------------------------------------------------------------------------
# the account page


def test_the_account_page_keeps_an_address_and_e_mail_me(visitor, app) -> None:
    visitor.login("wushen-reviewer")
    page = visitor.get("/account/").get_data(as_text=True)
    assert 'id="email-preferences"' in page and 'name="email_reminders" checked' in page  # on by default
    bad = visitor.post("/account/email", {"email": "not an address", "email_reminders": "on"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "不是电子邮件地址" in html and 'value="not an address"' in html and 'aria-invalid="true"' in html
    good = visitor.post("/account/email", {"email": "reviewer@wushen.example.org"})  # the box unticked: off
    assert good.status_code == 303
    t = _tenant(app, "wushen")
    try:
        user = t.session.scalar(select(m.User).where(m.User.username == "wushen-reviewer"))
        assert user.email == "reviewer@wushen.example.org" and user.email_reminders is False
        entry = t.session.scalar(
            select(m.AuditEntry).where(
                m.AuditEntry.action == "change_email_preferences", m.AuditEntry.entity_id == user.id
            )
        )
        assert entry.before == {"email": None, "email_reminders": True}
        assert entry.after == {"email": "reviewer@wushen.example.org", "email_reminders": False}
    finally:
        t.close()
    page = visitor.get("/account/?saved=email").get_data(as_text=True)
    assert 'value="reviewer@wushen.example.org"' in page and 'name="email_reminders" checked' not in page


def test_the_language_a_user_chooses_is_kept_for_their_e_mail(visitor, app) -> None:
    visitor.login("wushen-host")
    visitor.get("/lang/en?next=/wushen/")
    t = _tenant(app, "wushen")
    try:
        user = t.session.scalar(select(m.User).where(m.User.username == "wushen-host"))
        assert user.language == "en"
    finally:
        t.close()
    # signed in again from a fresh browser, the pages are in the language they chose
    visitor.client.post("/logout", headers={"X-CSRFToken": visitor.token})
    fresh = type(visitor)(app)
    fresh.login("wushen-host")
    assert '<html lang="en">' in fresh.get("/wushen/").get_data(as_text=True)


def _counted_pass(app, code: str) -> tuple[int, service.PassResult]:
    """One reminder pass over the tenant ``code``, committed: its statements and its result."""
    from sqlalchemy import event

    engine = app.extensions["mingshi"]["engine"]
    counted = [0]

    def count(*_a) -> None:
        counted[0] += 1

    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == code)))
        event.listen(engine, "before_cursor_execute", count)
        try:
            result = service.remind_tenant(session, app.extensions["mingshi"]["jurisdictions"], TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        session.commit()
    return counted[0], result


def test_the_pass_costs_the_same_statements_for_more_users_of_one_kind(app) -> None:
    """Administrators share one answer: a tenant with three more of them costs the same statements."""
    from mingshi.core.services import accounts, tenants

    factory = app.extensions["mingshi"]["sessions"]

    def statements() -> int:
        return _counted_pass(app, "wushen")[0]

    statements()  # the first run writes the new reminders
    before = statements()
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
        for i in range(3):
            accounts.create_user(session, tenants.OPERATOR, username=f"wushen-admin{i}", display_name=f"管理员{i}",
                                 tenant=tenant, roles=[("admin", None)], password_hash="x")  # fmt: skip
        session.commit()
    statements()
    assert statements() == before
    with factory() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "wushen")))
        assert session.scalar(select(func.count()).select_from(m.Notification)) > 0


def test_the_pass_costs_the_same_statements_for_more_hosts(app) -> None:
    """Hosts have an answer each (their studios differ), and they are asked together: giving every
    host of the tenant an account, each with studios of their own to remind of, adds no statement."""
    from mingshi.core.services import accounts, tenants

    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]

    def statements() -> tuple[int, service.PassResult]:
        return _counted_pass(app, "wenzhou")

    statements()  # the first run writes the new reminders
    before, first = statements()
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        bind_tenant(session, tenant.id)
        with_account = set(session.scalars(select(m.User.person_id).where(m.User.person_id.is_not(None))))
        hosts = session.execute(
            select(m.Membership.person_id, m.Membership.studio_id).where(
                m.Membership.role == "host", m.Membership.left.is_(None)
            )
        ).all()
        added = 0
        for person_id, studio_id in hosts:
            if person_id in with_account:
                continue
            accounts.create_user(
                session,
                tenants.OPERATOR,
                username=f"wz-host-{person_id}",
                display_name=f"主持人{person_id}",
                tenant=tenant,
                roles=[("host", studio_id)],
                person_id=person_id,
                password_hash="x",
            )
            added += 1
        session.commit()
    assert added >= 2, "the demo should have hosts without an account"
    statements()  # writes the new hosts' reminders
    after, again = statements()
    assert again.actors >= first.actors + added
    assert after == before
    # asked together, each recipient gets what they would be told if asked alone
    from mingshi.core.services.applications import awaiting

    with factory() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "wenzhou")))
        recipients = service.recipients_of(session, TODAY)
        together = service.awaiting_source(session, recipients, jurisdictions, TODAY)
        hosts_told = 0
        for recipient in recipients:
            alone = [
                service.reminder_of(item) for item in awaiting(session, recipient.actor, jurisdictions, today=TODAY)
            ]
            assert [r.key for r in together[recipient.user.id]] == [r.key for r in alone], recipient.user.username
            hosts_told += bool(recipient.actor.hosted and alone)
        assert hosts_told >= 2


def test_the_demo_shows_every_state_of_a_reminder(visitor, app) -> None:
    visitor.login("wushen-host")
    page = visitor.get("/wushen/notifications").get_data(as_text=True)
    assert 'class="unread' in page and 'class="read resolved' in page
    assert 'data-email="due"' in page and 'data-email="failed"' in page and "邮件未能发出" in page
    assert "SMTPRecipientsRefused" not in page  # the error is the operator's, kept on the row
    visitor.login("wushen-admin")
    page = visitor.get("/wushen/notifications?lang=en").get_data(as_text=True)
    assert 'data-email="sent"' in page and "e-mailed on" in page and "done since" in page
    assert "The assessment of" in page  # the confirmation the demo's stored results answered
