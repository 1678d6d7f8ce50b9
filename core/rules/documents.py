"""Documents a jurisdiction requires (plans, reports, notices) and when each is due.

A plugin answers hook ``mingshi_required_documents`` with :class:`RequiredDocument`\\ s, pure
functions of the studio, the year, the studio's activities and the parameters: each names its rule
id (declared in ``mingshi_rules``), its article, the period or activity it is for and its due date
computed from the article (with dated parameters where the text is vague). The core keeps what was
filed (``document_submissions``), runs the submit → review flow and shows the states; it never
decides what is required.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mingshi.core.vocab import Label

#: when a document is due: for a period (a year, semester, cycle), before an activity, after it
TIMINGS = ("period", "before", "after")
#: the dates of an activity a document of it may fix (:attr:`RequiredDocument.dates`), and on what
ACTIVITY_DATES = ("notice_published", "plan_approved", "report_published")
DATED_ON = ("submitted", "approved")
#: who files a document and who reviews it
SUBMITTERS = ("host",)
REVIEWERS = ("admin",)


@dataclass(frozen=True)
class RequiredDocument:
    """One document a studio must file, with its due date.

    ``period_key`` identifies the instance within the studio and code: the year (``2025``), a
    semester (``2025-autumn``), the cycle (``cycle-2024``) or, for a document of an activity, the
    activity's date (``2025-03-14``) — one such document per studio, code and day.
    """

    #: the rule id, e.g. ``sy.doc.plan``
    code: str
    title: Label
    #: the article it comes from, e.g. ``第十二条``
    basis: str
    period_key: str
    #: the period as a person reads it ("2025", "2024年秋季学期" …)
    period_label: Label
    due: dt.date
    timing: str = "period"
    #: before/after: the :class:`~mingshi.core.rules.facts.ActivityFact` key the document belongs to
    #: (``None`` for a document of an activity still to come, filed ahead by its date)
    activity: str | None = None
    #: before/after: the due date is the activity's date plus these days (negative: before it)
    offset_days: int = 0
    submitted_by: str = "host"
    reviewed_by: str = "admin"
    #: the activity's number in the studio's date order (温州 第八条(三) report titles)
    number: int | None = None
    #: the document is the basis for reimbursing the activity's expenses (温州 第八条(一)(三)):
    #: a "before" document filed after its due date, or an "after" document not approved, makes the
    #: activity not reimbursable
    reimbursement_basis: bool = False
    #: the plugin checks the title when the document is submitted (hook ``mingshi_check_document_title``)
    checks_title: bool = False
    #: the file kinds (evidence purposes) offered, first the usual one
    purposes: tuple[str, ...] = ("plan", "report", "other")
    #: before/after: the activity's date this document fixes, and on what — ``("notice_published",
    #: "submitted")``: 温州's notice is published by its upload (第八条(一)); ``("plan_approved",
    #: "approved")``: 乌审旗's plan is approved by its review (（十五）). The core then writes that date
    #: on the activity when the document is filed or approved (and clears an approval's when the
    #: approved document is reopened), so the rules reading the activity's date and the document's
    #: state never disagree.
    dates: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.timing not in TIMINGS:
            raise ValueError(f"{self.code}: unknown timing {self.timing!r}")
        if self.submitted_by not in SUBMITTERS or self.reviewed_by not in REVIEWERS:
            raise ValueError(f"{self.code}: submitted by {self.submitted_by!r}, reviewed by {self.reviewed_by!r}")
        if self.timing == "period" and self.activity is not None:
            raise ValueError(f"{self.code}: a document of a period names no activity")
        if self.dates is not None:
            field, on = self.dates
            if self.timing == "period" or field not in ACTIVITY_DATES or on not in DATED_ON:
                raise ValueError(f"{self.code}: cannot date an activity's {field!r} on {on!r} ({self.timing})")

    @property
    def per_activity(self) -> bool:
        return self.timing != "period"

    def for_planned(self, day: dt.date) -> RequiredDocument:
        """The same document for an activity still to come on ``day`` (filed ahead of it)."""
        from dataclasses import replace

        return replace(
            self,
            period_key=day.isoformat(),
            period_label=Label(day.isoformat(), day.isoformat()),
            due=day + dt.timedelta(days=self.offset_days),
            activity=None,
            number=None,
        )


def activity_period_key(activity, activities) -> str:
    """The ``period_key`` of a document of ``activity``: its date, or its date and key when the studio
    held more than one activity that day."""
    same_day = sum(1 for a in activities if a.date == activity.date)
    day = activity.date.isoformat()
    return day if same_day <= 1 else f"{day}#{activity.key}"


def for_activity(
    code: str,
    title: Label,
    basis: str,
    activity,
    activities,
    *,
    timing: str,
    offset_days: int,
    **extra,
) -> RequiredDocument:
    """A document due ``offset_days`` after (negative: before) ``activity`` — a plugin's helper."""
    return RequiredDocument(
        code,
        title,
        basis,
        activity_period_key(activity, activities),
        Label(f"{activity.date.isoformat()} {activity.title}", f"{activity.date.isoformat()} {activity.title}"),
        activity.date + dt.timedelta(days=offset_days),
        timing=timing,
        activity=activity.key,
        offset_days=offset_days,
        **extra,
    )


def ahead(code: str, title: Label, basis: str, *, offset_days: int, **extra) -> RequiredDocument:
    """The form of a "before" document that may be filed ahead of an activity still to come."""
    return RequiredDocument(
        code, title, basis, "", Label("", ""), dt.date.min, timing="before", offset_days=offset_days, **extra
    )
