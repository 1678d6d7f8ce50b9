"""The tenant's parameters (⚙): values in force with their article, their history, a new dated value,
and a preview of which studios a new value would change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import models as m
from core.plugins import Jurisdiction, Jurisdictions
from core.rules.params import DatedValue, ParameterDef, ParameterError
from core.services import audit
from core.services.access import Actor
from core.services.evaluation import EvaluationError, EvaluationSpec, evaluate
from core.services.facts import tenant_parameter_values
from core.services.workspace import jurisdiction_of


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
            after = evaluate(session, jurisdictions, studio, spec, overrides={param_id: raw}, apply_removals=False)
        except EvaluationError as exc:
            raise ValidationError({"kind": [str(exc)]}) from None
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
