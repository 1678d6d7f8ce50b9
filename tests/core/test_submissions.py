"""The states a filed document shows, on both sides of each boundary (core.services.submissions)."""

from __future__ import annotations

import datetime as dt

from mingshi.core import models as m
from mingshi.core.services.submissions import DocumentRow, display_state
from mingshi.jurisdiction import Label, RequiredDocument

DUE = dt.date(2026, 3, 10)


def _sub(state: str, first: dt.date | None = None) -> m.DocumentSubmission:
    return m.DocumentSubmission(state=state, due_date=DUE, first_submitted_on=first, code="x", period_key="k")


def test_not_submitted_is_due_soon_within_the_window_and_overdue_after_the_day() -> None:
    assert display_state(None, DUE, DUE - dt.timedelta(days=15), 14) == "open"
    assert display_state(None, DUE, DUE - dt.timedelta(days=14), 14) == "due_soon"
    assert display_state(None, DUE, DUE, 14) == "due_soon"  # the due day itself is still in time
    assert display_state(None, DUE, DUE + dt.timedelta(days=1), 14) == "overdue"
    assert display_state(_sub("draft"), DUE, DUE - dt.timedelta(days=30), 14) == "draft"
    assert display_state(_sub("draft"), DUE, DUE + dt.timedelta(days=1), 14) == "overdue"


def test_a_filed_document_shows_its_own_state_whatever_the_day() -> None:
    for state in ("submitted", "approved", "returned"):
        assert display_state(_sub(state), DUE, DUE + dt.timedelta(days=100), 14) == state


def test_a_before_document_is_late_when_first_submitted_after_its_due_day() -> None:
    doc = RequiredDocument(
        "wz.doc.notice", Label("活动通知", "notice"), "第八条(一)", "2026-03-10", Label("", ""), DUE, timing="before"
    )
    on_time = DocumentRow(None, doc, _sub("approved", DUE), "approved")
    late = DocumentRow(None, doc, _sub("approved", DUE + dt.timedelta(days=1)), "approved")
    assert not on_time.late and late.late
    assert DocumentRow(None, doc, None, "overdue").late
    assert not DocumentRow(None, doc, None, "due_soon").late


def test_a_second_first_save_of_the_same_document_is_a_conflict_not_an_error(tmp_path) -> None:
    """Two hosts' first saves of one document at once: the unique key keeps one row; the other is told."""
    import pytest
    from sqlalchemy import select

    from mingshi.core.db import make_engine, make_session_factory
    from mingshi.core.migrate import upgrade
    from mingshi.core.plugins import Jurisdictions
    from mingshi.core.services import submissions as sv
    from mingshi.core.services.access import Actor
    from mingshi.core.storage import LocalStorage
    from mingshi.core.tenancy import bind_tenant

    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(url)
    js = Jurisdictions.load()
    factory = make_session_factory(make_engine(url))
    with factory() as s:
        tenant = m.Tenant(code="sy", name="沈阳", jurisdiction="shenyang")
        s.add(tenant)
        s.commit()
        bind_tenant(s, tenant.id)
        studio = m.Studio(name="工作室", kind="studio", status="active", cycle_start=dt.date(2025, 1, 1))
        s.add(studio)
        s.commit()
        j = js.get("shenyang")
        actor = Actor(None, "管理员", tenant.id, frozenset({"admin"}))
        row = sv.find(s, j, studio, "sy.doc.plan", "2026", today=dt.date(2026, 1, 5))
        storage = LocalStorage(tmp_path / "files")
        # the other save won meanwhile: its row is there, this one still thinks it starts the document
        other = m.DocumentSubmission(
            studio_id=studio.id, code="sy.doc.plan", period_key="2026", title="计划", state="draft", due_date=row.due
        )
        s.add(other)
        s.commit()
        with pytest.raises(sv.Conflict):
            sv.save(s, actor, j, storage, row, title="计划", submit=False, max_bytes=1000)
        s.rollback()
        assert len(list(s.scalars(select(m.DocumentSubmission)))) == 1
