"""Applications (申报 → 挂牌): the workflow every city runs, as its policy describes it.

draft → submitted (by the applicant) → recommended (by the county, within its quota where the city
sets one) → reviewing (the city's qualification check and expert review, with attestations) →
notice (公示, for the jurisdiction's number of days) → active (挂牌: the cycle starts) — or rejected,
with a reason, at any step after the draft. Each step is allowed to named roles only and is kept
with who, when and why (:class:`~mingshi.core.models.StudioTransition`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.db import serialize
from mingshi.core.i18n import Text
from mingshi.core.plugins import Jurisdictions
from mingshi.core.rules.results import Grade
from mingshi.core.services import audit, registry
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.services.evaluation import EvaluationSpec, Outcome, evaluate
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.services.workspace import jurisdiction_of
from mingshi.core.tenancy import ReferenceNotFound

APPLICATION_STATUSES = ("draft", "submitted", "recommended", "reviewing", "notice")


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
    errors: dict[str, list[str]] = {}
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


def update_draft(session: Session, actor: Actor, studio: m.Studio, data: Mapping[str, Any]) -> m.Studio:
    """Change a draft's record and site (the applicant or the administrator, while it is a draft)."""
    if studio.status != "draft":
        raise ValidationError({"_schema": ["only a draft can be changed"]})
    if not (actor.is_admin or studio.id in actor.hosted):
        raise Forbidden("only the applicant or the city administrator changes a draft")
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
    return transition


def applications(session: Session, only: set[int] | None = None) -> list[m.Studio]:
    stmt = (
        select(m.Studio)
        .where(m.Studio.status.in_((*APPLICATION_STATUSES, "rejected", "withdrawn")))
        .order_by(m.Studio.id.desc())
    )
    if only is not None:
        stmt = stmt.where(m.Studio.id.in_(only))
    return list(session.scalars(stmt))
