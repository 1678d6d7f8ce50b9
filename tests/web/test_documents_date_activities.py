"""A document that fixes its activity's date writes it (RequiredDocument.dates): 温州's notice is
published by its upload (第八条(一)), 乌审旗's plan approved by its review (（十五）). The rules that read
the activity's date and the document's state then never disagree."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import submissions as sv
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import Actor
from mingshi.core.services.audit_text import describe
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def city(app, jurisdictions):
    opened = []

    def open_(code: str):
        session = app.extensions["mingshi"]["sessions"]()
        opened.append(session)
        tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == code))
        bind_tenant(session, tenant_id)
        admin = Actor(user_id=None, name="管理员", tenant_id=tenant_id, roles=frozenset({"admin"}))
        studio = session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
        return session, admin, jurisdictions.get(code), studio

    yield open_
    for session in opened:
        session.close()


def _record(session, admin, jurisdictions, studio, day: dt.date, **extra) -> m.Activity:
    kind = session.scalar(select(m.Activity.type).where(m.Activity.studio_id == studio.id).limit(1))
    data = {"date": day, "type": kind, "title": f"送教 {day.isoformat()}", "mode": "offline", **extra}
    activity, _removed = ws.record_activity(session, admin, jurisdictions, studio, data)
    return activity


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _file(session, admin, jurisdiction, app, studio, code, key, when, title="活动通知"):
    row = sv.find(session, jurisdiction, studio, code, key, today=when.date())
    return sv.save(
        session, admin, jurisdiction, app.extensions["mingshi"]["storage"], row,
        title=title, submit=True, upload=("通知.pdf", PDF), max_bytes=10**6, now=when,
    )  # fmt: skip


def test_a_wenzhou_notice_filed_late_dates_the_notice_late_for_both_rules(city, app, jurisdictions) -> None:
    session, admin, wz, studio = city("wenzhou")
    day = TODAY + dt.timedelta(days=10)
    # the host typed a notice date before the activity; the upload comes two days after it
    activity = _record(session, admin, jurisdictions, studio, day, notice_published=day - dt.timedelta(days=5))
    _file(session, admin, wz, app, studio, "wz.doc.notice", day.isoformat(), _at(day + dt.timedelta(days=2)))
    session.flush()
    session.refresh(activity)
    assert activity.notice_published == day + dt.timedelta(days=2)
    # the reimbursement check (the document) and wz.ops.notice (the activity's date) agree: late
    problems = sv.reimbursability(session, wz, [studio], today=day + dt.timedelta(days=3))[activity.id]
    assert "late" in {p.reason for p in problems}
    assert activity.notice_published > activity.date
    entry = session.scalars(
        select(m.AuditEntry).where(m.AuditEntry.action == "date_activity", m.AuditEntry.entity_id == activity.id)
    ).one()
    assert entry.after == {"notice_published": (day + dt.timedelta(days=2)).isoformat(), "rule": "wz.doc.notice"}
    (line,) = describe(session, [entry], rules=wz.rules)
    assert [c.label.zh for c in line.changes] == ["通知发布日期"]
    assert line.sentence.msgid.startswith("%(who)s on %(date)s filed or reviewed a document")


def test_a_notice_uploaded_before_the_activity_is_recorded_dates_it_when_it_is(city, app, jurisdictions) -> None:
    session, admin, wz, studio = city("wenzhou")
    day = TODAY + dt.timedelta(days=20)
    _file(session, admin, wz, app, studio, "wz.doc.notice", day.isoformat(), _at(day - dt.timedelta(days=3)))
    activity = _record(session, admin, jurisdictions, studio, day)  # no notice date typed
    session.flush()
    session.refresh(activity)
    assert activity.notice_published == day - dt.timedelta(days=3)
    sub = session.scalar(select(m.DocumentSubmission).where(m.DocumentSubmission.period_key == day.isoformat()))
    assert sub.activity_id == activity.id
    assert sv.reimbursability(session, wz, [studio], today=day).get(activity.id, [None]) != []  # report pending
    assert all(p.reason != "late" for p in sv.reimbursability(session, wz, [studio], today=day)[activity.id])


def test_a_wushen_plan_dates_the_approval_and_reopening_it_clears_it(city, app, jurisdictions) -> None:
    session, admin, wsj, studio = city("wushen")
    day = TODAY + dt.timedelta(days=30)
    activity = _record(session, admin, jurisdictions, studio, day, scope="county")
    session.flush()
    key = day.isoformat()
    sub = _file(session, admin, wsj, app, studio, "ws.doc.activity_plan", key, _at(day - dt.timedelta(days=12)),
                title="活动方案")  # fmt: skip
    session.refresh(activity)
    assert activity.plan_approved is None  # filed, not approved yet
    approved_on = day - dt.timedelta(days=8)
    sv.review(session, admin, sub.id, jurisdiction=wsj, decision="approve", now=_at(approved_on))
    session.refresh(activity)
    assert activity.plan_approved == approved_on
    sv.withdraw(session, admin, sub.id, jurisdiction=wsj, reason="方案需要修改")
    session.refresh(activity)
    assert activity.plan_approved is None
    actions = session.scalars(
        select(m.AuditEntry.after).where(m.AuditEntry.action == "date_activity", m.AuditEntry.entity_id == activity.id)
    ).all()
    assert [a["plan_approved"] for a in actions] == [approved_on.isoformat(), None]


def test_a_document_dates_only_the_fields_it_may() -> None:
    from mingshi.core.rules.documents import RequiredDocument
    from mingshi.core.vocab import Label

    label = Label("x", "x")
    with pytest.raises(ValueError):
        RequiredDocument("c", label, "a", "2026", label, TODAY, dates=("notice_published", "submitted"))  # a period
    after = {"timing": "after", "activity": "1"}
    with pytest.raises(ValueError):
        RequiredDocument("c", label, "a", "k", label, TODAY, **after, dates=("date", "approved"))
    with pytest.raises(ValueError):
        RequiredDocument("c", label, "a", "k", label, TODAY, **after, dates=("plan_approved", "x"))
    assert RequiredDocument("c", label, "a", "k", label, TODAY, **after, dates=("plan_approved", "approved")).dates
