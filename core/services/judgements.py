"""Per-person judgements (hook ``mingshi_terms``): what only a person can judge of each member — the
Shenyang host's annual assessment of a member's tasks (第十一条), a reviewer's finding on a
Lianyungang member's team spirit (第十二条(三)3) — recorded by whom the policy names, for a period.

A judgement is stored as an :class:`~mingshi.core.models.Attestation` (value, note, who, when; the
latest wins, the older ones stay as history) through :func:`assessments.record_attestation`, which
checks who may record it and writes the audit entry. The rule reads it through
``facts.attestation(rule, person=…, period=…)`` and stays ``pending`` until it is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.plugins import Jurisdiction
from mingshi.core.rules.jurisdiction import Judgement
from mingshi.core.services.access import Actor
from mingshi.core.services.facts import tenant_parameter_values

#: the roles of the studio a per-person judgement is about (the host judges the members)
JUDGED_ROLES = ("member", "trainee")


def may_record(actor: Actor, studio: m.Studio, judgement: Judgement) -> bool:
    """Whether ``actor`` is one of those the policy names to record ``judgement`` for ``studio``."""
    return (
        ("host" in judgement.by and studio.id in actor.hosted)
        or ("reviewer" in judgement.by and actor.is_reviewer)
        or ("admin" in judgement.by and actor.is_admin)
    )


def period_key(session: Session, jurisdiction: Jurisdiction, judgement: Judgement, year: int | None) -> str:
    """The key of the period a judgement is recorded for: the annual period of ``year`` as the
    jurisdiction defines it, ``application`` or ``cycle``."""
    if judgement.period != "annual":
        return judgement.period
    if year is None:
        raise ValueError("an annual judgement needs a year")
    params = jurisdiction.paramset(tenant_parameter_values(session))
    return jurisdiction.annual_period(year=year, params=params).key


def current_year(session: Session, jurisdiction: Jurisdiction, on: dt.date) -> int:
    """The year whose annual period (as the jurisdiction defines it) contains ``on``."""
    params = jurisdiction.paramset(tenant_parameter_values(session))
    for year in (on.year, on.year + 1, on.year - 1):
        if on in jurisdiction.annual_period(year=year, params=params):
            return year
    return on.year


@dataclass(frozen=True)
class JudgementRow:
    """One member and what was recorded of them (the latest record), or ``None``: pending."""

    membership: m.Membership
    recorded: m.Attestation | None


@dataclass(frozen=True)
class JudgementTable:
    judgement: Judgement
    period: str
    year: int | None
    rows: tuple[JudgementRow, ...]
    can_record: bool


def tables(
    session: Session, jurisdiction: Jurisdiction, actor: Actor, studio: m.Studio, *, year: int, on: dt.date
) -> list[JudgementTable]:
    """Each per-person judgement the jurisdiction asks for, with each member in the studio on ``on``
    and what was recorded of them for the period (``year``'s for an annual judgement)."""
    declared = jurisdiction.terms.judgements
    if not declared:
        return []
    members = [
        ms
        for ms in session.scalars(
            select(m.Membership).where(m.Membership.studio_id == studio.id).order_by(m.Membership.id)
        )
        if ms.role in JUDGED_ROLES and (ms.left is None or ms.left > on)
    ]
    if not (actor.is_admin or actor.is_reviewer or studio.id in actor.hosted):
        # a member sees what was recorded of themself, not of their colleagues
        members = [ms for ms in members if ms.person_id == actor.person_id]
    out = []
    for judgement in declared:
        key = period_key(session, jurisdiction, judgement, year)
        latest = latest_of(session, studio, judgement.rule, key, [ms.person_id for ms in members])
        rows = tuple(JudgementRow(ms, latest.get(ms.person_id)) for ms in members)
        out.append(
            JudgementTable(
                judgement,
                key,
                year if judgement.period == "annual" else None,
                rows,
                may_record(actor, studio, judgement),
            )
        )
    return out


def latest_of(
    session: Session, studio: m.Studio, rule_id: str, period: str, person_ids: Sequence[int]
) -> dict[int, m.Attestation]:
    """The latest judgement on ``rule_id`` for ``period`` of each person (the older ones are history)."""
    if not person_ids:
        return {}
    found: dict[int, m.Attestation] = {}
    for record in session.scalars(
        select(m.Attestation)
        .where(
            m.Attestation.studio_id == studio.id,
            m.Attestation.rule_id == rule_id,
            m.Attestation.period == period,
            m.Attestation.person_id.in_(list(person_ids)),
        )
        .order_by(m.Attestation.recorded_at, m.Attestation.id)
    ):
        assert record.person_id is not None
        found[record.person_id] = record
    return found


def of_person(session: Session, jurisdiction: Jurisdiction, person: m.Person) -> list[m.Attestation]:
    """Every per-person judgement recorded of ``person`` (newest first), history included."""
    rules = {j.rule for j in jurisdiction.terms.judgements}
    if not rules:
        return []
    records = session.scalars(
        select(m.Attestation)
        .where(m.Attestation.person_id == person.id, m.Attestation.rule_id.in_(rules))
        .order_by(m.Attestation.recorded_at.desc(), m.Attestation.id.desc())
    )
    return list(records)
