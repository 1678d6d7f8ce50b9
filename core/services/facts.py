"""Build :class:`mingshi.core.rules.facts.StudioFacts` from the database, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mingshi.core import models as m
from mingshi.core.rules.facts import (
    ActivityFact,
    AttestationFact,
    AwardFact,
    ExpenseFact,
    FindingFact,
    MembershipFact,
    OutputFact,
    PairingFact,
    PersonFact,
    SchoolFact,
    StudioFact,
    StudioFacts,
)
from mingshi.core.rules.params import DatedValue, ParamSet


def person_key(person: m.Person) -> str:
    return person.ref or str(person.id)


def school_fact(school: m.School | None) -> SchoolFact | None:
    if school is None:
        return None
    return SchoolFact(
        key=school.ref or str(school.id),
        name=school.name,
        county=school.county,
        rural=school.rural,
        stage=school.stage,
    )


def person_fact(person: m.Person) -> PersonFact:
    return PersonFact(
        key=person_key(person),
        name=person.name,
        sex=person.sex,
        born=person.born,
        school=school_fact(person.school),
        position=person.position,
        title=person.title,
        backbone_level=person.backbone_level,
        backbone_history=tuple((b.level, b.date) for b in person.backbone_history),
        honors=frozenset(h.honor for h in person.honors),
        retirement_date=person.retirement_date,
        events=tuple((e.type, e.date) for e in person.events),
    )


def studio_fact(studio: m.Studio, matching: Iterable[tuple[int, int]] = ()) -> StudioFact:
    return StudioFact(
        key=studio.ref or str(studio.id),
        name=studio.name,
        kind=studio.kind,
        county=studio.county,
        status=studio.status,
        cycle_start=studio.cycle_start,
        site_area_m2=studio.site_area_m2,
        site_height_m=studio.site_height_m,
        site_capacity=studio.site_capacity,
        school=school_fact(studio.school),
        matching_funds=tuple(matching),
    )


def tenant_parameter_values(session: Session) -> dict[str, list[DatedValue]]:
    """The tenant's dated parameter values, by parameter id."""
    values: dict[str, list[DatedValue]] = defaultdict(list)
    rows = session.scalars(select(m.ParameterValue).order_by(m.ParameterValue.valid_from, m.ParameterValue.id))
    for row in rows:
        values[row.param_id].append(DatedValue(row.valid_from, row.value, row.basis))
    return dict(values)


def matching_funds(session: Session, studio_id: int) -> list[tuple[int, int]]:
    rows = session.execute(
        select(m.FundAllocation.year, m.FundAllocation.amount_fen).where(
            m.FundAllocation.studio_id == studio_id, m.FundAllocation.source == "school_matching"
        )
    )
    return [(year, fen) for year, fen in rows]


def load_studio_facts(
    session: Session,
    studio: m.Studio,
    *,
    jurisdiction: str,
    as_of: dt.date,
    params: ParamSet,
    attestation_period: str | None = None,
) -> StudioFacts:
    """Read one studio's facts. About fifteen queries whatever the studio's size."""
    sid = studio.id
    memberships = list(
        session.scalars(
            select(m.Membership)
            .where(m.Membership.studio_id == sid)
            .options(selectinload(m.Membership.person))
            .order_by(m.Membership.joined, m.Membership.id)
        )
    )
    activities = list(
        session.scalars(
            select(m.Activity)
            .where(m.Activity.studio_id == sid)
            .options(selectinload(m.Activity.leaders), selectinload(m.Activity.attendance))
            .order_by(m.Activity.date, m.Activity.id)
        )
    )
    outputs = list(
        session.scalars(select(m.Output).where(m.Output.studio_id == sid).order_by(m.Output.date, m.Output.id))
    )
    awards = list(
        session.scalars(select(m.StudentAward).where(m.StudentAward.studio_id == sid).order_by(m.StudentAward.date))
    )
    pairings = list(session.scalars(select(m.Pairing).where(m.Pairing.studio_id == sid)))
    findings = list(session.scalars(select(m.Finding).where(m.Finding.studio_id == sid).order_by(m.Finding.date)))
    expenses = list(session.scalars(select(m.Expense).where(m.Expense.studio_id == sid).order_by(m.Expense.date)))
    original_dates = {e.id: e.date for e in expenses}
    attestations = list(
        session.scalars(
            select(m.Attestation)
            .where(m.Attestation.studio_id == sid)
            .order_by(m.Attestation.recorded_at, m.Attestation.id)
        )
    )

    # every person the facts name, in one more query
    people: dict[int, m.Person] = {ms.person_id: ms.person for ms in memberships}
    wanted: set[int] = set()
    for a in activities:
        wanted.update(x.person_id for x in a.leaders)
        wanted.update(x.person_id for x in a.attendance)
    for o in outputs:
        wanted.update(x.person_id for x in o.people)
    wanted.update(a.first_instructor_id for a in awards)
    wanted.update(p.person_id for p in pairings)
    wanted.update(a.person_id for a in attestations if a.person_id is not None)
    missing = wanted - people.keys()
    if missing:
        people.update({p.id: p for p in session.scalars(select(m.Person).where(m.Person.id.in_(missing)))})
    keys = {pid: person_key(p) for pid, p in people.items()}
    person_facts = {keys[pid]: person_fact(p) for pid, p in people.items()}

    schools: dict[str, SchoolFact] = {}
    for p in person_facts.values():
        if p.school:
            schools[p.school.key] = p.school

    def _school(s: m.School | None) -> SchoolFact | None:
        fact = school_fact(s)
        if fact:
            schools.setdefault(fact.key, fact)
        return fact

    return StudioFacts(
        jurisdiction=jurisdiction,
        studio=studio_fact(studio, matching_funds(session, sid)),
        as_of=as_of,
        params=params,
        people=person_facts,
        memberships=tuple(
            MembershipFact(
                person=person_facts[keys[ms.person_id]],
                role=ms.role,
                joined=ms.joined,
                left=ms.left,
                category=ms.category,
                removal_reason=ms.removal_reason,
                removal_rule=ms.removal_rule,
            )
            for ms in memberships
        ),
        activities=tuple(
            ActivityFact(
                key=a.ref or str(a.id),
                date=a.date,
                type=a.type,
                mode=a.mode,
                scope=a.scope,
                school=_school(a.school),
                led_by=tuple(keys[x.person_id] for x in a.leaders),
                title=a.title,
                attendance=tuple((keys[x.person_id], x.status) for x in a.attendance),
                leave_approved=tuple(
                    (keys[x.person_id], x.leave_approved) for x in a.attendance if x.leave_approved is not None
                ),
                notice_published=a.notice_published,
                plan_approved=a.plan_approved,
                report_published=a.report_published,
            )
            for a in activities
        ),
        outputs=tuple(
            OutputFact(
                key=str(o.id),
                type=o.type,
                date=o.date,
                people=tuple(keys[x.person_id] for x in o.people),
                level=o.level,
                published=o.published,
                chars=o.chars,
                status=o.status,
                title=o.title,
                school=_school(o.school),
            )
            for o in outputs
        ),
        awards=tuple(AwardFact(a.competition, a.level, a.rank, keys[a.first_instructor_id], a.date) for a in awards),
        pairings=tuple(PairingFact(keys[p.person_id], p.rural_teacher, p.date) for p in pairings),
        findings=tuple(FindingFact(f.type, f.date) for f in findings),
        # a reversal counts on its original's date (the original's year), as in the ledger's reports
        expenses=tuple(
            ExpenseFact(original_dates.get(e.reverses_id, e.date), e.category, e.amount_fen) for e in expenses
        ),
        attestations=tuple(
            AttestationFact(
                rule_id=a.rule_id,
                value=a.value,
                person=keys[a.person_id] if a.person_id is not None else None,
                period=a.period,
                reviewer=a.reviewer_name,
                comment=a.comment,
            )
            for a in attestations
        ),
        schools=schools,
        attestation_period=attestation_period,
    )


def json_value(value: Any) -> Any:
    """A value as it appears in JSON output: dates ISO, decimals as strings, tuples as lists."""
    from decimal import Decimal

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return value
