"""Reminder e-mail (issue 17) through a real SMTP server on loopback (aiosmtpd), never a mock of the
sender: the message as received (headers, UTF-8 subject, the link), in the user's saved language; a
server that is down (the error kept, tried again after the backoff, then sent); giving up after the
last attempt; a user who turned e-mail off gets none; two senders never send one reminder twice."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import threading
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from mingshi.core import models as m
from mingshi.core.config import SmtpSettings, smtp_settings
from mingshi.core.services import notifications as service
from mingshi.core.tenancy import bind_tenant

BASE = "https://mingshi.example.gov.cn"
FROM = "reminders@mingshi.example.gov.cn"


class Sink:
    """Keeps every message the SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.raw: dict[str, bytes] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
            for rcpt in envelope.rcpt_tos:
                self.raw[rcpt] = envelope.original_content
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.sink = Sink()
        self.controller: Controller | None = None

    @property
    def settings(self) -> SmtpSettings:
        return smtp_settings(f"smtp://127.0.0.1:{self.port}?timeout=5")

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on a free loopback port, not started (``start()``: up; before: down)."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


def _factory(app):
    return app.extensions["mingshi"]["sessions"]


def _due(app) -> dict[str, list[int]]:
    """Per user name, the reminders due for e-mail (every tenant)."""
    out: dict[str, list[int]] = {}
    with _factory(app)() as first:
        tenant_ids = list(first.scalars(select(m.Tenant.id)))
    for tenant_id in tenant_ids:
        with _factory(app)() as session:
            bind_tenant(session, tenant_id)
            for username, row_id in session.execute(
                select(m.User.username, m.Notification.id)
                .join(m.User, m.User.id == m.Notification.user_id)
                .where(m.Notification.email_next_at.is_not(None), m.Notification.emailed_at.is_(None))
            ):
                out.setdefault(username, []).append(row_id)
            session.rollback()
    return out


def _row(app, code: str, row_id: int) -> m.Notification:
    with _factory(app)() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == code)))
        row = session.get(m.Notification, row_id)
        session.expunge(row)
        return row


def _send(app, smtp: SmtpServer, now: dt.datetime | None = None) -> service.SendResult:
    return service.send_due(_factory(app), smtp.settings, mail_from=FROM, base_url=BASE, now=now)


def test_the_reminders_arrive_as_real_mail_in_the_users_language(app, smtp) -> None:
    due = _due(app)
    assert {"wushen-admin", "wushen-host"} <= set(due)  # the demo's reminders, for the users with an address
    with _factory(app)() as session:
        host = session.scalar(select(m.User).where(m.User.username == "wushen-host"))
        host.language = "en"
        session.commit()
    smtp.start()
    result = _send(app, smtp)
    assert result.failed == 0 and result.sent == sum(len(ids) for ids in due.values())
    received = {rcpt[0]: (sender, message) for sender, rcpt, message in smtp.sink.messages}
    sender, admin_mail = received["wushen-admin@example.org"]
    assert sender == FROM
    # decoded from its RFC 2047 UTF-8 encoding: one reminder is named, several are counted
    if len(due["wushen-admin"]) == 1:
        assert admin_mail["Subject"].startswith("提醒：")
    else:
        assert admin_mail["Subject"] == f"名师工作室管理平台有{len(due['wushen-admin'])}项事务待您处理"
    headers = smtp.sink.raw["wushen-admin@example.org"].split(b"\r\n\r\n", 1)[0]
    assert b"Subject: =?utf-8?" in headers and headers.isascii()  # the UTF-8 subject sent encoded (RFC 2047)
    assert admin_mail["To"].addresses[0].addr_spec == "wushen-admin@example.org"
    assert admin_mail["From"].addresses[0].addr_spec == FROM and admin_mail["Message-ID"] and admin_mail["Date"]
    assert admin_mail["Auto-Submitted"] == "auto-generated"
    body = admin_mail.get_body(("plain",)).get_content()
    assert "个工作室在" in body and f"{BASE}/wushen/studios" in body and f"{BASE}/account/" in body
    _sender, host_mail = received["wushen-host@example.org"]
    if len(due["wushen-host"]) == 1:
        assert host_mail["Subject"].startswith("Reminder: ") and "quotas are not met yet" in host_mail["Subject"]
    else:  # the quotas and the host's documents to file (issue 17's plans)
        assert host_mail["Subject"] == f"{len(due['wushen-host'])} things await you in the master-teacher studios"
        assert "quotas are not met yet" in host_mail.get_body(("plain",)).get_content()
    assert host_mail["Content-Language"] == "en"
    assert "/wushen/studios/" in host_mail.get_body(("plain",)).get_content()
    # sent once: the next run has nothing to send
    assert _send(app, smtp).sent == 0 and len(smtp.sink.messages) == len(received)
    row = _row(app, "wushen", due["wushen-admin"][0])
    assert row.emailed_at is not None and row.email_attempts == 1 and row.email_next_at is None


def test_a_server_that_is_down_is_tried_again_after_the_backoff(app, smtp) -> None:
    row_id = _due(app)["shenyang-admin"][0]
    now = dt.datetime.now(dt.UTC)
    failed = _send(app, smtp, now)  # nothing listens on the port yet
    assert failed.sent == 0 and failed.failed > 0 and "ConnectionRefusedError" in failed.errors[0]
    row = _row(app, "shenyang", row_id)
    assert row.emailed_at is None and row.email_attempts == 1 and "ConnectionRefusedError" in row.email_error
    assert row.email_next_at.replace(tzinfo=dt.UTC) == now + service.RETRY_AFTER
    smtp.start()
    early = _send(app, smtp, now + service.RETRY_AFTER - dt.timedelta(seconds=1))
    assert early.sent == 0 and smtp.sink.messages == []  # not before its time
    later = _send(app, smtp, now + service.RETRY_AFTER)
    assert later.sent > 0
    row = _row(app, "shenyang", row_id)
    assert row.emailed_at is not None and row.email_attempts == 2 and row.email_error is None
    assert "shenyang-admin@example.org" in {r for _s, rcpts, _m in smtp.sink.messages for r in rcpts}


def test_sending_gives_up_after_the_last_attempt_and_keeps_the_error(app, smtp) -> None:
    row_id = _due(app)["wenzhou-host"][0]
    now = dt.datetime.now(dt.UTC)
    for attempt in range(1, service.MAX_ATTEMPTS + 1):
        _send(app, smtp, now)
        row = _row(app, "wenzhou", row_id)
        assert row.email_attempts == attempt
        if attempt < service.MAX_ATTEMPTS:
            assert row.email_next_at.replace(tzinfo=dt.UTC) == now + service.backoff(attempt)
            now = row.email_next_at.replace(tzinfo=dt.UTC)
    assert row.email_next_at is None and row.emailed_at is None and "ConnectionRefusedError" in row.email_error
    assert row_id not in _due(app).get("wenzhou-host", [])
    smtp.start()
    _send(app, smtp, now + dt.timedelta(days=1))
    assert _row(app, "wenzhou", row_id).emailed_at is None  # given up: not sent later, even with the server up
    assert "wenzhou-host@example.org" not in {r for _s, rcpts, _m in smtp.sink.messages for r in rcpts}


def test_a_user_who_turned_e_mail_off_gets_none(app, smtp, visitor) -> None:
    visitor.login("lianyungang-host")
    response = visitor.post("/account/email", {"email": "lianyungang-host@example.org"})  # "e-mail me" unticked
    assert response.status_code == 303
    row_id = _due(app)["lianyungang-host"][0]  # written before they turned it off
    smtp.start()
    result = _send(app, smtp)
    assert result.sent > 0 and result.skipped >= 1
    recipients = {r for _s, rcpts, _m in smtp.sink.messages for r in rcpts}
    assert "lianyungang-host@example.org" not in recipients and "lianyungang-admin@example.org" in recipients
    row = _row(app, "lianyungang", row_id)
    assert row.emailed_at is None and row.email_next_at is None  # and it will not be sent later either


def test_two_senders_at_once_send_each_reminder_once(app, smtp) -> None:
    smtp.start()
    expected = sum(len(ids) for ids in _due(app).values())
    results: list[service.SendResult] = []
    threads = [threading.Thread(target=lambda: results.append(_send(app, smtp))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == expected
    assert sum(len(rcpts) for _s, rcpts, _m in smtp.sink.messages) == sum(r.messages for r in results)
    assert _due(app) == {}


def test_without_smtp_nothing_is_sent_and_nothing_changes(app) -> None:
    before = _due(app)
    result = service.send_due(_factory(app), None, mail_from=FROM, base_url=BASE)
    assert result.sent == result.failed == 0 and _due(app) == before


def test_a_claimed_reminder_whose_sender_died_is_sent_after_the_lease(app, smtp) -> None:
    row_id = _due(app)["wushen-admin"][0]
    now = dt.datetime.now(dt.UTC)
    with _factory(app)() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "wushen")))
        # as a sender leaves it when it claimed the reminder and died before recording the outcome
        session.execute(
            update(m.Notification).where(m.Notification.id == row_id).values(email_next_at=now + service.CLAIM_LEASE)
        )
        session.commit()
    smtp.start()
    _send(app, smtp, now)
    assert _row(app, "wushen", row_id).emailed_at is None
    _send(app, smtp, now + service.CLAIM_LEASE)
    assert _row(app, "wushen", row_id).emailed_at is not None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", SmtpSettings("127.0.0.1", 2525)),
        ("smtp://mail.example.org", SmtpSettings("mail.example.org", 25)),
        (
            "smtp://bot%40x:p%3Ass@mail.example.org:587?starttls=1",
            SmtpSettings("mail.example.org", 587, starttls=True, user="bot@x", password="p:ss"),
        ),
        ("smtps://mail.example.org", SmtpSettings("mail.example.org", 465, tls=True)),
    ],
)
def test_the_smtp_url_is_read(url, expected) -> None:
    assert smtp_settings(url) == expected


@pytest.mark.parametrize(
    "url",
    ["http://mail.example.org", "smtp://", "smtp://host:99999", "smtps://host?starttls=1", "smtp://host?tls=maybe"],
)
def test_an_unreadable_smtp_url_is_refused_naming_the_variable(url) -> None:
    from mingshi.core import config

    with pytest.raises(config.ConfigError, match="MINGSHI_SMTP_URL"):
        config.load({"MINGSHI_SMTP_URL": url})


def test_the_password_is_not_in_the_settings_repr() -> None:
    assert "secret" not in repr(smtp_settings("smtp://u:secret@host"))


def test_the_workers_periodic_tasks_write_and_send(app, smtp, monkeypatch) -> None:
    """What the worker runs every hour (mingshi.remind) and every five minutes (mingshi.send_reminders),
    with MINGSHI_SMTP_URL read from the environment as in production."""
    from mingshi.core import jobs

    monkeypatch.setenv("MINGSHI_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}")
    monkeypatch.setenv("MINGSHI_MAIL_FROM", FROM)
    monkeypatch.setenv("MINGSHI_BASE_URL", BASE)
    jobs.configure(_factory(app), app.extensions["mingshi"]["jurisdictions"])
    results = jobs.remind()
    assert {r.tenant for r in results} == {"shenyang", "wenzhou", "lianyungang", "wushen"}
    assert all(r.created == 0 for r in results)  # the demo's pass wrote them already
    smtp.start()
    sent = jobs.send_reminders()
    assert sent.sent > 0 and len(smtp.sink.messages) == sent.messages
    assert jobs.send_reminders().sent == 0


def test_mingshi_remind_runs_the_pass_once_and_sends_what_is_due(app, demo_url, smtp, monkeypatch) -> None:
    from click.testing import CliRunner

    from mingshi.web.cli import main
    from tests.conftest import served_url

    monkeypatch.setenv("DATABASE_URL", served_url(demo_url))
    monkeypatch.delenv("MINGSHI_SMTP_URL", raising=False)
    result = CliRunner().invoke(main, ["remind"])
    assert result.exit_code == 0, result.output
    for code in ("shenyang", "wenzhou", "lianyungang", "wushen"):
        assert re.search(rf"^{code}: \d+ users, 0 new reminders, 0 resolved$", result.output, re.M), result.output
    assert "MINGSHI_SMTP_URL is not set" in result.output and smtp.sink.messages == []
    monkeypatch.setenv("MINGSHI_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}")
    refused = CliRunner().invoke(main, ["remind"])  # the server is down: said, and kept for the next run
    assert (
        refused.exit_code == 0 and "0 reminders sent" in refused.output and "ConnectionRefusedError" in refused.stderr
    )
    smtp.start()
    with _factory(app)() as session:  # as if the backoff had passed
        for tenant_id in list(session.scalars(select(m.Tenant.id))):
            with _factory(app)() as scoped:
                bind_tenant(scoped, tenant_id)
                scoped.execute(
                    update(m.Notification)
                    .where(m.Notification.emailed_at.is_(None), m.Notification.email_next_at.is_not(None))
                    .values(email_next_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
                )
                scoped.commit()
    sent = CliRunner().invoke(main, ["remind"])
    assert sent.exit_code == 0 and re.search(
        r"e-mail: [1-9]\d* reminders sent in [1-9]\d* messages, 0 failed", sent.output
    )
    assert smtp.sink.messages


def test_no_web_request_sends_e_mail(app, smtp, visitor, monkeypatch) -> None:
    """Reading, marking and changing the preference never talk to the SMTP server (the worker does)."""
    monkeypatch.setenv("MINGSHI_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}")
    smtp.start()
    visitor.login("wushen-admin")
    for path in ("/wushen/", "/wushen/notifications", "/account/"):
        assert visitor.get(path).status_code == 200
    assert visitor.post("/wushen/notifications/read").status_code == 303
    assert visitor.post("/account/email", {"email": "a@example.org", "email_reminders": "on"}).status_code == 303
    assert smtp.sink.messages == []
    # what they read in the application is no longer e-mailed; the host's, unread, is still due for the worker
    assert "wushen-admin" not in _due(app) and _due(app)["wushen-host"]


def test_a_name_with_a_line_break_still_makes_one_header_line(app, smtp) -> None:
    with _factory(app)() as session:
        user = session.scalar(select(m.User).where(m.User.username == "wushen-admin"))
        user.display_name = "管理员\r\nBcc: victim@example.org"
        session.commit()
    smtp.start()
    result = _send(app, smtp)
    assert result.failed == 0
    _sender, rcpts, message = next(x for x in smtp.sink.messages if "wushen-admin@example.org" in x[1])
    assert rcpts == ["wushen-admin@example.org"] and message["Bcc"] is None
    headers = smtp.sink.raw["wushen-admin@example.org"].split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert not [line for line in headers if line.lower().startswith(b"bcc")]  # the name stayed in its header


def test_the_queue_runs_the_reminder_tasks_hourly_and_every_five_minutes(app, smtp, monkeypatch) -> None:
    """The periodic tasks are on the queue by name with their schedule; run through it (Huey's immediate
    mode), the hourly one writes and sends."""
    from mingshi.core import jobs

    monkeypatch.setenv("MINGSHI_QUEUE_URL", "memory://")
    monkeypatch.setenv("MINGSHI_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}")
    jobs.reset_queue()
    try:
        jobs.configure(_factory(app), app.extensions["mingshi"]["jurisdictions"])
        tasks = {t.name: t for t in jobs.queue()._registry.periodic_tasks}
        remind, send = tasks["mingshi.remind"], tasks["mingshi.send_reminders"]
        on_the_hour = dt.datetime(2026, 12, 3, 10, 7)
        assert remind.validate_datetime(on_the_hour) and not remind.validate_datetime(on_the_hour.replace(minute=8))
        assert send.validate_datetime(on_the_hour.replace(minute=35)) and not send.validate_datetime(on_the_hour)
        smtp.start()
        jobs.queue().enqueue(remind)  # immediate mode: runs now, in this thread
        assert smtp.sink.messages and _due(app) == {}
    finally:
        jobs.reset_queue()
