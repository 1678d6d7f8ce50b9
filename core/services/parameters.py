"""The tenant's parameters (⚙): values in force with their article, their history, a new dated value,
and a preview of which studios a new value would change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mingshi.core import jobs
from mingshi.core import models as m
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.rules.params import DatedValue, ParameterDef, ParameterError
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.services.evaluation import EvaluationError, EvaluationSpec, evaluate
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.services.workspace import jurisdiction_of


@dataclass(frozen=True)
class ParameterRow:
    definition: ParameterDef
    value_text: str
    source: str
    history: list[DatedValue]
    #: who entered each tenant value, by valid_from
    entries: list[m.ParameterValue]


def parameter_table(session: Session, jurisdiction: Jurisdiction, on: dt.date) -> list[ParameterRow]:
    values = tenant_parameter_values(session)
    params = jurisdiction.paramset(values)
    entries: dict[str, list[m.ParameterValue]] = {}
    for row in session.scalars(select(m.ParameterValue).order_by(m.ParameterValue.valid_from, m.ParameterValue.id)):
        entries.setdefault(row.param_id, []).append(row)
    rows = []
    for definition in jurisdiction.parameters:
        value = params.value(definition.id, on)
        rows.append(
            ParameterRow(
                definition,
                definition.to_text(value),
                params.source(definition.id, on),
                params.history(definition.id),
                entries.get(definition.id, []),
            )
        )
    return rows


def add_value(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    data: Mapping[str, Any],
) -> m.ParameterValue:
    """A new value of a parameter from a date, with the reason; the old values stay as history."""
    actor.require_admin()
    jurisdiction = jurisdiction_of(session, jurisdictions)
    definitions = {d.id: d for d in jurisdiction.parameters}
    definition = definitions.get(data["param_id"])
    if definition is None:
        raise ValidationError({"param_id": ["not a valid choice"]})
    try:
        parsed = definition.parse(data["value"])
    except ParameterError as exc:
        raise ValidationError({"value": [exc.text or str(exc).removeprefix(f"{definition.id}: ")]}) from None
    row = m.ParameterValue(
        param_id=definition.id,
        value=definition.to_text(parsed),
        valid_from=data["valid_from"],
        basis=definition.basis,
        reason=data["reason"],
        changed_by_id=actor.user_id,
        changed_by_name=actor.name,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "add_parameter_value", "parameter_value", row.id, None, audit.snapshot(row))
    return row


IMPOSSIBLE = "with this value the assessment periods cannot be formed: check it against the other dates"


@dataclass(frozen=True)
class PreviewRow:
    studio: m.Studio
    grade_before: str
    grade_after: str
    funding_before: int | None
    funding_after: int | None

    @property
    def changed(self) -> bool:
        return (self.grade_before, self.funding_before) != (self.grade_after, self.funding_after)


def preview(
    session: Session,
    jurisdictions: Jurisdictions,
    *,
    param_id: str,
    raw: str,
    kind: str,
    year: int | None,
    limit: int = 100,
) -> list[PreviewRow]:
    """Evaluate each active studio with the value in force and with ``raw`` instead; nothing is written.

    A what-if over at most ``limit`` studios (each evaluation reads one studio's facts).
    """
    jurisdiction = jurisdiction_of(session, jurisdictions)
    definition = next((d for d in jurisdiction.parameters if d.id == param_id), None)
    if definition is None:
        raise ValidationError({"param_id": ["not a valid choice"]})
    try:
        definition.parse(raw)
    except ParameterError as exc:
        raise ValidationError({"value": [exc.text or str(exc).removeprefix(f"{definition.id}: ")]}) from None
    spec = EvaluationSpec(kind, year=year if kind == "annual" else None)
    rows: list[PreviewRow] = []
    studios = session.scalars(
        select(m.Studio)
        .where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None))
        .order_by(m.Studio.name)
        .limit(limit)
    )
    for studio in studios:
        try:
            before = evaluate(session, jurisdictions, studio, spec, apply_removals=False)
        except EvaluationError as exc:
            raise ValidationError({"kind": [str(exc)]}) from None
        try:
            after = evaluate(session, jurisdictions, studio, spec, overrides={param_id: raw}, apply_removals=False)
        except ValueError as exc:
            # the value in force evaluated above: what fails now is the proposed value (e.g. a
            # semester that would end before it starts); the refusal names the field and why
            session.rollback()
            raise ValidationError({"value": [IMPOSSIBLE]}) from exc
        rows.append(
            PreviewRow(
                studio,
                str(before.evaluation.grade),
                str(after.evaluation.grade),
                before.funding.amount_fen if before.funding else None,
                after.funding.amount_fen if after.funding else None,
            )
        )
    session.rollback()  # the evaluations only read; nothing of a what-if may stay
    return rows


# ---------------------------------------------------------------------------------------------
# the impact preview over every studio, as a background job


def check_proposal(jurisdiction: Jurisdiction, param_id: str, raw: str) -> ParameterDef:
    definition = next((d for d in jurisdiction.parameters if d.id == param_id), None)
    if definition is None:
        raise ValidationError({"param_id": ["not a valid choice"]})
    try:
        definition.parse(raw)
    except ParameterError as exc:
        raise ValidationError({"value": [str(exc).removeprefix(f"{definition.id}: ")]}) from None
    return definition


def _removed(outcome: Any) -> list[str]:
    return sorted(r.person for r in outcome.evaluation.removals)


def impact(
    session: Session,
    jurisdictions: Jurisdictions,
    *,
    param_id: str,
    raw: str,
    kind: str,
    year: int | None,
    progress: Any = None,
    every: int = 100,
) -> dict[str, Any]:
    """Every active studio of the tenant evaluated with the value in force and with ``raw``: who flips
    (grade, removals, funding), with totals. No cap; one streamed batch evaluation whose facts,
    read once, are evaluated once per value (:func:`evaluate_variants`)."""
    from mingshi.core.services.evaluation import evaluate_variants

    jurisdiction = jurisdiction_of(session, jurisdictions)
    check_proposal(jurisdiction, param_id, raw)
    spec = EvaluationSpec(kind, year=year if kind == "annual" else None)
    studios = select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None))
    total = session.scalar(select(func.count()).select_from(studios.subquery()))
    if progress:
        progress(0, total)
    try:
        pairs = evaluate_variants(session, jurisdictions, studios, spec, (None, {param_id: raw}))
        rows: list[dict[str, Any]] = []
        totals = {
            "studios": 0,
            "grade_changed": 0,
            "removals_changed": 0,
            "funding_changed": 0,
            "funding_before_fen": 0,
            "funding_after_fen": 0,
        }
        for n, (b, a) in enumerate(pairs, start=1):
            fb = b.funding.amount_fen if b.funding else None
            fa = a.funding.amount_fen if a.funding else None
            gb, ga = str(b.evaluation.grade), str(a.evaluation.grade)
            rb, ra = _removed(b), _removed(a)
            totals["studios"] += 1
            totals["funding_before_fen"] += fb or 0
            totals["funding_after_fen"] += fa or 0
            changed = {"grade": gb != ga, "removals": rb != ra, "funding": fb != fa}
            for what, flag in changed.items():
                if flag:
                    totals[f"{what}_changed"] += 1
            if any(changed.values()):
                rows.append(
                    {
                        "studio_id": b.studio.id,
                        "studio": b.studio.name,
                        "grade_before": gb,
                        "grade_after": ga,
                        "removals_before": rb,
                        "removals_after": ra,
                        "funding_before_fen": fb,
                        "funding_after_fen": fa,
                    }
                )
            if progress and n % every == 0:
                progress(n, total)
    except EvaluationError as exc:
        raise ValidationError({"kind": [str(exc)]}) from None
    if progress:
        progress(totals["studios"], total)
    return {
        "param_id": param_id,
        "value": raw,
        "kind": kind,
        "year": year,
        "rows": rows,
        "totals": totals,
    }


def _impact_job(ctx: Any) -> dict[str, Any]:
    p = ctx.job.params
    return impact(
        ctx.session,
        ctx.jurisdictions,
        param_id=p["param_id"],
        raw=p["value"],
        kind=p["kind"],
        year=p.get("year"),
        progress=ctx.progress,
    )


PREVIEW_JOB = jobs.register(
    jobs.JobKind(
        code="parameter_preview",
        label=("参数调整影响预览（全部工作室）", "Parameter impact preview (every studio)"),
        run=_impact_job,
        allowed=lambda actor: actor.is_admin,
    )
)
