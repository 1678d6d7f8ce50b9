"""Applications (申报 → 挂牌): the workflow every city runs, as its policy describes it.

draft → submitted (by the applicant) → recommended (by the county, within its quota where the city
sets one) → reviewing (the city's qualification check and expert review, with attestations) →
notice (公示, for the jurisdiction's number of days) → active (挂牌: the cycle starts) — or rejected,
with a reason, at any step after the draft. Each step is allowed to named roles only and is kept
with who, when and why (:class:`~mingshi.core.models.StudioTransition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.db import serialize
from mingshi.core.i18n import Text
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.rules.results import Grade
from mingshi.core.services import audit, registry
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.services.evaluation import EvaluationSpec, Outcome, evaluate
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.services.workspace import jurisdiction_of, tenant_of
from mingshi.core.tenancy import ReferenceNotFound

APPLICATION_STATUSES = ("draft", "submitted", "recommended", "reviewing", "notice")
#: the states the list of applications filters by: the workflow's statuses, and "approved" (挂牌: the
#: studio has since run, whatever its status now)
APPLICATION_STATES = (*APPLICATION_STATUSES, "rejected", "withdrawn", "approved")


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[str, ...]
    target: str
    #: who may take it: "applicant" (the studio's host), "reviewer", "admin"
    roles: tuple[str, ...]


STEPS: dict[str, Step] = {
    "submit": Step("submit", ("draft",), "submitted", ("applicant", "admin")),
    "recommend": Step("recommend", ("submitted",), "recommended", ("reviewer", "admin")),
    "review": Step("review", ("recommended",), "reviewing", ("admin",)),
    "notice": Step("notice", ("reviewing",), "notice", ("admin",)),
    "approve": Step("approve", ("notice",), "active", ("admin",)),
    "reject": Step("reject", ("submitted", "recommended", "reviewing", "notice"), "rejected", ("reviewer", "admin")),
    # the applicant changes their mind before submitting: the draft stays in the history, withdrawn
    "withdraw": Step("withdraw", ("draft",), "withdrawn", ("applicant", "admin")),
}

#: whose move it is, by status
AWAITS = {
    "draft": "applicant",
    "submitted": "reviewer",
    "recommended": "admin",
    "reviewing": "admin",
    "notice": "admin",
}


def _may(actor: Actor, step: Step, studio: m.Studio) -> bool:
    if "admin" in step.roles and actor.is_admin:
        return True
    if "reviewer" in step.roles and actor.is_reviewer:
        return True
    return "applicant" in step.roles and studio.id in actor.hosted


def allowed_steps(actor: Actor, studio: m.Studio) -> list[str]:
    return [name for name, step in STEPS.items() if studio.status in step.sources and _may(actor, step, studio)]


def create(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    data: Mapping[str, Any],
    *,
    today: dt.date,
) -> m.Studio:
    """A draft application: the studio, its host (the applicant or a person the administrator names) and its site."""
    jurisdiction = jurisdiction_of(session, jurisdictions)
    errors: dict[str, list[str]] = _undeclared_site_fields(jurisdiction, data)
    if data["kind"] not in jurisdiction.info.studio_kinds:
        errors["kind"] = ["not a valid choice"]
    host_id = data.get("host_person_id")
    if actor.is_admin:
        if host_id is None:
            errors["host_person_id"] = ["missing"]
        elif session.get(m.Person, host_id) is None:
            errors["host_person_id"] = ["not a valid choice"]
    elif actor.person_id is not None and "host" in actor.roles:
        host_id = actor.person_id  # a host applies for themselves
    else:
        raise Forbidden("only a future host or the city administrator prepares an application")
    if data.get("school_id") is not None and session.get(m.School, data["school_id"]) is None:
        errors["school_id"] = ["not a valid choice"]
    try:
        registry.check_county(session, data.get("county"))
    except ValidationError as exc:
        errors.update(exc.messages)
    if errors:
        raise ValidationError(errors)
    studio = m.Studio(
        name=data["name"],
        kind=data["kind"],
        county=data.get("county"),
        school_id=data.get("school_id"),
        subject=data.get("subject"),
        status="draft",
        site_area_m2=data.get("site_area_m2"),
        site_height_m=data.get("site_height_m"),
        site_capacity=data.get("site_capacity"),
    )
    session.add(studio)
    session.flush()
    session.add(m.Membership(studio_id=studio.id, person_id=host_id, role="host", joined=today))
    session.flush()
    audit.record(session, actor, "create_application", "studio", studio.id, None, audit.snapshot(studio))
    return studio


SITE_FIELDS = ("site_area_m2", "site_height_m", "site_capacity")


def _undeclared_site_fields(jurisdiction: Jurisdiction, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """A site value the jurisdiction's policy does not ask for (hook ``mingshi_terms``) is refused by field."""
    offered = set(jurisdiction.offered("site_fields"))
    return {
        name: ["this jurisdiction's policy does not ask for this"]
        for name in SITE_FIELDS
        if data.get(name) is not None and name not in offered
    }


def update_draft(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: Mapping[str, Any]
) -> m.Studio:
    """Change a draft's record and site (the applicant or the administrator, while it is a draft); a site
    field the jurisdiction does not ask for is refused."""
    if studio.status != "draft":
        raise ValidationError({"_schema": ["only a draft can be changed"]})
    if not (actor.is_admin or studio.id in actor.hosted):
        raise Forbidden("only the applicant or the city administrator changes a draft")
    undeclared = _undeclared_site_fields(jurisdiction_of(session, jurisdictions), data)
    if undeclared:
        raise ValidationError(undeclared)
    if data.get("county") != studio.county:
        registry.check_county(session, data.get("county"))
    school_id = data.get("school_id")
    if school_id is not None and session.get(m.School, school_id) is None:
        raise ReferenceNotFound("studios", "school_id", school_id)  # another tenant's or none: alike
    before = audit.snapshot(studio)
    for name in ("name", "county", "subject", "site_area_m2", "site_height_m", "site_capacity", "school_id"):
        if name in data:
            setattr(studio, name, data[name])
    session.flush()
    audit.record(session, actor, "update_application", "studio", studio.id, before, audit.snapshot(studio))
    return studio


def eligibility(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, on: dt.date) -> Outcome:
    """The jurisdiction's application check, criterion by criterion, as of ``on`` (nothing is written)."""
    return evaluate(session, jurisdictions, studio, EvaluationSpec("application", date=on), apply_removals=False)


def history(session: Session, studio: m.Studio) -> list[m.StudioTransition]:
    return list(
        session.scalars(
            select(m.StudioTransition)
            .where(m.StudioTransition.studio_id == studio.id)
            .order_by(m.StudioTransition.at, m.StudioTransition.id)
        )
    )


def notice_until(session: Session, studio: m.Studio) -> dt.date | None:
    return session.scalar(
        select(m.StudioTransition.notice_until)
        .where(m.StudioTransition.studio_id == studio.id, m.StudioTransition.to_status == "notice")
        .order_by(m.StudioTransition.id.desc())
        .limit(1)
    )


def _param(session: Session, jurisdictions: Jurisdictions, param_id: str, on: dt.date) -> Any:
    jurisdiction = jurisdiction_of(session, jurisdictions)
    return jurisdiction.paramset(tenant_parameter_values(session)).value(param_id, on)


def take(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    step_name: str,
    *,
    today: dt.date,
    reason: str | None = None,
) -> m.StudioTransition:
    """Take one step of the workflow, if the actor may and the rules allow; keep who, when and why."""
    step = STEPS.get(step_name)
    if step is None:
        raise ValidationError({"step": ["not a valid choice"]})
    if not _may(actor, step, studio):
        raise Forbidden(f"you may not take the step {step_name}")
    if studio.status not in step.sources:
        raise ValidationError(
            {
                "step": [
                    Text(
                        "an application in status %(status)s cannot take the step %(step)s",
                        {"status": studio.status, "step": step_name},
                    )
                ]
            }
        )
    jurisdiction = jurisdiction_of(session, jurisdictions)
    info = jurisdiction.info
    until: dt.date | None = None
    if step_name == "reject" and not (reason and reason.strip()):
        raise ValidationError({"reason": ["a rejection needs a reason"]})
    if step_name == "recommend" and info.county_quota_param:
        quota = int(_param(session, jurisdictions, info.county_quota_param, today))
        if quota > 0 and registry.county_entry(session, studio.county) is None:
            # the quota is per entry of the county list: a studio must name one to be counted
            raise ValidationError({"step": ["the studio's county is not in the county list; correct the studio first"]})
        if quota > 0:
            # counted under a lock per tenant, county and year: concurrent recommendations queue
            serialize(session, "county_quota", studio.tenant_id, studio.county or "", today.year)
            used = session.scalar(
                select(func.count())
                .select_from(m.StudioTransition)
                .join(m.Studio, m.Studio.id == m.StudioTransition.studio_id)
                .where(
                    m.StudioTransition.to_status == "recommended",
                    m.Studio.county == studio.county,
                    extract("year", m.StudioTransition.at) == today.year,
                )
            )
            if used >= quota:
                message = Text(
                    "%(county)s has used its quota of %(quota)s recommendations for %(year)s",
                    {"county": studio.county or "—", "quota": quota, "year": today.year},
                )
                raise ValidationError({"step": [message]})
    if step_name == "notice":
        outcome = eligibility(session, jurisdictions, studio, today)
        if outcome.evaluation.grade != Grade.PASS:
            raise ValidationError(
                {"step": ["the qualification check must pass (no criterion unmet or pending) before the notice"]}
            )
        until = today + dt.timedelta(days=int(_param(session, jurisdictions, info.notice_days_param, today)) - 1)
    if step_name == "approve":
        last_day = notice_until(session, studio)
        if last_day is not None and today <= last_day:
            message = Text("the public notice runs until %(date)s", {"date": last_day.isoformat()})
            raise ValidationError({"step": [message]})
    approved: Outcome | None = None
    if step_name == "approve":
        # the eligibility as it stands on the day of 挂牌 is kept with the studio, never recomputed
        approved = eligibility(session, jurisdictions, studio, today)
    before = {"status": studio.status}
    studio.status = step.target
    if step_name == "approve":
        studio.cycle_start = today  # 挂牌: the cycle starts
    transition = m.StudioTransition(
        studio_id=studio.id,
        from_status=before["status"],
        to_status=step.target,
        notice_until=until,
        reason=reason,
        user_id=actor.user_id,
        user_name=actor.name,
    )
    session.add(transition)
    session.flush()
    audit.record(
        session,
        actor,
        f"application_{step_name}",
        "studio",
        studio.id,
        before,
        {"status": step.target, "reason": reason, "notice_until": until.isoformat() if until else None},
    )
    if approved is not None:
        _keep_eligibility(session, actor, studio, approved)
    return transition


def _keep_eligibility(session: Session, actor: Actor, studio: m.Studio, outcome: Outcome) -> m.AssessmentRecord:
    """Store the application check as it stood at 挂牌, in the tenant's language and in English."""
    result = outcome.to_json(tenant_of(session).locale)
    result["en"] = outcome.to_json("en")
    record = m.AssessmentRecord(
        studio_id=studio.id,
        kind="application",
        period="application",
        grade=str(outcome.evaluation.grade),
        result=result,
        computed_by_id=actor.user_id,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "keep_application_check",
        "assessment_record",
        record.id,
        None,
        {"studio": studio.name, "grade": record.grade, "date": outcome.period.end.isoformat()},
    )
    return record


def approved_eligibility(session: Session, studio: m.Studio) -> m.AssessmentRecord | None:
    """The application check stored when the studio was approved (None: approved without one kept)."""
    return session.scalars(
        select(m.AssessmentRecord)
        .where(
            m.AssessmentRecord.studio_id == studio.id,
            m.AssessmentRecord.kind == "application",
            m.AssessmentRecord.withdrawn_at.is_(None),
        )
        .order_by(m.AssessmentRecord.id.desc())
        .limit(1)
    ).first()


def was_applied_for(session: Session, studio: m.Studio) -> bool:
    """The studio went through the workflow (it has an application to show)."""
    if studio.status in (*APPLICATION_STATUSES, "rejected", "withdrawn"):
        return True
    return (
        session.scalar(select(m.StudioTransition.id).where(m.StudioTransition.studio_id == studio.id).limit(1))
        is not None
    )


#: applications per page of the list
APPLICATION_PAGE = 50


def _applications(stmt: Any, only: set[int] | None, state: str | None = None) -> Any:
    """The applications: those in the workflow, rejected ones, and approved ones (a studio that reached
    挂牌 through the workflow stays listed); ``state`` filters (one of :data:`APPLICATION_STATES`)."""
    approved = select(m.StudioTransition.studio_id).where(
        m.StudioTransition.to_status == "active", m.StudioTransition.from_status == "notice"
    )
    if state == "approved":
        where = m.Studio.id.in_(approved)
    elif state in APPLICATION_STATES:
        where = m.Studio.status == state
    else:
        where = m.Studio.status.in_((*APPLICATION_STATUSES, "rejected", "withdrawn")) | m.Studio.id.in_(approved)
    stmt = stmt.where(where)
    return stmt.where(m.Studio.id.in_(only)) if only is not None else stmt


def applications(
    session: Session,
    only: set[int] | None = None,
    state: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[m.Studio]:
    """A page of the applications, newest first (every one when ``limit`` is None)."""
    stmt = _applications(select(m.Studio), only, state).order_by(m.Studio.id.desc()).offset(offset)
    return list(session.scalars(stmt.limit(limit) if limit is not None else stmt))


def count_applications(session: Session, only: set[int] | None = None, state: str | None = None) -> int:
    return session.scalar(_applications(select(func.count()).select_from(m.Studio), only, state)) or 0


# ---------------------------------------------------------------------------------------------
# what awaits whom


#: applications the dashboard's list of steps looks at (the oldest first); more are counted, not checked
AWAITING_APPLICATIONS = 10


@dataclass(frozen=True)
class Awaiting:
    """A workflow step awaiting the actor: a step of an application (``submit``, ``recommend``,
    ``review``, ``notice``, ``approve``), the judgements (``attest``) an application under review
    waits for, how many more applications are in the workflow than were looked at (``more``), or an
    assessment period whose results await the administrator's confirmation
    (``confirm``)."""

    step: str
    studio: m.Studio | None = None
    #: attest: the criteria awaiting a judgement
    rules: tuple[str, ...] = ()
    #: confirm: the assessment and how many studios await it
    kind: str | None = None
    year: int | None = None
    count: int = 0
    #: doc_*: the document (a :class:`~mingshi.core.services.submissions.DocumentRow` for the host's
    #: steps, a submission for the administrator's review)
    document: Any = None


def awaiting(session: Session, actor: Actor, jurisdictions: Jurisdictions, *, today: dt.date) -> list[Awaiting]:
    """Every workflow step that awaits ``actor`` now, in the order of the workflow (reads only)."""
    return awaiting_many(session, [actor], jurisdictions, today=today)[0]


def awaiting_many(
    session: Session, actors: Sequence[Actor], jurisdictions: Jurisdictions, *, today: dt.date
) -> list[list[Awaiting]]:
    """:func:`awaiting` for each of ``actors`` (in their order), asked together: the applications of
    hosts and members are read in one statement, every check is evaluated in one batch and the
    documents of every hosted studio are computed once, so that the reminder pass costs the same
    statements for any number of hosts (an administrator or reviewer still looks at the tenant's
    oldest applications, a bounded number)."""
    jurisdiction = jurisdiction_of(session, jurisdictions)
    from mingshi.core import cache
    from mingshi.core.services.evaluation import evaluate_many

    # the oldest applications first, a bounded number of them (each needs its check): the rest are
    # counted and reached through the applications list, so the dashboard does not grow with the tenant
    waiting = select(m.Studio).where(m.Studio.status.in_(APPLICATION_STATUSES))
    personal = [not (actor.is_admin or actor.is_reviewer) for actor in actors]
    own_ids = sorted(set().union(*(a.hosted | a.joined for a, mine in zip(actors, personal, strict=True) if mine)))
    own = list(session.scalars(waiting.where(m.Studio.id.in_(own_ids)).order_by(m.Studio.id))) if own_ids else []
    everyone: tuple[list[m.Studio], int] | None = None
    looked_at: list[tuple[list[m.Studio], int]] = []
    for actor, mine in zip(actors, personal, strict=True):
        if mine:
            studios = [s for s in own if s.id in actor.hosted or s.id in actor.joined]
            total = len(studios)
        else:
            if everyone is None:
                first = list(session.scalars(waiting.order_by(m.Studio.id).limit(AWAITING_APPLICATIONS + 1)))
                counted = len(first)
                if counted > AWAITING_APPLICATIONS:
                    counted = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
                everyone = (first, counted)
            studios, total = everyone
        looked_at.append((studios[:AWAITING_APPLICATIONS], total))

    def judging(actor: Actor, studio: m.Studio) -> bool:
        return studio.status in ("recommended", "reviewing") and (actor.is_reviewer or actor.is_admin)

    visible = [
        [s for s in studios if actor.can_view_studio(s.id)]
        for actor, (studios, _) in zip(actors, looked_at, strict=True)
    ]
    steps_of = [
        {s.id: [name for name in allowed_steps(actor, s) if name != "reject"] for s in seen}
        for actor, seen in zip(actors, visible, strict=True)
    ]
    # the checks of every application that needs one, evaluated together (a constant number of
    # statements); each check as (grade, ((criterion, status) …)), kept under the studio's fact
    # revisions (core/cache.py); the rest evaluated together — run even for none, so that the page
    # costs the same statements whatever the applications
    by_id = {s.id: s for seen in visible for s in seen}
    checked = sorted(
        {
            s.id
            for actor, seen, steps in zip(actors, visible, steps_of, strict=True)
            for s in seen
            if judging(actor, s) or "notice" in steps[s.id]
        }
    )
    keys = {sid: cache.key_of(session, by_id[sid], "application_check", today) for sid in checked}

    def check(missing: list[int]) -> dict[int, Any]:
        query = select(m.Studio).where(m.Studio.id.in_(missing))
        return {
            outcome.studio.id: (
                outcome.evaluation.grade,
                tuple((c.id, str(c.status)) for c in outcome.evaluation.criteria),
            )
            for outcome in evaluate_many(session, jurisdictions, query, EvaluationSpec("application", date=today))
        }

    checks = cache.kept_many(keys, check)
    approving = sorted({sid for steps in steps_of for sid, names in steps.items() if "approve" in names})
    notice_ends = dict(
        session.execute(
            select(m.StudioTransition.studio_id, func.max(m.StudioTransition.notice_until))
            .where(m.StudioTransition.studio_id.in_(approving), m.StudioTransition.to_status == "notice")
            .group_by(m.StudioTransition.studio_id)
        ).all()
    )
    confirmations = assessments_awaiting(session, jurisdiction, today=today) if any(a.is_admin for a in actors) else []
    from mingshi.core.services import judgements
    from mingshi.core.services import submissions as sv

    year = judgements.current_year(session, jurisdiction, today)
    documents = sv.awaiting_many(session, actors, jurisdiction, year=year, today=today)
    order = {name: i for i, name in enumerate(("submit", "recommend", "review", "attest", "notice", "approve", "more"))}
    answers: list[list[Awaiting]] = []
    for i, actor in enumerate(actors):
        found: list[Awaiting] = []
        total = looked_at[i][1]
        if total > AWAITING_APPLICATIONS:
            found.append(Awaiting("more", count=total - AWAITING_APPLICATIONS))
        for studio in visible[i]:
            steps = list(steps_of[i][studio.id])
            check = checks.get(studio.id)
            if check is not None:
                grade, statuses = check
                pending = tuple(
                    rule for rule, status in statuses if status == "pending" and jurisdiction.rules[rule].attestation
                )
                if pending and judging(actor, studio):
                    found.append(Awaiting("attest", studio, rules=pending))
                if grade != Grade.PASS and "notice" in steps:
                    steps.remove("notice")  # the notice waits for the check (the judgements above) to pass
            if "approve" in steps:
                last_day = notice_ends.get(studio.id)
                if last_day is not None and today <= last_day:
                    steps.remove("approve")  # the public notice still runs
            found.extend(Awaiting(name, studio) for name in steps)
        if actor.is_admin:
            found.extend(confirmations)
        steps_ = sorted(found, key=lambda a: order.get(a.step, len(order)))
        answers.append(
            steps_
            + [
                Awaiting(step.step, step.studio, count=step.count, document=step.row or step.submission)
                for step in documents[i]
            ]
        )
    return answers


def assessments_awaiting(session: Session, jurisdiction: Any, *, today: dt.date) -> list[Awaiting]:
    """Assessment periods that have ended with studios assessed for them but no result stored: the
    administrator's proposal to look at and confirm (the latest ended year; each ended cycle).

    It asks the jurisdiction about every running studio of the tenant, so the answer is kept
    (``core/cache.py``) until a studio's record, the tenant's parameters or the day change: a
    dashboard seen again costs one aggregate, not a pass over the tenant."""
    from mingshi.core import cache

    return list(
        cache.kept_tenant(
            session,
            ("assessments awaiting", jurisdiction.info.code, today),
            lambda: tuple(_assessments_awaiting(session, jurisdiction, today=today)),
        )
    )


def _assessments_awaiting(session: Session, jurisdiction: Any, *, today: dt.date) -> list[Awaiting]:
    from mingshi.core.services.evaluation import _annual_scope
    from mingshi.core.services.facts import studio_fact

    params = jurisdiction.paramset(tenant_parameter_values(session))
    running = [
        (studio.id, studio_fact(studio))
        for studio in session.scalars(
            select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)
        )
    ]
    found: list[Awaiting] = []
    if not running:
        return found
    evaluations = jurisdiction.info.evaluations
    R = m.AssessmentRecord

    def stored(kind: str, period: str) -> set[int]:
        return set(
            session.scalars(select(R.studio_id).where(R.kind == kind, R.period == period, R.withdrawn_at.is_(None)))
        )

    if "annual" in evaluations:
        for year in (today.year, today.year - 1, today.year - 2):
            fact = running[0][1]
            if jurisdiction.assessment_period(studio=fact, kind="annual", year=year, params=params).end < today:
                break
        done = stored("annual", str(year))
        waiting = 0
        for studio_id, fact in running:
            if studio_id in done:
                continue
            period = jurisdiction.assessment_period(studio=fact, kind="annual", year=year, params=params)
            if period.end >= today:
                continue
            _period, scope = _annual_scope(jurisdiction, fact, period, params)
            if scope.not_assessed is None:
                waiting += 1
        if waiting:
            found.append(Awaiting("confirm", kind="annual", year=year, count=waiting))
    if "cycle" in evaluations:
        done = stored("cycle", "cycle")
        waiting = 0
        for studio_id, fact in running:
            if studio_id in done:
                continue
            whole = jurisdiction.assessment_period(studio=fact, kind="cycle", year=None, params=params)
            if whole.end < today:
                waiting += 1
        if waiting:
            found.append(Awaiting("confirm", kind="cycle", count=waiting))
    return found
