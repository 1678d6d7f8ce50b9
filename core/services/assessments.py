"""Assessments: run, attest, store, compare with the last stored result, apply the consequences.

Running an assessment computes the tenant's plugin's result for one studio (or all); storing keeps
it as an :class:`~core.models.AssessmentRecord` (the result as computed, in the tenant's language and
in English) and applies the consequences that change records: member removals (always, once),
disqualification (the studio's status) and the recovery of the unused balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import models as m
from core.plugins import Jurisdictions
from core.services import audit, funds
from core.services.access import Actor
from core.services.evaluation import EvaluationSpec, Outcome, evaluate
from core.services.workspace import jurisdiction_of, tenant_of


def spec_for(kind: str, year: int | None = None, on: dt.date | None = None) -> EvaluationSpec:
    if kind == "annual":
        return EvaluationSpec("annual", year=year)
    if kind == "application":
        return EvaluationSpec("application", date=on)
    return EvaluationSpec("cycle")


#: the statuses in which the workflow assesses a studio, by kind of assessment (a draft is not
#: assessed: an application is refused with a reason, through the workflow's reject step)
ASSESSABLE = {
    "annual": ("active", "completed"),
    "cycle": ("active", "completed"),
    "application": ("submitted", "recommended", "reviewing"),
}


def require_assessable(studio: m.Studio, spec: EvaluationSpec) -> None:
    """Refuse to assess (and so to apply consequences to) a studio the workflow does not assess now."""
    if studio.status not in ASSESSABLE.get(spec.kind, ()):
        raise ValidationError(
            {
                "_schema": [
                    "an assessment is recorded only for an active or completed studio, or an application under review"
                ]
            }
        )


def run(
    session: Session,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    spec: EvaluationSpec,
    *,
    apply_removals: bool = True,
) -> Outcome:
    """Compute; with ``apply_removals`` the member removals it decides are written (and never undone)."""
    return evaluate(session, jurisdictions, studio, spec, apply_removals=apply_removals)


def latest_record(session: Session, studio: m.Studio, spec: EvaluationSpec) -> m.AssessmentRecord | None:
    return session.scalars(
        select(m.AssessmentRecord)
        .where(
            m.AssessmentRecord.studio_id == studio.id,
            m.AssessmentRecord.kind == spec.kind,
            m.AssessmentRecord.period == spec.period_key,
        )
        .order_by(m.AssessmentRecord.computed_at.desc(), m.AssessmentRecord.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Change:
    what: str
    before: Any
    after: Any


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[Change]:
    """What differs between a stored result and a new one: grade, each criterion's status and value, funding."""
    if previous is None:
        return []
    found: list[Change] = []
    if previous["grade"]["code"] != current["grade"]["code"]:
        found.append(Change("grade", previous["grade"]["code"], current["grade"]["code"]))
    before = {c["id"]: c for c in previous.get("criteria", [])}
    for c in current.get("criteria", []):
        old = before.pop(c["id"], None)
        if old is None:
            found.append(Change(c["id"], None, c["status"]))
        elif (old["status"], old.get("value")) != (c["status"], c.get("value")):
            found.append(Change(c["id"], f"{old['status']} ({old.get('value')})", f"{c['status']} ({c.get('value')})"))
    for rule_id, old in before.items():
        found.append(Change(rule_id, old["status"], None))
    old_funding = (previous.get("funding") or {}).get("amount")
    new_funding = (current.get("funding") or {}).get("amount")
    if old_funding != new_funding:
        found.append(Change("funding", old_funding, new_funding))
    return found


def store(session: Session, actor: Actor, outcome: Outcome) -> m.AssessmentRecord:
    """Keep the result and apply its consequences (city administrator only)."""
    actor.require_admin()
    require_assessable(outcome.studio, outcome.spec)
    tenant = tenant_of(session)
    result = outcome.to_json(tenant.locale)
    result["en"] = outcome.to_json("en")
    record = m.AssessmentRecord(
        studio_id=outcome.studio.id,
        kind=outcome.spec.kind,
        period=outcome.spec.period_key,
        grade=str(outcome.evaluation.grade),
        result=result,
        computed_by_id=actor.user_id,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor,
        "store_assessment",
        "assessment_record",
        record.id,
        None,
        {"studio": outcome.studio.name, "period": record.period, "grade": record.grade},
    )
    types = {c.type for c in outcome.evaluation.consequences}
    studio = outcome.studio
    if "disqualified" in types and studio.status != "disqualified":
        before = {"status": studio.status}
        studio.status = "disqualified"
        session.flush()
        audit.record(session, actor, "disqualify", "studio", studio.id, before, {"status": "disqualified"})
    if "funds_recovered" in types:
        rule = next(c for c in outcome.evaluation.consequences if c.type == "funds_recovered")
        funds.recover_unused(session, actor, studio, year=outcome.period.end.year, basis=rule.basis)
    return record


def record_attestation(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    *,
    rule_id: str,
    value: bool,
    period: str | None,
    comment: str | None,
    person_id: int | None = None,
) -> m.Attestation:
    """A reviewer's (or the administrator's) judgement on a criterion, with a comment. Kept as history."""
    if not (actor.is_reviewer or actor.is_admin):
        from core.services.access import Forbidden

        raise Forbidden("only a reviewer or the city administrator records a judgement")
    jurisdiction = jurisdiction_of(session, jurisdictions)
    rule = jurisdiction.rules.get(rule_id)
    if rule is None or not rule.attestation:
        raise ValidationError({"rule_id": ["not a criterion a reviewer judges"]})
    if person_id is not None and session.get(m.Person, person_id) is None:
        raise ValidationError({"person_id": ["not a valid choice"]})
    attestation = m.Attestation(
        studio_id=studio.id,
        rule_id=rule_id,
        person_id=person_id,
        period=period,
        value=value,
        reviewer_id=actor.user_id,
        reviewer_name=actor.name,
        comment=comment,
    )
    session.add(attestation)
    session.flush()
    audit.record(session, actor, "attest", "attestation", attestation.id, None, audit.snapshot(attestation))
    return attestation


def attestations_of(session: Session, studio: m.Studio) -> list[m.Attestation]:
    return list(
        session.scalars(
            select(m.Attestation)
            .where(m.Attestation.studio_id == studio.id)
            .order_by(m.Attestation.recorded_at.desc(), m.Attestation.id.desc())
        )
    )


@dataclass(frozen=True)
class TableRow:
    studio: m.Studio
    record: m.AssessmentRecord | None


def table(session: Session, kind: str, period: str) -> list[TableRow]:
    """Every studio with its latest stored record for the period (two queries)."""
    latest = (
        select(m.AssessmentRecord.studio_id, func.max(m.AssessmentRecord.id).label("id"))
        .where(m.AssessmentRecord.kind == kind, m.AssessmentRecord.period == period)
        .group_by(m.AssessmentRecord.studio_id)
        .subquery()
    )
    records = {
        r.studio_id: r
        for r in session.scalars(select(m.AssessmentRecord).join(latest, m.AssessmentRecord.id == latest.c.id))
    }
    studios = session.scalars(
        select(m.Studio).where(m.Studio.status.in_(("active", "completed", "disqualified"))).order_by(m.Studio.name)
    )
    return [TableRow(s, records.get(s.id)) for s in studios]


def run_all(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, spec: EvaluationSpec
) -> list[m.AssessmentRecord]:
    """Assess and store every active studio of the tenant for the period."""
    actor.require_admin()
    jurisdiction = jurisdiction_of(session, jurisdictions)
    if spec.kind not in jurisdiction.info.evaluations:
        raise ValidationError({"kind": [f"{jurisdiction.code} has no {spec.kind} assessment"]})
    stored = []
    studios = session.scalars(
        select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)
    )
    for studio in list(studios):
        stored.append(store(session, actor, run(session, jurisdictions, studio, spec)))
    return stored
