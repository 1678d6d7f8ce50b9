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
