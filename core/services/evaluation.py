"""Run a jurisdiction's rules on one studio: application check, annual or cycle assessment.

The one road from the database to a result, used by the web application and by
``mingshi evaluate``: load the facts → ask the tenant's plugin → apply the removals it decided
(once; a removed member is never reinstated by a re-run) → render the result in a language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.i18n import CORE as _
from mingshi.core.i18n import Text, normalize_locale
from mingshi.core.money import format_fen
from mingshi.core.periods import Period, day
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.rules.facts import StudioFacts
from mingshi.core.rules.jurisdiction import PolicyVersion
from mingshi.core.rules.results import (
    Consequence,
    Criterion,
    Evaluation,
    FirstYear,
    Funding,
    Grade,
    MemberResult,
    Removal,
)
from mingshi.core.services.facts import (
    FactsRequest,
    LoadedStudio,
    MembershipRow,
    facts_window,
    json_value,
    load_facts_variants,
    load_studio,
    person_key,
    studio_fact,
    tenant_parameter_values,
)

KINDS = ("annual", "cycle", "application")


class EvaluationError(ValueError):
    """The evaluation cannot run as asked (e.g. an annual assessment without a year)."""


@dataclass(frozen=True)
class EvaluationSpec:
    kind: str
    year: int | None = None
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise EvaluationError(f"unknown evaluation kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if self.kind == "annual" and self.year is None:
            raise EvaluationError("an annual evaluation needs a year")
        if self.kind == "application" and self.date is None:
            raise EvaluationError("an application check needs a date")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.year is not None:
            out["year"] = self.year
        if self.date is not None:
            out["date"] = self.date.isoformat()
        return out

    @property
    def period_key(self) -> str:
        if self.kind == "annual":
            return str(self.year)
        if self.kind == "cycle":
            return "cycle"
        return "application"


@dataclass
class Outcome:
    """A computed result with everything needed to render it."""

    jurisdiction: Jurisdiction
    studio: m.Studio
    spec: EvaluationSpec
    period: Period
    facts: StudioFacts
    evaluation: Evaluation
    funding: Funding | None
    members: list[MemberResult] = field(default_factory=list)
    #: why the studio is not assessed for this period (approved after it, its cycle over before it,
    #: or its first part-year as the jurisdiction reads it); None: it is assessed
    not_assessed: Text | None = None
    #: the article or parameter behind ``not_assessed`` or behind a shortened first year
    not_assessed_basis: str | None = None
    #: the jurisdiction's answer for a studio approved during the period (None: not the case)
    first_year: FirstYear | None = None

    @property
    def assessed(self) -> bool:
        return self.not_assessed is None

    def to_json(self, locale: str | None = None) -> dict[str, Any]:
        return render(self, locale)

    @property
    def policy(self) -> PolicyVersion:
        """The version of the policy the studio is assessed under for this period."""
        return self.jurisdiction.policy_version(studio=self.facts.studio, kind=self.spec.kind, period=self.period)


def tenant_of(session: Session) -> m.Tenant:
    """The tenant the session is bound to."""
    tenant_id = session.info.get("tenant_id")
    tenant = session.get(m.Tenant, tenant_id) if tenant_id is not None else None
    if tenant is None:
        raise EvaluationError("no tenant is bound to this session")
    return tenant


def _period(jurisdiction: Jurisdiction, studio: m.Studio, spec: EvaluationSpec, params: Any) -> Period:
    if spec.kind == "application":
        assert spec.date is not None
        return day(spec.date)
    return jurisdiction.assessment_period(studio=studio_fact(studio), kind=spec.kind, year=spec.year, params=params)


@dataclass(frozen=True)
class Scope:
    """Whether a studio is assessed for an annual period, and on which part of it."""

    not_assessed: Text | None = None
    basis: str | None = None
    first_year: FirstYear | None = None


def _annual_scope(jurisdiction: Jurisdiction, fact: Any, period: Period, params: Any) -> tuple[Period, Scope]:
    """Only a studio active in the period is assessed, from the day its cycle starts; the year it was
    approved in is the jurisdiction's answer (``mingshi_first_year``)."""
    start = fact.cycle_start
    if start is None or start > period.end:
        return period, Scope(_("not assessed: the studio's cycle starts after this period"), "—")
    whole = jurisdiction.assessment_period(studio=fact, kind="cycle", year=None, params=params)
    if whole.end < period.start:
        return period, Scope(_("not assessed: the studio's cycle ended before this period"), "—")
    if start <= period.start:
        return period, Scope()
    first = jurisdiction.first_year(studio=fact, period=period, params=params)
    if not first.assessed:
        return period, Scope(first.explanation, first.basis, first)
    return Period(start, period.end, period.kind, period.key), Scope(None, first.basis, first)


def _scoped_period(
    jurisdiction: Jurisdiction, studio: m.Studio, spec: EvaluationSpec, params: Any
) -> tuple[Period, Scope]:
    """The period the evaluation covers, and (annual) whether and from when the studio is assessed."""
    period = _period(jurisdiction, studio, spec, params)
    if spec.kind != "annual":
        return period, Scope()
    return _annual_scope(jurisdiction, studio_fact(studio), period, params)


def _outcome(
    jurisdiction: Jurisdiction,
    studio: m.Studio,
    spec: EvaluationSpec,
    period: Period,
    scope: Scope,
    loaded: LoadedStudio,
    evaluation: Evaluation,
    funding: Funding | None,
) -> Outcome:
    members = member_results_of(loaded.memberships, period, evaluation)
    return Outcome(
        jurisdiction,
        studio,
        spec,
        period,
        loaded.facts,
        evaluation,
        funding,
        members,
        not_assessed=scope.not_assessed,
        not_assessed_basis=scope.basis,
        first_year=scope.first_year,
    )


def facts_request(jurisdiction: Jurisdiction, studio: m.Studio, spec: EvaluationSpec, params: Any) -> FactsRequest:
    """What an evaluation reads: the period's facts window (an application check reads everything)."""
    period = _period(jurisdiction, studio, spec, params)
    if spec.kind == "application":
        return FactsRequest(studio, period.end, None, None, spec.period_key)
    since, until = facts_window(studio_fact(studio), period.start, period.end)
    return FactsRequest(studio, period.end, since, until, spec.period_key)


def build_facts(
    session: Session,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    spec: EvaluationSpec,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Jurisdiction, Period, StudioFacts]:
    jurisdiction, period, _scope, loaded = _build(session, jurisdictions, studio, spec, overrides)
    return jurisdiction, period, loaded.facts


def period_of(
    session: Session,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    spec: EvaluationSpec,
    overrides: Mapping[str, Any] | None = None,
) -> Period:
    """The period :func:`build_facts` and :func:`evaluate` cover for ``spec``, without reading the
    studio's facts (it depends on the studio's record and the parameters only)."""
    jurisdiction = jurisdictions.get(tenant_of(session).jurisdiction)
    params = jurisdiction.paramset(tenant_parameter_values(session), overrides)
    return _scoped_period(jurisdiction, studio, spec, params)[0]


def _build(
    session: Session,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    spec: EvaluationSpec,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Jurisdiction, Period, Scope, LoadedStudio]:
    tenant = tenant_of(session)
    jurisdiction = jurisdictions.get(tenant.jurisdiction)
    params = jurisdiction.paramset(tenant_parameter_values(session), overrides)
    request = facts_request(jurisdiction, studio, spec, params)
    loaded = load_studio(session, request, jurisdiction=jurisdiction.code, params=params)
    period, scope = _scoped_period(jurisdiction, studio, spec, params)
    return jurisdiction, period, scope, loaded


def _check_kind(jurisdiction: Jurisdiction, spec: EvaluationSpec) -> None:
    if spec.kind not in jurisdiction.info.evaluations:
        raise EvaluationError(
            f"{jurisdiction.code} has no {spec.kind} evaluation (it has: {', '.join(jurisdiction.info.evaluations)})"
        )


def _run_rules(
    jurisdiction: Jurisdiction, spec: EvaluationSpec, period: Period, facts: StudioFacts
) -> tuple[Evaluation, Funding | None]:
    funding: Funding | None = None
    if spec.kind == "application":
        assert spec.date is not None
        evaluation = jurisdiction.check_application(facts=facts, on=spec.date)
    else:
        evaluation = jurisdiction.assess(facts=facts, period=period, kind=spec.kind)
        funding = jurisdiction.funding(facts=facts, period=period, kind=spec.kind, evaluation=evaluation)
    _check_rule_ids(jurisdiction, evaluation)
    _add_removal_consequences(evaluation)
    return evaluation, funding


def evaluate(
    session: Session,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    spec: EvaluationSpec,
    *,
    overrides: Mapping[str, Any] | None = None,
    apply_removals: bool = True,
) -> Outcome:
    """Evaluate ``studio`` as ``spec`` asks. With ``apply_removals`` the removals the rules decide
    are written to the memberships (the caller commits)."""
    _check_kind(jurisdictions.get(tenant_of(session).jurisdiction), spec)
    jurisdiction, period, scope, loaded = _build(session, jurisdictions, studio, spec, overrides)
    evaluation, funding = _run_rules(jurisdiction, spec, period, loaded.facts)
    if apply_removals and evaluation.removals:
        apply_member_removals(session, studio, evaluation.removals)
    return _outcome(jurisdiction, studio, spec, period, scope, loaded, evaluation, funding)


def evaluate_many(
    session: Session,
    jurisdictions: Jurisdictions,
    studios: Any,
    spec: EvaluationSpec,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> Iterator[Outcome]:
    """Evaluate every studio the SELECT ``studios`` (of :class:`Studio` rows) gives, in id order, reading
    their facts in a constant number of statements (:func:`load_facts`). Nothing is written: the
    removals the rules decide are in each outcome for the caller to apply. Each outcome is the one
    :func:`evaluate` gives for that studio."""
    for (outcome,) in evaluate_variants(session, jurisdictions, studios, spec, (overrides,)):
        yield outcome


def evaluate_variants(
    session: Session,
    jurisdictions: Jurisdictions,
    studios: Any,
    spec: EvaluationSpec,
    variants: Sequence[Mapping[str, Any] | None],
) -> Iterator[tuple[Outcome, ...]]:
    """:func:`evaluate_many` under several sets of parameter overrides at once (a what-if: None for the
    values in force, then a proposed value): for each studio, in id order, one outcome per variant,
    each the one :func:`evaluate` gives with those overrides. The facts are read once for all the
    variants (:func:`load_facts_variants`) and the rules run once per variant over them."""
    jurisdiction = jurisdictions.get(tenant_of(session).jurisdiction)
    _check_kind(jurisdiction, spec)
    values = tenant_parameter_values(session)
    paramsets = tuple(jurisdiction.paramset(values, overrides) for overrides in variants)
    rows = list(session.scalars(studios.order_by(None).order_by(m.Studio.id)))
    requests = [tuple(facts_request(jurisdiction, s, spec, p) for p in paramsets) for s in rows]
    ids = studios.with_only_columns(m.Studio.id).order_by(None)
    for group in load_facts_variants(session, requests, jurisdiction=jurisdiction.code, params=paramsets, scope=ids):
        outcomes = []
        for loaded, params in zip(group, paramsets, strict=True):
            studio = loaded.request.studio
            period, scope = _scoped_period(jurisdiction, studio, spec, params)
            evaluation, funding = _run_rules(jurisdiction, spec, period, loaded.facts)
            outcomes.append(_outcome(jurisdiction, studio, spec, period, scope, loaded, evaluation, funding))
        yield tuple(outcomes)


def _check_rule_ids(jurisdiction: Jurisdiction, evaluation: Evaluation) -> None:
    known = jurisdiction.rules
    ids = [c.id for c in evaluation.criteria]
    for member in evaluation.members:
        ids.extend(c.id for c in member.criteria)
    ids.extend(c.rule for c in evaluation.consequences)
    ids.extend(r.rule for r in evaluation.removals)
    unknown = sorted({i for i in ids if i not in known})
    if unknown:
        raise EvaluationError(f"jurisdiction {jurisdiction.code!r} returned undeclared rule ids: {', '.join(unknown)}")


def _add_removal_consequences(evaluation: Evaluation) -> None:
    """Every removal is also a ``member_removed`` consequence (unless the plugin already said so)."""
    said = {(c.person, c.rule) for c in evaluation.consequences if c.type == "member_removed"}
    for r in evaluation.removals:
        if (r.person, r.rule) not in said:
            evaluation.consequences.append(
                Consequence("member_removed", r.rule, r.basis, r.reason, person=r.person, date=r.date)
            )


def apply_member_removals(session: Session, studio: m.Studio, removals: Iterable[Removal]) -> list[m.Membership]:
    """Write the removals into the memberships. A membership that already ended is left as it is, and
    a removal dated on or before a member's reinstatement is not applied again."""
    return apply_member_removals_many(session, {studio.id: removals})[studio.id]


def apply_member_removals_many(
    session: Session, removals: Mapping[int, Iterable[Removal]]
) -> dict[int, list[m.Membership]]:
    """:func:`apply_member_removals` for many studios (removals by studio id) in a constant number of
    statements: the open memberships of every studio read at once, the changes flushed together."""
    by_studio = {studio_id: {r.person: r for r in rs} for studio_id, rs in removals.items()}
    changed: dict[int, list[m.Membership]] = {studio_id: [] for studio_id in by_studio}
    if not by_studio:
        return changed
    memberships = session.scalars(
        select(m.Membership)
        .where(m.Membership.studio_id.in_(list(by_studio)), m.Membership.left.is_(None))
        .order_by(m.Membership.studio_id, m.Membership.id)
    )
    tenant = tenant_of(session)
    for membership in memberships:
        removal = by_studio[membership.studio_id].get(person_key(membership.person))
        if removal is None:
            continue
        if membership.reinstated_on is not None and removal.date <= membership.reinstated_on:
            # reinstated by the administrator after this removal's grounds: the same grounds do not
            # remove them again (a rule counts only what happens after the reinstatement)
            continue
        membership.left = removal.date
        membership.removal_rule = removal.rule
        membership.removal_reason = removal.reason.render(tenant.locale)
        changed[membership.studio_id].append(membership)
        session.add(
            m.AuditEntry(
                tenant_id=tenant.id,
                action="member_removed",
                entity="membership",
                entity_id=membership.id,
                user_name="rule " + removal.rule,
                before={"left": None},
                after={
                    "left": removal.date.isoformat(),
                    "rule": removal.rule,
                    "reason": membership.removal_reason,
                },
            )
        )
    session.flush()
    return changed


def member_results_of(
    memberships: Iterable[MembershipRow], period: Period, evaluation: Evaluation
) -> list[MemberResult]:
    """One entry per host, member and trainee who belonged to the studio in the period (memberships in id order)."""
    by_person = {r.person: r for r in evaluation.members}
    removals = {r.person: r for r in evaluation.removals}
    results: list[MemberResult] = []
    seen: set[str] = set()
    for ms in memberships:
        if ms.joined > period.end:
            continue
        key = ms.person
        if key in seen:
            continue
        ended_before = ms.left is not None and ms.left <= period.start and ms.removal_rule is None
        if ended_before:
            continue
        seen.add(key)
        plugin = by_person.get(key)
        removal = removals.get(key)
        removed = removal is not None or (ms.removal_rule is not None and ms.left is not None and ms.left <= period.end)
        results.append(
            MemberResult(
                person=key,
                status="removed" if removed else "active",
                grade=plugin.grade if plugin else None,
                criteria=plugin.criteria if plugin else (),
                rule=removal.rule if removal else (ms.removal_rule if removed else None),
                date=removal.date if removal else (ms.left if removed else None),
                reason=removal.reason
                if removal
                else (Text(ms.removal_reason) if removed and ms.removal_reason else None),
            )
        )
    return results


# ---------------------------------------------------------------------------------------------
# Rendering


def _criterion_json(c: Criterion, locale: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "status": str(c.status),
        "value": json_value(c.value),
        "target": json_value(c.target),
        "basis": c.basis,
        "explanation": c.explanation.render(locale),
    }
    if c.period:
        out["period"] = c.period
    if c.counted:
        out["counted"] = list(c.counted)
    return out


def _consequence_json(c: Consequence, locale: str) -> dict[str, Any]:
    out: dict[str, Any] = {"type": c.type, "rule": c.rule, "basis": c.basis}
    if c.year is not None:
        out["year"] = c.year
    if c.person is not None:
        out["person"] = c.person
    if c.date is not None:
        out["date"] = c.date.isoformat()
    out["explanation"] = c.explanation.render(locale)
    return out


def _policy_json(outcome: Outcome) -> dict[str, Any]:
    """The policy version the studio was assessed under: title, version, document number and date."""
    version = outcome.policy
    date = version.date
    return {
        "title": version.title,
        "version": version.key,
        "number": version.number,
        "date": date.isoformat() if date else None,
    }


def render(outcome: Outcome, locale: str | None = None) -> dict[str, Any]:
    loc = normalize_locale(locale)
    info = outcome.jurisdiction.info
    grade = Grade(outcome.evaluation.grade)
    label = info.grade_labels.get(grade)
    result: dict[str, Any] = {
        "jurisdiction": info.code,
        "evaluate": outcome.spec.as_json(),
        "studio": {"name": outcome.studio.name, "kind": outcome.studio.kind},
        "period": {
            "kind": outcome.period.kind,
            "key": outcome.period.key,
            "start": outcome.period.start.isoformat(),
            "end": outcome.period.end.isoformat(),
        },
        "policy": _policy_json(outcome),
        "grade": {"code": str(grade), "label": label(loc) if label else str(grade)},
        "criteria": [_criterion_json(c, loc) for c in outcome.evaluation.criteria],
        "members": [
            {
                "person": r.person,
                "name": outcome.facts.people[r.person].name if r.person in outcome.facts.people else None,
                "status": r.status,
                "grade": r.grade,
                "rule": r.rule,
                "date": r.date.isoformat() if r.date else None,
                "reason": r.reason.render(loc) if r.reason else None,
                "criteria": [_criterion_json(c, loc) for c in r.criteria],
            }
            for r in outcome.members
        ],
        "consequences": [_consequence_json(c, loc) for c in outcome.evaluation.consequences],
        "funding": None,
    }
    if outcome.not_assessed is not None:
        result["not_assessed"] = {
            "basis": outcome.not_assessed_basis,
            "explanation": outcome.not_assessed.render(loc),
        }
    elif outcome.first_year is not None:
        result["first_year"] = {
            "basis": outcome.first_year.basis,
            "explanation": outcome.first_year.explanation.render(loc),
        }
    if outcome.funding is not None:
        f = outcome.funding
        result["funding"] = {
            "year": f.year,
            "amount": format_fen(f.amount_fen),
            "currency": "CNY",
            "basis": f.basis,
            "explanation": f.explanation.render(loc),
        }
    return result
