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
            .where(m.Activity.studio_id.in_(ids))
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
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "activity_types", "type", data["type"], errors)
    schools = _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    current = {ms.person_id for ms in memberships(session, studio) if ms.left is None or ms.left > data["date"]}
    leaders = list(dict.fromkeys(data.get("led_by") or []))
    if any(p not in current for p in leaders):
        errors.setdefault("led_by", []).append("a leader is not in the studio on that date")
    records = list(attendance)
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
    audit.record(
        session,
        actor,
        "record_activity",
        "activity",
        activity.id,
        None,
        {**audit.snapshot(activity), "attendance": {str(r["person_id"]): r["status"] for r in records}},
    )
    removed = apply_automatic_removals(session, jurisdictions, studio, on=max(data["date"], dt.date.today()))
    return activity, removed


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


def add_output(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.Output:
    actor.require_manage_studio(studio.id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "output_types", "type", data["type"], errors)
    schools = _check_rows(session, m.School, "school_id", [data.get("school_id")], errors)
    people = _check_rows(session, m.Person, "people", data.get("people") or [], errors)
    if errors:
        raise ValidationError(errors)
    output = m.Output(
        studio_id=studio.id,
        type=data["type"],
        level=data.get("level"),
        date=data["date"],
        title=data["title"],
        published=bool(data.get("published")),
        chars=data.get("chars"),
        status=data.get("status"),
        school=schools.get(data.get("school_id")),
    )
    output.people = [m.OutputPerson(person_id=p) for p in people]
    session.add(output)
    session.flush()
    audit.record(session, actor, "add_output", "output", output.id, None, audit.snapshot(output))
    return output


def add_award(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.StudentAward:
    actor.require_manage_studio(studio.id)
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = {}
    _check_code(jurisdiction, "competitions", "competition", data["competition"], errors)
    _check_rows(session, m.Person, "first_instructor_id", [data["first_instructor_id"]], errors)
    if errors:
        raise ValidationError(errors)
    award = m.StudentAward(studio_id=studio.id, **{k: data.get(k) for k in AWARD_FIELDS})
    session.add(award)
    session.flush()
    audit.record(session, actor, "add_award", "student_award", award.id, None, audit.snapshot(award))
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


def quota_progress(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, period: Period, spec: Any = None
) -> list[Criterion]:
    """The studio's progress in ``period``: the jurisdiction's quotas, each read — when ``spec`` is the
    assessment covering that very period (:func:`progress_spec_period`) — from that assessment, so the
    progress tab, the dashboard's bars and the assessment page show one number for one criterion. A
    quota the assessment does not judge stays the plugin's progress measure."""
    jurisdiction = jurisdiction_of(session, jurisdictions)
    params = jurisdiction.paramset(tenant_parameter_values(session))
    facts = load_studio_facts(session, studio, jurisdiction=jurisdiction.code, as_of=period.end, params=params)
    quotas = list(jurisdiction.quotas(facts=facts, period=period))
    if spec is None or spec.kind not in jurisdiction.info.evaluations or studio.cycle_start is None:
        return quotas
    from mingshi.core.services.evaluation import evaluate

    outcome = evaluate(session, jurisdictions, studio, spec, apply_removals=False)
    if outcome.period != period or not outcome.assessed:
        return quotas
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
