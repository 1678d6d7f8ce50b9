"""The studio workspace: members, activities with attendance, outputs, awards, quota progress.

Every operation takes a tenant-bound session and an :class:`~mingshi.core.services.access.Actor`,
checks the actor may do it, validates the codes against the jurisdiction's vocabulary (raising
:class:`marshmallow.ValidationError` keyed by field), writes, audits, and — after attendance
changes — applies the jurisdiction's automatic removals. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.periods import Period, calendar_year, school_year_containing, school_year_ending_in
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.rules.results import Criterion
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.services.evaluation import apply_member_removals, tenant_of
from mingshi.core.services.facts import FactsRequest, load_facts, load_studio_facts, tenant_parameter_values


def jurisdiction_of(session: Session, jurisdictions: Jurisdictions) -> Jurisdiction:
    return jurisdictions.get(tenant_of(session).jurisdiction)


def _check_code(jurisdiction: Jurisdiction, kind: str, field: str, value: str | None, errors: dict) -> None:
    """``value`` must be a code the jurisdiction offers for ``kind``: for activity and output types,
    one its policy declares (hook ``mingshi_terms``), not merely one of the common vocabulary."""
    if value is None:
        return
    if value in jurisdiction.offered(kind):
        return
    if value in jurisdiction.vocabulary.codes(kind):
        errors.setdefault(field, []).append("not a type this jurisdiction's policy names")
    else:
        errors.setdefault(field, []).append("not a valid choice")


def _check_rows(session: Session, model: Any, field: str, ids: Iterable[int | None], errors: dict) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}
    if wanted - rows.keys():
        errors.setdefault(field, []).append("not a valid choice")
    return rows


# ---------------------------------------------------------------------------------------------
# studios


#: the statuses of a studio that has run (挂牌); every other status is an application's
RUNNING_STATUSES = ("active", "completed", "disqualified")


@dataclass(frozen=True)
class StudioRow:
    studio: m.Studio
    host: str | None
    members: int
    activities: int


def _studio_filters(
    stmt: Any,
    *,
    q: str | None = None,
    kind: str | None = None,
    county: str | None = None,
    status: str | None = None,
    only: Iterable[int] | None = None,
    active_in: Period | None = None,
) -> Any:
    """``active_in``: only the studios that ran in the period — plaqued (挂牌) by its end, not
    applications (a draft, submitted or rejected application is no studio)."""
    if active_in is not None:
        stmt = stmt.where(
            m.Studio.status.in_(RUNNING_STATUSES),
            m.Studio.cycle_start.is_not(None),
            m.Studio.cycle_start <= active_in.end,
        )
    if q:
        like = f"%{q.strip()}%"
        host_match = (
            select(m.Membership.studio_id)
            .join(m.Person, m.Person.id == m.Membership.person_id)
            .where(m.Membership.role == "host", m.Person.name.like(like))
        )
        stmt = stmt.where(m.Studio.name.like(like) | m.Studio.id.in_(host_match))
    if kind:
        stmt = stmt.where(m.Studio.kind == kind)
    if county:
        stmt = stmt.where(m.Studio.county == county)
    if status:
        stmt = stmt.where(m.Studio.status == status)
    if only is not None:
        stmt = stmt.where(m.Studio.id.in_(list(only)))
    return stmt


#: studios per page of the studio list
STUDIO_PAGE = 50


@dataclass(frozen=True)
class StudioCounts:
    """How many studios (every row, not a page of them): in all, by status, by kind."""

    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]


def count_studios(session: Session, **filters: Any) -> StudioCounts:
    """The studios counted by the database (one GROUP BY), with the filters of :func:`list_studios`."""
    rows = session.execute(
        _studio_filters(select(m.Studio.status, m.Studio.kind, func.count()), **filters).group_by(
            m.Studio.status, m.Studio.kind
        )
    ).all()
    by_status: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for status, kind, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    return StudioCounts(sum(by_status.values()), by_status, by_kind)


def list_studios(
    session: Session,
    *,
    q: str | None = None,
    kind: str | None = None,
    county: str | None = None,
    status: str | None = None,
    only: Iterable[int] | None = None,
    limit: int = STUDIO_PAGE,
    offset: int = 0,
    today: dt.date | None = None,
    active_in: Period | None = None,
) -> list[StudioRow]:
    """A page of studios (by name) with their host, member count (as of ``today``) and activity
    count, in four queries; :func:`count_studios` counts them all."""
    stmt = _studio_filters(
        select(m.Studio).order_by(m.Studio.name, m.Studio.id).limit(limit).offset(offset),
        q=q,
        kind=kind,
        county=county,
        status=status,
        only=only,
        active_in=active_in,
    )
    studios = list(session.scalars(stmt))
    ids = [s.id for s in studios]
    if not ids:
        return []
    today = today or dt.date.today()
    active = (m.Membership.left.is_(None)) | (m.Membership.left > today)
    counts = dict(
        session.execute(
            select(m.Membership.studio_id, func.count())
            .where(m.Membership.studio_id.in_(ids), m.Membership.role != "host", active)
            .group_by(m.Membership.studio_id)
        ).all()
    )
    hosts = dict(
        session.execute(
            select(m.Membership.studio_id, m.Person.name)
            .join(m.Person, m.Person.id == m.Membership.person_id)
            .where(m.Membership.studio_id.in_(ids), m.Membership.role == "host", active)
        ).all()
    )
    activities = dict(
        session.execute(
            select(m.Activity.studio_id, func.count())
            .where(m.Activity.studio_id.in_(ids), m.Activity.withdrawn_at.is_(None))
            .group_by(m.Activity.studio_id)
        ).all()
    )
    return [StudioRow(s, hosts.get(s.id), counts.get(s.id, 0), activities.get(s.id, 0)) for s in studios]


def counties(session: Session) -> list[str]:
    return [c for c in session.scalars(select(m.Studio.county).distinct().order_by(m.Studio.county)) if c]


# ---------------------------------------------------------------------------------------------
# members


def memberships(session: Session, studio: m.Studio) -> list[m.Membership]:
    return list(
        session.scalars(
            select(m.Membership)
            .where(m.Membership.studio_id == studio.id)
            .order_by(m.Membership.role != "host", m.Membership.left.is_not(None), m.Membership.joined, m.Membership.id)
        )
    )


def add_member(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.Membership:
    actor.require_manage_studio(studio.id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    role = data["role"]
    if role not in ("host", jurisdiction.info.member_role):
        errors.setdefault("role", []).append("not a valid choice")
    if role == "host" and not actor.is_admin:
        errors.setdefault("role", []).append("only the city administrator appoints a host")
    _check_code(jurisdiction, "member_categories", "category", data.get("category"), errors)
    schools = _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    person: m.Person | None = None
    if data.get("person_id") is not None:
        person = session.get(m.Person, data["person_id"])
        if person is None:
            errors.setdefault("person_id", []).append("not a valid choice")
        elif session.scalar(
            select(m.Membership.id).where(
                m.Membership.studio_id == studio.id, m.Membership.person_id == person.id, m.Membership.left.is_(None)
            )
        ):
            errors.setdefault("person_id", []).append("already a member of this studio")
    if errors:
        raise ValidationError(errors)
    if person is None:
        person = m.Person(
            name=data["name"],
            sex=data.get("sex"),
            born=data.get("born"),
            school=schools.get(data.get("school_id")),
            position=data.get("position"),
            title=data.get("title"),
            backbone_level=data.get("backbone_level"),
            phone=data.get("phone"),
        )
        session.add(person)
        session.flush()
        audit.record(session, actor, "create", "person", person.id, None, audit.snapshot(person))
    membership = m.Membership(
        studio_id=studio.id, person_id=person.id, role=role, category=data.get("category"), joined=data["joined"]
    )
    session.add(membership)
    session.flush()
    audit.record(session, actor, "add_member", "membership", membership.id, None, audit.snapshot(membership))
    return membership


PERSON_FIELDS = ("school_id", "position", "title", "backbone_level", "phone")


def edit_member(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, membership: m.Membership, data: Mapping[str, Any]
) -> m.Membership:
    """Change a membership (category, joining date) and its person's record; audited before → after."""
    actor.require_manage_studio(membership.studio_id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "member_categories", "category", data.get("category"), errors)
    _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    if membership.left is not None and data["joined"] > membership.left:
        errors.setdefault("joined", []).append("after the member left")
    if errors:
        raise ValidationError(errors)
    person = membership.person
    before = {**audit.snapshot(membership, ["category", "joined"]), **audit.snapshot(person, list(PERSON_FIELDS))}
    membership.category = data.get("category")
    membership.joined = data["joined"]
    for name in PERSON_FIELDS:
        setattr(person, name, data.get(name))
    session.flush()
    after = {**audit.snapshot(membership, ["category", "joined"]), **audit.snapshot(person, list(PERSON_FIELDS))}
    if after != before:
        audit.record(session, actor, "edit_member", "membership", membership.id, before, after)
    return membership


def remove_member(
    session: Session, actor: Actor, membership: m.Membership, *, date: dt.date, reason: str, rule: str | None = None
) -> m.Membership:
    actor.require_manage_studio(membership.studio_id)
    if membership.left is not None:
        raise ValidationError({"date": ["this member has already left"]})
    if date < membership.joined:
        raise ValidationError({"date": ["before the member joined"]})
    before = audit.snapshot(membership)
    membership.left = date
    membership.removal_reason = reason
    membership.removal_rule = rule or "manual"
    session.flush()
    audit.record(session, actor, "remove_member", "membership", membership.id, before, audit.snapshot(membership))
    return membership


# ---------------------------------------------------------------------------------------------
# activities


def activities(session: Session, studio: m.Studio, period: Period | None = None) -> list[m.Activity]:
    stmt = select(m.Activity).where(m.Activity.studio_id == studio.id)
    if period is not None:
        stmt = stmt.where(m.Activity.date >= period.start, m.Activity.date <= period.end)
    return list(session.scalars(stmt.order_by(m.Activity.date.desc(), m.Activity.id.desc())))


#: activities per page of a studio's activity tab
ACTIVITY_PAGE = 50


@dataclass(frozen=True)
class ActivityPage:
    rows: list[m.Activity]
    total: int
    #: the cursor of the next (older) page, ``"<date>_<id>"`` of this page's last row; None: the last page
    after: str | None


def parse_cursor(raw: str | None) -> tuple[dt.date, int] | None:
    """``"<date>_<id>"`` (a keyset cursor) or None when absent or malformed."""
    if not raw:
        return None
    day, _sep, ident = raw.partition("_")
    try:
        return dt.date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def activity_page(
    session: Session, studio: m.Studio, *, after: tuple[dt.date, int] | None = None, size: int | None = None
) -> ActivityPage:
    """A page of the studio's activities, newest first, by keyset (date, id) after ``after``: as fast on
    the last page of a long history as on the first."""
    size = size or ACTIVITY_PAGE
    stmt = select(m.Activity).where(m.Activity.studio_id == studio.id)
    if after is not None:
        day, ident = after
        stmt = stmt.where((m.Activity.date < day) | ((m.Activity.date == day) & (m.Activity.id < ident)))
    rows = list(session.scalars(stmt.order_by(m.Activity.date.desc(), m.Activity.id.desc()).limit(size + 1)))
    total = session.scalar(select(func.count()).where(m.Activity.studio_id == studio.id)) or 0
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].date.isoformat()}_{rows[-1].id}" if more and rows else None
    return ActivityPage(rows, total, cursor)


def record_activity(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    data: Mapping[str, Any],
    attendance: Iterable[Mapping[str, Any]] = (),
) -> tuple[m.Activity, list[m.Membership]]:
    """Record an activity with its attendance; return it and the members the rules removed because of it."""
    actor.require_manage_studio(studio.id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    records = list(attendance)
    schools, leaders = _checked_activity(session, jurisdiction, studio, data, records)
    activity = m.Activity(
        studio_id=studio.id,
        date=data["date"],
        type=data["type"],
        mode=data.get("mode") or "offline",
        scope=data.get("scope") or "studio",
        school=schools.get(data.get("school_id")),
        title=data["title"],
        notice_published=data.get("notice_published"),
        plan_approved=data.get("plan_approved"),
        report_published=data.get("report_published"),
    )
    activity.leaders = [m.ActivityLeader(person_id=p) for p in leaders]
    activity.attendance = [
        m.Attendance(person_id=r["person_id"], status=r["status"], leave_approved=r.get("leave_approved"))
        for r in records
    ]
    session.add(activity)
    session.flush()
    audit.record(session, actor, "record_activity", "activity", activity.id, None, _activity_snapshot(activity))
    from mingshi.core.services import submissions

    # a notice or plan filed ahead of the activity dates it (RequiredDocument.dates)
    submissions.date_recorded_activity(session, actor, jurisdiction, studio, activity, today=dt.date.today())
    removed = apply_automatic_removals(session, jurisdictions, studio, on=max(data["date"], dt.date.today()))
    return activity, removed


def _checked_activity(
    session: Session, jurisdiction: Jurisdiction, studio: m.Studio, data: Mapping[str, Any], records: list
) -> tuple[dict[int, Any], list[int]]:
    """The checks of an activity and its attendance, for recording and correcting alike: the schools
    named and the leaders (in order, once each); :class:`ValidationError` keyed by field."""
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "activity_types", "type", data["type"], errors)
    schools = _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    current = {ms.person_id for ms in memberships(session, studio) if ms.left is None or ms.left > data["date"]}
    leaders = list(dict.fromkeys(data.get("led_by") or []))
    if any(p not in current for p in leaders):
        errors.setdefault("led_by", []).append("a leader is not in the studio on that date")
    if any(r["person_id"] not in current for r in records):
        errors.setdefault("attendance", []).append("attendance names someone who is not in the studio on that date")
    for r in records:
        if r["status"] != "excused":
            continue
        if r.get("leave_approved") is None:
            errors.setdefault("attendance", []).append("an excused absence needs the date the leave was approved")
            break
        if r["leave_approved"] > data["date"]:
            errors.setdefault("attendance", []).append("leave approved after the activity does not excuse it")
            break
    for key in ("notice_published", "plan_approved"):
        if data.get(key) and data[key] > data["date"] + dt.timedelta(days=366):
            errors.setdefault(key, []).append("not a plausible date")
    if errors:
        raise ValidationError(errors)
    return schools, leaders


ACTIVITY_FIELDS = (
    "date",
    "type",
    "mode",
    "scope",
    "school_id",
    "title",
    "notice_published",
    "plan_approved",
    "report_published",
)


def _activity_snapshot(activity: m.Activity) -> dict[str, Any]:
    """What the audit keeps of an activity: its fields, its leaders and each attendee's record."""
    return {
        **audit.snapshot(activity, list(ACTIVITY_FIELDS)),
        "led_by": sorted(leader.person_id for leader in activity.leaders),
        "attendance": {
            str(r.person_id): r.status + (f" {r.leave_approved.isoformat()}" if r.leave_approved else "")
            for r in sorted(activity.attendance, key=lambda r: r.person_id)
        },
    }


# -- corrections -------------------------------------------------------------------------------
# A correction goes through the same checks as the record it corrects, against the version the form
# was loaded with; a delete is a withdrawal: the row stays, marked, in the history and counts nowhere.
# Each is audited before → after; a correction of attendance recomputes the automatic removals.

STALE = "this record was changed by someone else since the form was loaded: reload the page and correct it again"
WITHDRAWN = "this record has been withdrawn"


def _check_version(record: Any, expected: int) -> None:
    if record.withdrawn_at is not None:
        raise ValidationError({"version": [WITHDRAWN]})
    if record.version != expected:
        raise ValidationError({"version": [STALE]})


def _flush_versioned(session: Session) -> None:
    """Flush; a save that raced another one (``UPDATE … WHERE version = n`` matched no row) is refused."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        session.flush()
    except StaleDataError:
        raise ValidationError({"version": [STALE]}) from None


def _withdraw(session: Session, actor: Actor, record: Any, reason: str, action: str, entity: str) -> None:
    if record.withdrawn_at is not None:
        raise ValidationError({"reason": [WITHDRAWN]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["may not be empty"]})
    record.withdrawn_at = dt.datetime.now(dt.UTC)
    record.withdrawn_by_id = actor.user_id
    record.withdrawal_reason = reason.strip()
    _flush_versioned(session)
    audit.record(
        session, actor, action, entity, record.id, {"withdrawn": False}, {"withdrawn": True, "reason": reason.strip()}
    )


def edit_activity(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    activity: m.Activity,
    data: Mapping[str, Any],
    attendance: Iterable[Mapping[str, Any]],
) -> tuple[m.Activity, list[m.Membership], list[m.Membership]]:
    """Correct an activity and its attendance (the whole record, as the form shows it). Returns the
    activity, the members the rules now remove and those whose automatic removal the correction undid."""
    actor.require_manage_studio(activity.studio_id)
    _check_version(activity, data["version"])
    studio = session.get(m.Studio, activity.studio_id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    records = list(attendance)
    before = _activity_snapshot(activity)
    concerned = {r.person_id for r in activity.attendance} | {r["person_id"] for r in records}
    with _removals_recomputed(session, actor, jurisdiction, studio, concerned) as outcome:
        # checked with the removals under review put back: a trainee removed by this very absence is
        # still on the activity's roster
        schools, leaders = _checked_activity(session, jurisdiction, studio, data, records)
        for name in ACTIVITY_FIELDS:
            if name != "school_id":
                setattr(activity, name, data.get(name))
        activity.mode = data.get("mode") or "offline"
        activity.scope = data.get("scope") or "studio"
        activity.school = schools.get(data.get("school_id"))
        # rows are updated in place (one record per person and activity, a unique constraint)
        existing = {leader.person_id: leader for leader in activity.leaders}
        activity.leaders = [existing.get(p) or m.ActivityLeader(person_id=p) for p in leaders]
        kept = {r.person_id: r for r in activity.attendance}
        rows = []
        for r in records:
            row = kept.get(r["person_id"]) or m.Attendance(person_id=r["person_id"])
            row.status, row.leave_approved = r["status"], r.get("leave_approved")
            rows.append(row)
        activity.attendance = rows
        _flush_versioned(session)
    after = _activity_snapshot(activity)
    if after != before:
        audit.record(session, actor, "edit_activity", "activity", activity.id, before, after)
    removed = apply_automatic_removals(session, jurisdictions, studio, on=max(activity.date, dt.date.today()))
    return activity, removed, outcome.restored


def withdraw_activity(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, activity: m.Activity, reason: str
) -> list[m.Membership]:
    """Withdraw an activity recorded by mistake: it stays in the history and no longer counts; a
    member its absences removed is no longer removed by them. Returns those reinstated so."""
    actor.require_manage_studio(activity.studio_id)
    studio = session.get(m.Studio, activity.studio_id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    concerned = {r.person_id for r in activity.attendance}
    with _removals_recomputed(session, actor, jurisdiction, studio, concerned) as outcome:
        _withdraw(session, actor, activity, reason, "withdraw_activity", "activity")
    return outcome.restored


@dataclass
class _Recomputed:
    restored: list[m.Membership]


class _removals_recomputed:
    """Around a correction of the facts the automatic removals read (attendance): the members of
    ``person_ids`` a rule removed are put back while the rules are asked again, before and after the
    correction. A removal the rules decided before and no longer decide is undone (audited, with the
    removal in the history); one they still decide is kept (with its new date and reason if those
    changed); a removal that was not the rules' daily decision (manual, an assessment's) is restored."""

    def __init__(
        self, session: Session, actor: Actor, jurisdiction: Jurisdiction, studio: m.Studio, person_ids: set[int]
    ) -> None:
        self.session, self.actor, self.jurisdiction, self.studio = session, actor, jurisdiction, studio
        self.outcome = _Recomputed([])
        self.saved: dict[int, tuple[Any, ...]] = {}
        self.candidates: list[m.Membership] = []
        if person_ids:
            self.candidates = list(
                session.scalars(
                    select(m.Membership).where(
                        m.Membership.studio_id == studio.id,
                        m.Membership.person_id.in_(person_ids),
                        m.Membership.left.is_not(None),
                        m.Membership.removal_rule.is_not(None),
                        m.Membership.removal_rule != "manual",
                    )
                )
            )

    def _decisions(self) -> dict[str, Any]:
        on = dt.date.today()
        params = self.jurisdiction.paramset(tenant_parameter_values(self.session))
        facts = load_studio_facts(
            self.session, self.studio, jurisdiction=self.jurisdiction.code, as_of=on, params=params
        )
        return {r.person: r for r in self.jurisdiction.member_removals(facts=facts, on=on)}

    def __enter__(self) -> _Recomputed:
        if not self.candidates:
            return self.outcome
        for ms in self.candidates:
            self.saved[ms.id] = (ms.left, ms.removal_rule, ms.removal_reason)
            ms.left, ms.removal_rule, ms.removal_reason = None, None, None
        self.session.flush()
        decided = self._decisions()
        self.by_rule = {
            ms.id
            for ms in self.candidates
            if (r := decided.get(_key(ms))) is not None and r.rule == self.saved[ms.id][1]
        }
        return self.outcome

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None or not self.candidates:
            return
        decided = self._decisions()
        locale = tenant_of(self.session).locale
        for ms in self.candidates:
            left, rule, reason = self.saved[ms.id]
            removal = decided.get(_key(ms))
            if ms.id not in self.by_rule:
                ms.left, ms.removal_rule, ms.removal_reason = left, rule, reason
            elif removal is not None:
                ms.left, ms.removal_rule, ms.removal_reason = removal.date, removal.rule, removal.reason.render(locale)
                if (ms.left, ms.removal_rule, ms.removal_reason) != (left, rule, reason):
                    audit.record(
                        self.session,
                        self.actor,
                        "member_removed",
                        "membership",
                        ms.id,
                        {"left": left.isoformat(), "rule": rule, "reason": reason},
                        {"left": ms.left.isoformat(), "rule": ms.removal_rule, "reason": ms.removal_reason},
                    )
            else:
                self.outcome.restored.append(ms)
                audit.record(
                    self.session,
                    self.actor,
                    "removal_undone",
                    "membership",
                    ms.id,
                    {"left": left.isoformat(), "rule": rule, "reason": reason},
                    {"left": None},
                )
        self.session.flush()


def _key(membership: m.Membership) -> str:
    return membership.person.ref or str(membership.person_id)


def reinstate_member(
    session: Session, actor: Actor, membership: m.Membership, *, reason: str, today: dt.date
) -> m.Membership:
    """Reinstate a member a rule removed (the city administrator, with a reason). The removal stays in
    the audit log; the rules then count only what happens after ``today`` — the same absences do
    not remove the member again."""
    actor.require_admin()
    if membership.left is None:
        raise ValidationError({"reason": ["this member has not left the studio"]})
    if membership.removal_rule in (None, "manual"):
        raise ValidationError({"reason": ["only a removal by a rule is reinstated here; add the person again instead"]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["may not be empty"]})
    before = {
        "left": membership.left.isoformat(),
        "rule": membership.removal_rule,
        "removal_reason": membership.removal_reason,
    }
    membership.left, membership.removal_rule, membership.removal_reason = None, None, None
    membership.reinstated_on = today
    membership.reinstatement_reason = reason.strip()
    session.flush()
    audit.record(
        session,
        actor,
        "reinstate_member",
        "membership",
        membership.id,
        before,
        {"left": None, "reinstated_on": today.isoformat(), "reason": membership.reinstatement_reason},
    )
    return membership


def apply_automatic_removals(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, *, on: dt.date
) -> list[m.Membership]:
    """Ask the jurisdiction which members its automatic rules remove as of ``on``, and remove them."""
    return apply_removals_of(session, jurisdiction_of(session, jurisdictions), studio, on=on)


def apply_removals_of(
    session: Session, jurisdiction: Jurisdiction, studio: m.Studio, *, on: dt.date
) -> list[m.Membership]:
    params = jurisdiction.paramset(tenant_parameter_values(session))
    facts = load_studio_facts(session, studio, jurisdiction=jurisdiction.code, as_of=on, params=params)
    removals = jurisdiction.member_removals(facts=facts, on=on)
    if not removals:
        return []
    return apply_member_removals(session, studio, removals)


# ---------------------------------------------------------------------------------------------
# outputs and awards


def outputs(session: Session, studio: m.Studio) -> list[m.Output]:
    return list(session.scalars(select(m.Output).where(m.Output.studio_id == studio.id).order_by(m.Output.date.desc())))


def awards(session: Session, studio: m.Studio) -> list[m.StudentAward]:
    return list(
        session.scalars(
            select(m.StudentAward).where(m.StudentAward.studio_id == studio.id).order_by(m.StudentAward.date.desc())
        )
    )


OUTPUT_FIELDS = ("type", "level", "date", "title", "published", "chars", "status", "school_id")


def _checked_output(session: Session, jurisdictions: Jurisdictions, data: Mapping[str, Any]) -> tuple[dict, list[int]]:
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "output_types", "type", data["type"], errors)
    schools = _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    wanted = list(dict.fromkeys(data.get("people") or []))
    _check_rows(session, m.Person, "people", wanted, errors)
    if errors:
        raise ValidationError(errors)
    return schools, wanted


def _fill_output(output: m.Output, data: Mapping[str, Any], schools: dict) -> None:
    output.type = data["type"]
    output.level = data.get("level")
    output.date = data["date"]
    output.title = data["title"]
    output.published = bool(data.get("published"))
    output.chars = data.get("chars")
    output.status = data.get("status")
    output.school = schools.get(data.get("school_id"))


def _output_snapshot(output: m.Output) -> dict[str, Any]:
    return {**audit.snapshot(output, list(OUTPUT_FIELDS)), "people": sorted(p.person_id for p in output.people)}


def add_output(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.Output:
    actor.require_manage_studio(studio.id)
    schools, people = _checked_output(session, jurisdictions, data)
    output = m.Output(studio_id=studio.id)
    _fill_output(output, data, schools)
    output.people = [m.OutputPerson(person_id=p) for p in people]
    session.add(output)
    session.flush()
    audit.record(session, actor, "add_output", "output", output.id, None, audit.snapshot(output))
    return output


def edit_output(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, output: m.Output, data: Mapping[str, Any]
) -> m.Output:
    """Correct an output (a report's title to the required format, a wrong date …), same checks as adding one."""
    actor.require_manage_studio(output.studio_id)
    _check_version(output, data["version"])
    schools, people = _checked_output(session, jurisdictions, data)
    before = _output_snapshot(output)
    _fill_output(output, data, schools)
    existing = {p.person_id: p for p in output.people}
    output.people = [existing.get(p) or m.OutputPerson(person_id=p) for p in people]
    _flush_versioned(session)
    after = _output_snapshot(output)
    if after != before:
        audit.record(session, actor, "edit_output", "output", output.id, before, after)
    return output


def withdraw_output(session: Session, actor: Actor, output: m.Output, reason: str) -> m.Output:
    actor.require_manage_studio(output.studio_id)
    _withdraw(session, actor, output, reason, "withdraw_output", "output")
    return output


def _check_award(session: Session, jurisdictions: Jurisdictions, data: Mapping[str, Any]) -> None:
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "competitions", "competition", data["competition"], errors)
    _check_rows(session, m.Person, "first_instructor_id", [data["first_instructor_id"]], errors)
    if errors:
        raise ValidationError(errors)


def add_award(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.StudentAward:
    actor.require_manage_studio(studio.id)
    _check_award(session, jurisdictions, data)
    award = m.StudentAward(studio_id=studio.id, **{k: data.get(k) for k in AWARD_FIELDS})
    session.add(award)
    session.flush()
    audit.record(session, actor, "add_award", "student_award", award.id, None, audit.snapshot(award))
    return award


def edit_award(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, award: m.StudentAward, data: Mapping[str, Any]
) -> m.StudentAward:
    actor.require_manage_studio(award.studio_id)
    _check_version(award, data["version"])
    _check_award(session, jurisdictions, data)
    before = audit.snapshot(award, list(AWARD_FIELDS))
    for name in AWARD_FIELDS:
        setattr(award, name, data.get(name))
    _flush_versioned(session)
    after = audit.snapshot(award, list(AWARD_FIELDS))
    if after != before:
        audit.record(session, actor, "edit_award", "student_award", award.id, before, after)
    return award


def withdraw_award(session: Session, actor: Actor, award: m.StudentAward, reason: str) -> m.StudentAward:
    actor.require_manage_studio(award.studio_id)
    _withdraw(session, actor, award, reason, "withdraw_award", "student_award")
    return award


AWARD_FIELDS = ("competition", "level", "rank", "first_instructor_id", "date", "student", "title")


# ---------------------------------------------------------------------------------------------
# quotas


def current_period(jurisdiction: Jurisdiction, today: dt.date) -> Period:
    """The period the workspace shows progress for: the assessment year that contains today."""
    if jurisdiction.info.annual_period == "school_year":
        return school_year_containing(today)
    return calendar_year(today.year)


def annual_period(jurisdiction: Jurisdiction, year: int) -> Period:
    """The assessment year ``year``: the calendar year, or the school year that ends in it."""
    if jurisdiction.info.annual_period == "school_year":
        return school_year_ending_in(year)
    return calendar_year(year)


def live_checks(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, today: dt.date) -> list[Criterion]:
    """The jurisdiction's composition and eligibility checks of ``studio`` as of ``today`` (the members
    tab's live panel), kept under the studio's fact revisions (``core/cache.py``)."""
    from mingshi.core import cache
    from mingshi.core.services.evaluation import EvaluationSpec, evaluate

    def compute() -> tuple[Criterion, ...]:
        spec = EvaluationSpec("application", date=today)
        outcome = evaluate(session, jurisdictions, studio, spec, apply_removals=False)
        rules = jurisdiction_of(session, jurisdictions).rules
        return tuple(c for c in outcome.evaluation.criteria if rules[c.id].kind in ("composition", "application"))

    return list(cache.kept(session, studio, ("live_checks", today), compute))


def progress_spec_period(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, today: dt.date, year: int | None = None
) -> tuple[Any, Period]:
    """The assessment (spec) and period a studio's progress is shown for — the very period its
    assessment covers (the jurisdiction's ``mingshi_assessment_period``), so that the progress tab,
    the assessment page and a person's page read one number: the assessed year containing ``today``
    (or ``year``); a jurisdiction with no annual assessment shows the cycle."""
    from mingshi.core.services.evaluation import EvaluationSpec, period_of

    jurisdiction = jurisdiction_of(session, jurisdictions)
    if "annual" not in jurisdiction.info.evaluations or studio.cycle_start is None:
        spec = EvaluationSpec("cycle")
        if studio.cycle_start is None:
            return spec, current_period(jurisdiction, today)
        return spec, period_of(session, jurisdictions, studio, spec)
    if year is None:
        for candidate in (today.year, today.year + 1, today.year - 1):
            spec = EvaluationSpec("annual", year=candidate)
            period = period_of(session, jurisdictions, studio, spec)
            if today in period:
                return spec, period
        year = today.year
    spec = EvaluationSpec("annual", year=year)
    return spec, period_of(session, jurisdictions, studio, spec)


def assessment_scope(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, spec: Any) -> Any:
    """Whether the assessment ``spec`` assesses the studio (its ``not_assessed`` reason and article, or
    its first part-year), without reading its facts: what the progress tab says above its numbers."""
    from mingshi.core.services.evaluation import Scope, _scoped_period

    if spec is None or studio.cycle_start is None:
        return Scope()
    jurisdiction = jurisdiction_of(session, jurisdictions)
    return _scoped_period(jurisdiction, studio, spec, jurisdiction.paramset(tenant_parameter_values(session)))[1]


def quota_progress(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, period: Period, spec: Any = None
) -> list[Criterion]:
    """The studio's progress in ``period``: the jurisdiction's quotas, each read — when ``spec`` is the
    assessment covering that very period (:func:`progress_spec_period`) — from that assessment, so the
    progress tab, the dashboard's bars and the assessment page show one number for one criterion. A
    quota the assessment does not judge stays the plugin's progress measure."""
    from mingshi.core import cache

    return list(
        cache.kept(
            session,
            studio,
            ("quota_progress", period, spec),
            lambda: tuple(_quota_progress(session, jurisdictions, studio, period, spec)),
        )
    )


def _quota_progress(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, period: Period, spec: Any
) -> list[Criterion]:
    jurisdiction = jurisdiction_of(session, jurisdictions)
    params = jurisdiction.paramset(tenant_parameter_values(session))
    facts = load_studio_facts(session, studio, jurisdiction=jurisdiction.code, as_of=period.end, params=params)
    quotas = list(jurisdiction.quotas(facts=facts, period=period))
    if spec is None or spec.kind not in jurisdiction.info.evaluations or studio.cycle_start is None:
        return quotas
    from mingshi.core.services.evaluation import evaluate

    outcome = evaluate(session, jurisdictions, studio, spec, apply_removals=False)
    if outcome.period != period:
        return quotas
    # assessed or not (a first part-year the city does not assess): the numbers the assessment page
    # shows for this period, beside its reason (:func:`assessment_scope`)
    assessed = {c.id: c for c in outcome.evaluation.criteria}
    return [assessed.get(q.id, q) for q in quotas]


def quota_progress_many(
    session: Session, jurisdictions: Jurisdictions, studios: Iterable[m.Studio], period: Period
) -> dict[int, list[Criterion]]:
    """:func:`quota_progress` of several studios, their facts read at once (:func:`load_facts`: a
    constant number of statements whatever the number of studios)."""
    wanted = list(studios)
    if not wanted:
        return {}
    jurisdiction = jurisdiction_of(session, jurisdictions)
    params = jurisdiction.paramset(tenant_parameter_values(session))
    requests = [FactsRequest(s, period.end) for s in wanted]
    return {
        loaded.request.studio.id: list(jurisdiction.quotas(facts=loaded.facts, period=period))
        for loaded in load_facts(session, requests, jurisdiction=jurisdiction.code, params=params)
    }


def progress_many(
    session: Session,
    jurisdictions: Jurisdictions,
    studios: Iterable[m.Studio],
    today: dt.date,
    *,
    assessed_only: bool = False,
) -> dict[int, list[Criterion]]:
    """The progress of several studios as each one's progress tab shows it (:func:`progress_spec_period`
    and :func:`quota_progress` with its spec), in a constant number of statements: the facts of all of
    them read at once, and each distinct assessment evaluated once for all the studios it covers.
    ``assessed_only``: leave out the studios their period's assessment does not assess (the first
    part-year of a studio approved within it, as the jurisdiction reads it)."""
    from mingshi.core.services.evaluation import EvaluationSpec, _scoped_period, evaluate_many

    wanted = list(studios)
    if not wanted:
        return {}
    jurisdiction = jurisdiction_of(session, jurisdictions)
    params = jurisdiction.paramset(tenant_parameter_values(session))
    chosen: dict[int, tuple[Any, Period]] = {}
    for studio in wanted:
        if studio.cycle_start is None:
            chosen[studio.id] = (None, current_period(jurisdiction, today))
        elif "annual" not in jurisdiction.info.evaluations:
            spec = EvaluationSpec("cycle")
            chosen[studio.id] = (spec, _scoped_period(jurisdiction, studio, spec, params)[0])
        else:
            for candidate in (today.year, today.year + 1, today.year - 1, today.year):
                spec = EvaluationSpec("annual", year=candidate)
                period, scope = _scoped_period(jurisdiction, studio, spec, params)
                if today in period:
                    break
            if assessed_only and scope.not_assessed is not None:
                continue
            chosen[studio.id] = (spec, period)
    wanted = [s for s in wanted if s.id in chosen]
    from mingshi.core import cache

    keys = {s.id: cache.key_of(session, s, "quota_progress", chosen[s.id][1], chosen[s.id][0]) for s in wanted}
    by_id = {s.id: s for s in wanted}

    def progress(missing: list[int]) -> dict[int, tuple[Criterion, ...]]:
        if not missing:
            return {}
        requests = [FactsRequest(by_id[i], chosen[i][1].end) for i in missing]
        quotas = {
            loaded.request.studio.id: list(
                jurisdiction.quotas(facts=loaded.facts, period=chosen[loaded.request.studio.id][1])
            )
            for loaded in load_facts(session, requests, jurisdiction=jurisdiction.code, params=params)
        }
        by_spec: dict[Any, list[int]] = {}
        for studio_id in quotas:  # the studios not kept: a kept one's progress is not evaluated again
            spec = chosen[studio_id][0]
            if spec is not None and spec.kind in jurisdiction.info.evaluations:
                by_spec.setdefault(spec, []).append(studio_id)
        for spec, ids in by_spec.items():
            for outcome in evaluate_many(session, jurisdictions, select(m.Studio).where(m.Studio.id.in_(ids)), spec):
                studio_id = outcome.studio.id
                if outcome.period != chosen[studio_id][1]:
                    continue
                assessed = {c.id: c for c in outcome.evaluation.criteria}
                quotas[studio_id] = [assessed.get(q.id, q) for q in quotas.get(studio_id, [])]
        return {studio_id: tuple(found) for studio_id, found in quotas.items()}

    return {studio_id: list(found) for studio_id, found in cache.kept_many(keys, progress).items()}
