"""Plans, reports and notices as workflows: what a studio must file, submit, review, withdraw.

What is required and when it is due comes from the jurisdiction (hook ``mingshi_required_documents``);
this module keeps what was filed (``document_submissions``) and its files (evidence of kind
``submission``). The host files (draft → submitted); the city administrator reviews (approved, or
returned with a reason → submitted again …); a host may withdraw a submission not yet reviewed
back to draft, with a reason. Every change is in the audit log and carries the version the form
was loaded with. States as a person sees them (:data:`STATES`): a document not yet submitted is
``overdue`` after its due date and ``due_soon`` within ``common.doc.due_soon_days`` days of it.

A list costs a constant number of statements whatever the studios: the studios' activities, the
submissions and the tenant's parameters, each read once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mingshi.core import models as m
from mingshi.core.rules.documents import RequiredDocument
from mingshi.core.rules.facts import ActivityFact
from mingshi.core.services import audit
from mingshi.core.services import evidence as ev
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.services.facts import studio_fact, tenant_parameter_values
from mingshi.core.storage import Storage
from mingshi.core.vocab import Label

#: the states a person sees, in the order a list shows them
STATES = ("returned", "overdue", "due_soon", "open", "draft", "submitted", "approved")
STATE_LABELS: dict[str, Label] = {
    "returned": Label("已退回", "returned"),
    "overdue": Label("已逾期", "overdue"),
    "due_soon": Label("即将到期", "due soon"),
    "open": Label("待报送", "to file"),
    "draft": Label("草稿", "draft"),
    "submitted": Label("待审核", "awaiting review"),
    "approved": Label("已通过", "approved"),
}
TIMING_LABELS: dict[str, Label] = {
    "period": Label("按期报送", "for the period"),
    "before": Label("活动前报送", "before the activity"),
    "after": Label("活动后报送", "after the activity"),
}
#: the most documents a to-do list shows per kind of step (the rest are counted)
AWAITING_DOCUMENTS = 10


class SubmissionError(ValueError):
    """Input that cannot be kept; ``errors`` maps a field to its messages (English msgids or Texts)."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class Conflict(RuntimeError):
    """The document changed since the form was loaded (another person's change): reload and retry."""


@dataclass(frozen=True)
class DocumentRow:
    """A required document and what was filed for it."""

    studio: m.Studio
    document: RequiredDocument
    submission: m.DocumentSubmission | None
    state: str
    #: the activity it belongs to (per-activity documents of a recorded activity)
    activity: m.Activity | None = None
    files: tuple[m.Evidence, ...] = ()

    @property
    def due(self) -> dt.date:
        return self.submission.due_date if self.submission is not None else self.document.due

    @property
    def late(self) -> bool:
        """A "before" document first submitted after its due date (or, when not submitted, past it)."""
        sub = self.submission
        if sub is None or sub.first_submitted_on is None:
            return self.state == "overdue"
        return sub.first_submitted_on > self.due


def display_state(submission: m.DocumentSubmission | None, due: dt.date, today: dt.date, soon_days: int) -> str:
    if submission is not None and submission.state in ("submitted", "approved", "returned"):
        return submission.state
    if today > due:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "draft" if submission is not None else "open"


# ---------------------------------------------------------------------------------------------
# what a studio must file


def _activity_facts(rows: Iterable[m.Activity]) -> tuple[ActivityFact, ...]:
    return tuple(
        ActivityFact(
            key=str(a.id),
            date=a.date,
            type=a.type,
            mode=a.mode,
            scope=a.scope,
            title=a.title,
            notice_published=a.notice_published,
            plan_approved=a.plan_approved,
            report_published=a.report_published,
        )
        for a in sorted(rows, key=lambda a: (a.date, a.id))
    )


@dataclass
class _Loaded:
    params: Any
    activities: dict[int, list[m.Activity]] = field(default_factory=dict)
    submissions: dict[int, list[m.DocumentSubmission]] = field(default_factory=dict)
    files: dict[int, list[m.Evidence]] = field(default_factory=dict)


def _load(session: Session, jurisdiction: Any, studio_ids: list[int], *, with_files: bool = True) -> _Loaded:
    loaded = _Loaded(jurisdiction.paramset(tenant_parameter_values(session)))
    loaded.activities = {i: [] for i in studio_ids}
    loaded.submissions = {i: [] for i in studio_ids}
    for a in session.scalars(
        select(m.Activity)
        .where(m.Activity.studio_id.in_(studio_ids), m.Activity.withdrawn_at.is_(None))
        .order_by(m.Activity.date, m.Activity.id)
    ):
        loaded.activities[a.studio_id].append(a)
    subs = list(
        session.scalars(
            select(m.DocumentSubmission)
            .where(m.DocumentSubmission.studio_id.in_(studio_ids))
            .order_by(m.DocumentSubmission.id)
        )
    )
    for s in subs:
        loaded.submissions[s.studio_id].append(s)
    if with_files:
        loaded.files = ev.files_of_many(session, "submission", [s.id for s in subs])
    return loaded


def _rows_of(
    jurisdiction: Any, studio: m.Studio, year: int, loaded: _Loaded, today: dt.date, *, ahead: bool = True
) -> list[DocumentRow]:
    params = loaded.params
    soon = int(params.value("common.doc.due_soon_days", today))
    activities = loaded.activities.get(studio.id, [])
    by_id = {str(a.id): a for a in activities}
    required = jurisdiction.required_documents(
        studio=studio_fact(studio), year=year, activities=_activity_facts(activities), params=params
    )
    subs = {(s.code, s.period_key): s for s in loaded.submissions.get(studio.id, [])}
    rows: list[DocumentRow] = []
    seen: set[tuple[str, str]] = set()
    templates = [d for d in required if d.per_activity and d.activity is None]
    for doc in required:
        if doc.per_activity and doc.activity is None:
            continue
        sub = subs.get((doc.code, doc.period_key))
        seen.add((doc.code, doc.period_key))
        due = sub.due_date if sub is not None else doc.due
        rows.append(
            DocumentRow(
                studio,
                doc,
                sub,
                display_state(sub, due, today, soon),
                by_id.get(doc.activity) if doc.activity else None,
                tuple(loaded.files.get(sub.id, ())) if sub is not None else (),
            )
        )
    if ahead:
        # documents filed ahead of an activity still to come (no activity recorded on that day yet)
        for template in templates:
            for (code, key), sub in subs.items():
                if code != template.code or (code, key) in seen:
                    continue
                try:
                    day = dt.date.fromisoformat(key)
                except ValueError:
                    continue
                doc = template.for_planned(day)
                seen.add((code, key))
                rows.append(
                    DocumentRow(
                        studio,
                        doc,
                        sub,
                        display_state(sub, sub.due_date, today, soon),
                        None,
                        tuple(loaded.files.get(sub.id, ())),
                    )
                )
    rows.sort(key=lambda r: (r.due, r.document.code, r.document.period_key))
    return rows


def documents(
    session: Session, actor: Actor, jurisdiction: Any, studio: m.Studio, year: int, *, today: dt.date
) -> list[DocumentRow]:
    """What ``studio`` must file for ``year``, each with what was filed and its state (reads only)."""
    actor.require_view_studio(studio.id)
    loaded = _load(session, jurisdiction, [studio.id])
    return _rows_of(jurisdiction, studio, year, loaded, today)


def templates(jurisdiction: Any, studio: m.Studio, year: int, params: Any) -> list[RequiredDocument]:
    """The documents that may be filed ahead of an activity still to come (乌审旗 （十五） …)."""
    return [
        d
        for d in jurisdiction.required_documents(studio=studio_fact(studio), year=year, activities=(), params=params)
        if d.per_activity and d.activity is None
    ]


def _candidate_years(period_key: str) -> list[int]:
    head = period_key.removeprefix("cycle-")[:4]
    if not head.isdigit():
        return []
    year = int(head)
    return [year, year + 1, year - 1, year + 2, year + 3]


def find(
    session: Session, jurisdiction: Any, studio: m.Studio, code: str, period_key: str, *, today: dt.date
) -> DocumentRow:
    """The required document ``code`` of ``period_key`` with what was filed; ``LookupError`` when the
    jurisdiction asks for no such document of this studio."""
    loaded = _load(session, jurisdiction, [studio.id])
    for year in _candidate_years(period_key):
        for row in _rows_of(jurisdiction, studio, year, loaded, today, ahead=False):
            if row.document.code == code and row.document.period_key == period_key:
                return row
    # a document filed (or to be filed) ahead of an activity still to come
    try:
        day = dt.date.fromisoformat(period_key)
    except ValueError:
        return _no_longer_required(jurisdiction, studio, loaded, code, period_key, today)
    for template in templates(jurisdiction, studio, day.year, loaded.params):
        if template.code == code:
            doc = template.for_planned(day)
            sub = next((s for s in loaded.submissions[studio.id] if (s.code, s.period_key) == (code, period_key)), None)
            soon = int(loaded.params.value("common.doc.due_soon_days", today))
            due = sub.due_date if sub is not None else doc.due
            files = tuple(loaded.files.get(sub.id, ())) if sub is not None else ()
            return DocumentRow(studio, doc, sub, display_state(sub, due, today, soon), None, files)
    return _no_longer_required(jurisdiction, studio, loaded, code, period_key, today)


def _no_longer_required(
    jurisdiction: Any, studio: m.Studio, loaded: _Loaded, code: str, period_key: str, today: dt.date
) -> DocumentRow:
    """A document filed once that the jurisdiction no longer asks for (its activity was withdrawn, the
    parameters changed): it keeps its page and history, described by its rule."""
    sub = next((s for s in loaded.submissions[studio.id] if (s.code, s.period_key) == (code, period_key)), None)
    rule = jurisdiction.rules.get(code)
    if sub is None or rule is None:
        raise LookupError(f"{code} {period_key}")
    doc = RequiredDocument(code, rule.title, rule.basis, period_key, Label(period_key, period_key), sub.due_date)
    soon = int(loaded.params.value("common.doc.due_soon_days", today))
    state = display_state(sub, sub.due_date, today, soon)
    return DocumentRow(studio, doc, sub, state, None, tuple(loaded.files.get(sub.id, ())))


# ---------------------------------------------------------------------------------------------
# filing


def _host_name(session: Session, studio_id: int, on: dt.date) -> str | None:
    row = session.execute(
        select(m.Person.name)
        .join(m.Membership, m.Membership.person_id == m.Person.id)
        .where(
            m.Membership.studio_id == studio_id,
            m.Membership.role == "host",
            m.Membership.joined <= on,
        )
        .order_by(m.Membership.joined.desc())
        .limit(1)
    ).first()
    return row[0] if row else None


def _snapshot(sub: m.DocumentSubmission, studio: m.Studio) -> dict[str, Any]:
    return {
        "studio": studio.name,
        "document": sub.code,
        "period": sub.period_key,
        "title": sub.title,
        "state": sub.state,
        "due": sub.due_date.isoformat(),
    }


def _date_activity(
    session: Session, actor: Actor, sub: m.DocumentSubmission, document: RequiredDocument, day: dt.date | None
) -> None:
    """Write on the submission's activity the date ``document`` fixes (:attr:`RequiredDocument.dates`),
    audited; nothing when the document dates nothing or its activity is not recorded (yet)."""
    if document.dates is None or sub.activity_id is None:
        return
    field_name = document.dates[0]
    activity = session.get(m.Activity, sub.activity_id)
    if activity is None or activity.withdrawn_at is not None or getattr(activity, field_name) == day:
        return
    old = getattr(activity, field_name)
    setattr(activity, field_name, day)
    audit.record(
        session,
        actor,
        "date_activity",
        "activity",
        activity.id,
        before={field_name: old.isoformat() if old else None},
        # the document's rule id, kept beside the date (not listed as a changed field)
        after={field_name: day.isoformat() if day else None, "rule": sub.code},
    )


def _dated_by(sub: m.DocumentSubmission, document: RequiredDocument) -> dt.date | None:
    """The date ``sub`` gives its activity under ``document.dates``: its first filing, or its approval."""
    if document.dates is None:
        return None
    if document.dates[1] == "submitted":
        return sub.first_submitted_on
    return sub.reviewed_at.date() if sub.state == "approved" and sub.reviewed_at is not None else None


def date_recorded_activity(
    session: Session, actor: Actor, jurisdiction: Any, studio: m.Studio, activity: m.Activity, *, today: dt.date
) -> None:
    """An activity just recorded takes the dates its documents filed ahead of it fix (a 温州 notice
    uploaded before the activity was entered): the document, not a typed date, is the source."""
    day = activity.date.isoformat()
    filed_ahead = list(
        session.scalars(
            select(m.DocumentSubmission).where(
                m.DocumentSubmission.studio_id == studio.id,
                m.DocumentSubmission.activity_id.is_(None),
                (m.DocumentSubmission.period_key == day) | m.DocumentSubmission.period_key.startswith(f"{day}#"),
            )
        )
    )
    for sub in filed_ahead:  # usually none: one statement
        try:
            row = find(session, jurisdiction, studio, sub.code, sub.period_key, today=today)
        except LookupError:
            continue
        if row.activity is None or row.activity.id != activity.id or row.document.dates is None:
            continue
        sub.activity_id = activity.id
        when = _dated_by(sub, row.document)
        if when is not None:
            _date_activity(session, actor, sub, row.document, when)


def _check_version(sub: m.DocumentSubmission, version: int | None) -> None:
    if version is not None and sub.version != version:
        raise Conflict(f"document {sub.id} is at version {sub.version}, the form had {version}")


def save(
    session: Session,
    actor: Actor,
    jurisdiction: Any,
    storage: Storage,
    row: DocumentRow,
    *,
    title: str,
    submit: bool,
    upload: tuple[str, bytes] | None = None,
    purpose: str | None = None,
    max_bytes: int,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> m.DocumentSubmission:
    """Keep the host's draft of ``row`` (title, a file) and, with ``submit``, submit it for review.

    Submitting needs a title, at least one current file and, where the plugin checks it, a title of
    the prescribed form; :class:`SubmissionError` names the field. A submitted or approved document
    cannot be changed (withdraw it first); a returned one is corrected and submitted again."""
    studio = row.studio
    actor.require_manage_studio(studio.id)
    now = now or dt.datetime.now(dt.UTC)
    title = (title or "").strip()
    errors: dict[str, list[Any]] = {}
    if not title:
        errors["title"] = ["may not be empty"]
    elif len(title) > 300:
        errors["title"] = ["at most 300 characters"]
    if purpose is not None and purpose not in row.document.purposes:
        errors["purpose"] = ["not a valid choice"]
    if errors:
        raise SubmissionError(errors)
    sub = row.submission
    if sub is not None:
        _check_version(sub, version)
        if sub.state in ("submitted", "approved"):
            raise SubmissionError({"_schema": ["this document is submitted: withdraw it before changing it"]})
    created = sub is None
    if created:
        sub = m.DocumentSubmission(
            studio_id=studio.id,
            code=row.document.code,
            period_key=row.document.period_key,
            activity_id=row.activity.id if row.activity is not None else None,
            title=title,
            state="draft",
            due_date=row.document.due,
            created_by_id=actor.user_id,
        )
        try:
            with session.begin_nested():  # two first saves of one document at once: one row, the other told
                session.add(sub)
                session.flush()
        except IntegrityError:
            raise Conflict(f"{row.document.code} {row.document.period_key} was started meanwhile") from None
        audit.record(session, actor, "start_document", "document_submission", sub.id, after=_snapshot(sub, studio))
    before = _snapshot(sub, studio)
    sub.title = title
    if row.activity is not None and sub.activity_id is None:
        sub.activity_id = row.activity.id
    if upload is not None:
        name, data = upload
        try:
            ev.attach(
                session,
                actor,
                storage,
                ev.Record("submission", sub.id, studio.id),
                purpose=purpose or row.document.purposes[0],
                filename=name,
                data=data,
                max_bytes=max_bytes,
            )
        except ev.EvidenceError as exc:
            raise SubmissionError(exc.errors) from None
    if submit:
        current = session.scalar(
            select(func.count())
            .select_from(m.Evidence)
            .where(m.Evidence.submission_id == sub.id, m.Evidence.withdrawn_at.is_(None))
        )
        if not current:
            raise SubmissionError({"file": ["attach at least one file before submitting"]})
        problem = jurisdiction.check_document_title(
            document=row.document, title=title, host=_host_name(session, studio.id, now.date())
        )
        if problem is not None:
            raise SubmissionError({"title": [problem]})
        sub.state = "submitted"
        sub.submitted_at = now
        sub.submitted_by_id = actor.user_id
        sub.submitted_by_name = actor.name
        if sub.first_submitted_on is None:
            sub.first_submitted_on = now.date()
        sub.return_reason = None
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"document {sub.id} changed meanwhile") from None
    after = _snapshot(sub, studio)
    if submit:
        audit.record(session, actor, "submit_document", "document_submission", sub.id, before=before, after=after)
        if row.document.dates is not None and row.document.dates[1] == "submitted":
            _date_activity(session, actor, sub, row.document, sub.first_submitted_on)
    elif not created and before != after:
        audit.record(session, actor, "edit_document", "document_submission", sub.id, before=before, after=after)
    session.flush()
    return sub


def get(session: Session, actor: Actor, submission_id: int) -> m.DocumentSubmission:
    """One submission, if the actor may see its studio (another tenant's is simply not found)."""
    sub = session.get(m.DocumentSubmission, submission_id)
    if sub is None or not actor.can_view_studio(sub.studio_id):
        raise LookupError(submission_id)
    return sub


def review(
    session: Session,
    actor: Actor,
    submission_id: int,
    *,
    jurisdiction: Any,
    decision: str,
    reason: str = "",
    version: int | None = None,
    now: dt.datetime | None = None,
) -> m.DocumentSubmission:
    """The administrator approves a submitted document, or returns it with a reason. Approving a
    document that fixes its activity's date (``dates = (…, "approved")``) writes that date."""
    sub = get(session, actor, submission_id)
    if not actor.is_admin:
        raise Forbidden("only the city administrator reviews the documents studios file")
    _check_version(sub, version)
    reason = (reason or "").strip()
    if decision not in ("approve", "return"):
        raise SubmissionError({"decision": ["not a valid choice"]})
    if sub.state != "submitted":
        raise SubmissionError({"decision": ["only a submitted document can be reviewed"]})
    if decision == "return" and not reason:
        raise SubmissionError({"reason": ["say why the document is returned"]})
    studio = session.get(m.Studio, sub.studio_id)
    assert studio is not None
    before = _snapshot(sub, studio)
    now = now or dt.datetime.now(dt.UTC)
    sub.state = "approved" if decision == "approve" else "returned"
    sub.reviewed_at = now
    sub.reviewed_by_id = actor.user_id
    sub.reviewed_by_name = actor.name
    sub.return_reason = reason if decision == "return" else None
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"document {sub.id} changed meanwhile") from None
    after = {**_snapshot(sub, studio), **({"reason": reason} if reason else {})}
    action = "approve_document" if decision == "approve" else "return_document"
    audit.record(session, actor, action, "document_submission", sub.id, before=before, after=after)
    if decision == "approve" and sub.activity_id is not None:
        document = _document_of(session, jurisdiction, studio, sub, now.date())
        if document is not None and document.dates and document.dates[1] == "approved":
            _date_activity(session, actor, sub, document, now.date())
    session.flush()
    return sub


def _document_of(
    session: Session, jurisdiction: Any, studio: m.Studio, sub: m.DocumentSubmission, today: dt.date
) -> RequiredDocument | None:
    try:
        return find(session, jurisdiction, studio, sub.code, sub.period_key, today=today).document
    except LookupError:
        return None


def withdraw(
    session: Session,
    actor: Actor,
    submission_id: int,
    *,
    jurisdiction: Any,
    reason: str,
    version: int | None = None,
) -> m.DocumentSubmission:
    """The host takes back a submission not yet reviewed (to correct it), with a reason; or the
    administrator reopens an approved one for correction. Either way it is a draft again; reopening
    an approved document that dated its activity's approval clears that date (the upload a
    ``"submitted"`` date records still happened, and stays)."""
    sub = get(session, actor, submission_id)
    actor.require_manage_studio(sub.studio_id)
    _check_version(sub, version)
    reason = (reason or "").strip()
    if not reason:
        raise SubmissionError({"reason": ["may not be empty"]})
    if sub.state == "approved" and not actor.is_admin:
        raise Forbidden("only the city administrator reopens an approved document")
    if sub.state not in ("submitted", "approved"):
        raise SubmissionError({"reason": ["only a submitted or approved document can be withdrawn"]})
    studio = session.get(m.Studio, sub.studio_id)
    assert studio is not None
    before = _snapshot(sub, studio)
    was_approved = sub.state == "approved"
    sub.state = "draft"
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"document {sub.id} changed meanwhile") from None
    audit.record(
        session,
        actor,
        "withdraw_document",
        "document_submission",
        sub.id,
        before=before,
        after={**_snapshot(sub, studio), "reason": reason},
    )
    if was_approved and sub.activity_id is not None:
        document = _document_of(session, jurisdiction, studio, sub, dt.date.today())
        if document is not None and document.dates and document.dates[1] == "approved":
            _date_activity(session, actor, sub, document, None)
    session.flush()
    return sub


def history(session: Session, actor: Actor, submission_id: int) -> list[m.AuditEntry]:
    """The audit entries of one submission, oldest first."""
    sub = get(session, actor, submission_id)
    return list(
        session.scalars(
            select(m.AuditEntry)
            .where(m.AuditEntry.entity == "document_submission", m.AuditEntry.entity_id == sub.id)
            .order_by(m.AuditEntry.id)
        )
    )


# ---------------------------------------------------------------------------------------------
# reimbursability (温州 第八条): an activity's documents that are the basis for reimbursing it


@dataclass(frozen=True)
class NotReimbursable:
    document: RequiredDocument
    #: ``late`` (a "before" document filed after its due date, or not at all in time) ·
    #: ``not_approved`` (an "after" document not approved)
    reason: str


def reimbursability(
    session: Session, jurisdiction: Any, studios: list[m.Studio], *, today: dt.date
) -> dict[int, list[NotReimbursable]]:
    """Activity id → why it is not reimbursable (empty list: it is), for every activity of
    ``studios`` that has documents the jurisdiction names the basis for reimbursement."""
    ids = [s.id for s in studios]
    if not ids:
        return {}
    loaded = _load(session, jurisdiction, ids, with_files=False)
    out: dict[int, list[NotReimbursable]] = defaultdict(list)
    for studio in studios:
        days = [a.date for a in loaded.activities[studio.id]]
        years = sorted({d.year for d in days} | {d.year + 1 for d in days})
        done: set[tuple[str, str]] = set()
        for year in years:
            for row in _rows_of(jurisdiction, studio, year, loaded, today, ahead=False):
                doc = row.document
                if not doc.reimbursement_basis or row.activity is None or (doc.code, doc.period_key) in done:
                    continue
                done.add((doc.code, doc.period_key))
                problems = out.setdefault(row.activity.id, [])
                sub = row.submission
                if doc.timing == "before":
                    if sub is None or sub.first_submitted_on is None or sub.first_submitted_on > row.due:
                        problems.append(NotReimbursable(doc, "late"))
                elif sub is None or sub.state != "approved":
                    problems.append(NotReimbursable(doc, "not_approved"))
    return dict(out)


# ---------------------------------------------------------------------------------------------
# to-do


@dataclass(frozen=True)
class DocumentStep:
    """A document awaiting the actor: ``doc_returned`` · ``doc_overdue`` · ``doc_due_soon`` (host),
    ``doc_review`` (administrator), or ``doc_more`` (how many more than shown)."""

    step: str
    row: DocumentRow | None = None
    submission: m.DocumentSubmission | None = None
    studio: m.Studio | None = None
    count: int = 0


def awaiting(session: Session, actor: Actor, jurisdiction: Any, *, year: int, today: dt.date) -> list[DocumentStep]:
    """The documents awaiting ``actor``: those of the studios they host that are returned, overdue or
    due soon (the earliest due first, a bounded number), and for the administrator the submitted
    documents awaiting review (the oldest first, a bounded number, the rest counted)."""
    return awaiting_many(session, [actor], jurisdiction, year=year, today=today)[0]


def awaiting_many(
    session: Session, actors: Sequence[Actor], jurisdiction: Any, *, year: int, today: dt.date
) -> list[list[DocumentStep]]:
    """:func:`awaiting` for each of ``actors`` (in their order), asked together: the studios they host
    are loaded and their documents computed once, and the administrators' review list is read once,
    so that the reminder pass costs the same statements for any number of hosts."""
    hosted_ids = sorted(set().union(*(a.hosted for a in actors)))
    rows_of: dict[int, list[DocumentRow]] = {}
    if hosted_ids:
        studios = list(session.scalars(select(m.Studio).where(m.Studio.id.in_(hosted_ids)).order_by(m.Studio.id)))
        loaded = _load(session, jurisdiction, [s.id for s in studios], with_files=False)
        for s in studios:
            rows = _rows_of(jurisdiction, s, year, loaded, today)
            rows_of[s.id] = [r for r in rows if r.state in ("returned", "overdue", "due_soon")]
    review: list[DocumentStep] | None = None
    answers: list[list[DocumentStep]] = []
    order = {"returned": 0, "overdue": 1, "due_soon": 2}
    for actor in actors:
        found: list[DocumentStep] = []
        rows = [r for studio_id in sorted(actor.hosted) for r in rows_of.get(studio_id, ())]
        rows.sort(key=lambda r: (order[r.state], r.due))
        found.extend(DocumentStep(f"doc_{r.state}", row=r, studio=r.studio) for r in rows[:AWAITING_DOCUMENTS])
        if len(rows) > AWAITING_DOCUMENTS:
            found.append(DocumentStep("doc_more", count=len(rows) - AWAITING_DOCUMENTS))
        if actor.is_admin:
            if review is None:
                review = _review_steps(session)
            found.extend(review)
        answers.append(found)
    return answers


def _review_steps(session: Session) -> list[DocumentStep]:
    """The administrator's part: the submitted documents awaiting review, the oldest first, bounded."""
    found: list[DocumentStep] = []
    waiting = select(m.DocumentSubmission).where(m.DocumentSubmission.state == "submitted")
    subs = list(
        session.scalars(
            waiting.order_by(m.DocumentSubmission.submitted_at, m.DocumentSubmission.id).limit(AWAITING_DOCUMENTS)
        )
    )
    studio_ids = sorted({s.studio_id for s in subs})
    by_id = {s.id: s for s in session.scalars(select(m.Studio).where(m.Studio.id.in_(studio_ids)))}
    found.extend(
        DocumentStep("doc_review", submission=s, studio=by_id.get(s.studio_id)) for s in subs[:AWAITING_DOCUMENTS]
    )
    # counted always, so that the page costs the same statements whether or not there are more
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    if total > AWAITING_DOCUMENTS:
        found.append(DocumentStep("doc_more", count=total - AWAITING_DOCUMENTS))
    return found
