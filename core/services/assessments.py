"""Assessments: propose, confirm, store, withdraw — a result changes records only when the
administrator confirms it, and a stored result can be withdrawn with its consequences reversed.

Running an assessment computes the tenant's plugin's result for one studio (or all) and shows it as a
:class:`Proposal`: what would be stored and what it would change (grade changes, member removals,
disqualification, the unused balance recovered, funding stopped). Nothing is written until the
administrator confirms the proposal they saw (its fingerprint); a period that has not ended can be
previewed but not stored as final. Storing keeps an :class:`~mingshi.core.models.AssessmentRecord` (the
result in the tenant's language and in English) with what it changed (``applied``), so that
:func:`withdraw` can reverse exactly that by new records: members reinstated, the studio's status
restored, the recovery reversed in the ledger. Both stay in the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import Session, joinedload

from mingshi.core import models as m
from mingshi.core.db import serialize
from mingshi.core.i18n import Text
from mingshi.core.plugins import Jurisdictions
from mingshi.core.rules.results import Consequence, Removal
from mingshi.core.services import audit, funds
from mingshi.core.services.access import Actor
from mingshi.core.services.evaluation import (
    EvaluationSpec,
    Outcome,
    apply_member_removals_many,
    evaluate,
    evaluate_many,
)
from mingshi.core.services.facts import person_key
from mingshi.core.services.workspace import jurisdiction_of, tenant_of


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


def run(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, spec: EvaluationSpec) -> Outcome:
    """Compute (never writes: the removals it decides are applied when a confirmed result is stored)."""
    return evaluate(session, jurisdictions, studio, spec, apply_removals=False)


def _current(stmt):
    return stmt.where(m.AssessmentRecord.withdrawn_at.is_(None))


def latest_record(session: Session, studio: m.Studio, spec: EvaluationSpec) -> m.AssessmentRecord | None:
    """The stored result in force (withdrawn ones do not count)."""
    return session.scalars(
        _current(select(m.AssessmentRecord))
        .where(
            m.AssessmentRecord.studio_id == studio.id,
            m.AssessmentRecord.kind == spec.kind,
            m.AssessmentRecord.period == spec.period_key,
        )
        .order_by(m.AssessmentRecord.computed_at.desc(), m.AssessmentRecord.id.desc())
        .limit(1)
    ).first()


def history(session: Session, studio: m.Studio, spec: EvaluationSpec) -> list[m.AssessmentRecord]:
    """Every stored result of the period, withdrawn ones included, newest first."""
    return list(
        session.scalars(
            select(m.AssessmentRecord)
            .where(
                m.AssessmentRecord.studio_id == studio.id,
                m.AssessmentRecord.kind == spec.kind,
                m.AssessmentRecord.period == spec.period_key,
            )
            .order_by(m.AssessmentRecord.computed_at.desc(), m.AssessmentRecord.id.desc())
        )
    )


@dataclass(frozen=True)
class Change:
    #: "grade", "funding" or a criterion's rule id
    what: str
    before: Any
    after: Any


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[Change]:
    """What differs between a stored result and a new one: grade, each criterion's status and value, funding.

    A criterion's ``before``/``after`` is ``{"status": …, "value": …}`` (None: absent)."""
    if previous is None:
        return []
    found: list[Change] = []
    if previous["grade"]["code"] != current["grade"]["code"]:
        found.append(Change("grade", previous["grade"]["code"], current["grade"]["code"]))
    before = {c["id"]: c for c in previous.get("criteria", [])}
    for c in current.get("criteria", []):
        old = before.pop(c["id"], None)
        now = {"status": c["status"], "value": c.get("value")}
        if old is None:
            found.append(Change(c["id"], None, now))
        elif (old["status"], old.get("value")) != (c["status"], c.get("value")):
            found.append(Change(c["id"], {"status": old["status"], "value": old.get("value")}, now))
    for rule_id, old in before.items():
        found.append(Change(rule_id, {"status": old["status"], "value": old.get("value")}, None))
    old_funding = (previous.get("funding") or {}).get("amount")
    new_funding = (current.get("funding") or {}).get("amount")
    if old_funding != new_funding:
        found.append(Change("funding", old_funding, new_funding))
    return found


# ---------------------------------------------------------------------------------------------
# proposals


@dataclass
class Proposal:
    """A computed result and what storing it would change; nothing of it is written yet."""

    outcome: Outcome
    previous: m.AssessmentRecord | None
    #: the period has ended: the result can be stored as final
    final: bool
    #: members the rules remove who are still in the studio: (membership, removal)
    removals: list[tuple[m.Membership, Removal]] = field(default_factory=list)
    #: the studio would be disqualified (it is not yet)
    disqualify: bool = False
    #: the unused balance the ledger holds now, which storing would recover (0: nothing)
    recovery_fen: int = 0
    recovery_basis: str | None = None
    #: funding stopped by the result (each with its year and article)
    stops: list[Consequence] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def studio(self) -> m.Studio:
        return self.outcome.studio

    @property
    def storable(self) -> bool:
        return self.final and self.outcome.assessed

    def fingerprint_data(self) -> dict[str, Any]:
        return {
            "studio": self.studio.id,
            # the stored result the proposal would replace: a proposal confirmed by someone else
            # meanwhile is another state, and confirming it again is refused as stale
            "previous": self.previous.id if self.previous is not None else None,
            "result": self.outcome.to_json("en") if self.outcome.assessed else None,
            "removals": sorted(ms.id for ms, _r in self.removals),
            "disqualify": self.disqualify,
            "recovery_fen": self.recovery_fen,
        }


def propose(
    session: Session, jurisdictions: Jurisdictions, studio: m.Studio, spec: EvaluationSpec, *, today: dt.date
) -> Proposal:
    """What storing this studio's result for ``spec`` would store and change (reads only)."""
    return proposal_of(session, run(session, jurisdictions, studio, spec), today=today)


def proposal_of(session: Session, outcome: Outcome, *, today: dt.date) -> Proposal:
    return proposals_of(session, [outcome], today=today)[0]


def latest_records(session: Session, studio_ids: list[int], spec: EvaluationSpec) -> dict[int, m.AssessmentRecord]:
    """:func:`latest_record` of many studios in one statement, by studio id."""
    if not studio_ids:
        return {}
    AR = m.AssessmentRecord
    ranked = (
        _current(
            select(
                AR.id,
                func.row_number()
                .over(partition_by=AR.studio_id, order_by=(AR.computed_at.desc(), AR.id.desc()))
                .label("rank"),
            )
        )
        .where(AR.studio_id.in_(studio_ids), AR.kind == spec.kind, AR.period == spec.period_key)
        .subquery()
    )
    records = session.scalars(select(AR).join(ranked, ranked.c.id == AR.id).where(ranked.c.rank == 1))
    return {r.studio_id: r for r in records}


def proposals_of(session: Session, outcomes: list[Outcome], *, today: dt.date) -> list[Proposal]:
    """The proposals of computed results (all of one evaluation), in a constant number of statements
    whatever their number: the stored results they would replace, the open memberships of the
    studios with removals (with their people), the balances a recovery would take."""
    if not outcomes:
        return []
    previous = latest_records(session, [o.studio.id for o in outcomes], outcomes[0].spec)
    assessed = [o for o in outcomes if o.assessed]
    with_removals = sorted({o.studio.id for o in assessed if o.evaluation.removals})
    members: dict[int, list[m.Membership]] = {i: [] for i in with_removals}
    # one statement whether any studio has removals or none (a page costs the same whatever its data),
    # the people joined, their histories not loaded (only their keys are read)
    for ms in session.scalars(
        select(m.Membership)
        .where(m.Membership.studio_id.in_(with_removals))
        .options(joinedload(m.Membership.person).lazyload("*"))
        .order_by(m.Membership.id)
    ):
        members[ms.studio_id].append(ms)
    recovering = [o.studio.id for o in assessed if any(c.type == "funds_recovered" for c in o.evaluation.consequences)]
    balance = funds.balances(session, recovering)
    locale = tenant_of(session).locale
    proposals = []
    for outcome in outcomes:
        studio = outcome.studio
        prior = previous.get(studio.id)
        proposal = Proposal(outcome, prior, final=outcome.period.end < today)
        proposals.append(proposal)
        if not outcome.assessed:
            continue
        proposal.changes = changes(prior.result if prior else None, outcome.to_json(locale))
        by_key = {r.person: r for r in outcome.evaluation.removals}
        for ms in members.get(studio.id, ()):
            removal = by_key.get(person_key(ms.person))
            if removal is not None and ms.left is None:
                proposal.removals.append((ms, removal))
        types = {c.type for c in outcome.evaluation.consequences}
        proposal.disqualify = "disqualified" in types and studio.status != "disqualified"
        if "funds_recovered" in types:
            rule = next(c for c in outcome.evaluation.consequences if c.type == "funds_recovered")
            proposal.recovery_fen = max(balance[studio.id], 0)
            proposal.recovery_basis = rule.basis
        proposal.stops = [c for c in outcome.evaluation.consequences if c.type == "funding_stopped"]
    return proposals


def assessable_studios(session: Session) -> list[m.Studio]:
    """The studios (not applications) that may be assessed: active, with a cycle start. Whether the
    period is one they were active in is each outcome's ``not_assessed``."""
    return list(
        session.scalars(
            select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None)).order_by(m.Studio.id)
        )
    )


def propose_each(
    session: Session,
    jurisdictions: Jurisdictions,
    spec: EvaluationSpec,
    *,
    today: dt.date,
    ids: list[int] | None = None,
) -> Any:
    """The proposals of every assessable studio (or of ``ids`` among them), in id order, one at a
    time: the facts are read in a constant number of statements (:func:`evaluate_many`), what the
    proposals read besides in a constant number per ``JOB_CHUNK`` studios (:func:`proposals_of`)."""
    jurisdiction = jurisdiction_of(session, jurisdictions)
    if spec.kind not in jurisdiction.info.evaluations:
        raise ValidationError({"kind": ["not a valid choice"]})
    studios = select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None))
    if ids is not None:
        studios = studios.where(m.Studio.id.in_(ids))
    chunk: list[Outcome] = []
    for outcome in evaluate_many(session, jurisdictions, studios, spec):
        chunk.append(outcome)
        if len(chunk) == JOB_CHUNK:
            yield from proposals_of(session, chunk, today=today)
            chunk = []
    yield from proposals_of(session, chunk, today=today)


def propose_all(
    session: Session, jurisdictions: Jurisdictions, spec: EvaluationSpec, *, today: dt.date
) -> list[Proposal]:
    return list(propose_each(session, jurisdictions, spec, today=today))


class Fingerprint:
    """:func:`fingerprint` computed a proposal at a time (the same digest, without holding them all)."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256(b"[")
        self._first = True

    def add(self, proposal: Proposal) -> None:
        item = json.dumps(proposal.fingerprint_data(), sort_keys=True, ensure_ascii=False, default=str)
        self._digest.update((item if self._first else ", " + item).encode())
        self._first = False

    def hexdigest(self) -> str:
        digest = self._digest.copy()
        digest.update(b"]")
        return digest.hexdigest()[:32]


def fingerprint(proposals: list[Proposal]) -> str:
    """A digest of exactly what the administrator saw; confirming another state is refused."""
    digest = Fingerprint()
    for p in proposals:
        digest.add(p)
    return digest.hexdigest()


STALE = "the data changed since the preview: look at the new proposal before confirming"
NOT_ENDED = "the period ends on %(end)s: it can be previewed, but stored as final only after it has ended"


def confirm(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    spec: EvaluationSpec,
    *,
    today: dt.date,
    seen: str,
    studio: m.Studio | None = None,
) -> list[m.AssessmentRecord]:
    """Store the proposal(s) the administrator saw (``seen``: its fingerprint) and apply their consequences.

    Refused (nothing stored) when the data changed since the preview or a period has not ended.
    Studios not assessed for the period are left out. Two administrators confirming at once queue on
    a lock of the tenant, kind and period taken before the proposal is recomputed: the second one sees
    the first one's stored result, its fingerprint no longer matches, and it is refused — one record,
    consequences applied once."""
    actor.require_admin()
    serialize(session, "assessment", tenant_of(session).id, spec.kind, spec.period_key)
    proposals = (
        [propose(session, jurisdictions, studio, spec, today=today)]
        if studio is not None
        else propose_all(session, jurisdictions, spec, today=today)
    )
    if fingerprint(proposals) != seen:
        raise ValidationError({"confirm": [STALE]})
    storable = [p for p in proposals if p.outcome.assessed]
    unfinished = [p for p in storable if not p.final]
    if unfinished:
        raise ValidationError({"period": [Text(NOT_ENDED, {"end": unfinished[0].outcome.period.end})]})
    return _store_many(session, actor, storable)


def _store(session: Session, actor: Actor, proposal: Proposal) -> m.AssessmentRecord:
    return _store_many(session, actor, [proposal])[0]


def _store_many(session: Session, actor: Actor, proposals: list[Proposal]) -> list[m.AssessmentRecord]:
    """Store the proposals and apply their consequences, in a constant number of statements whatever
    their number: the removals (:func:`apply_member_removals_many`), the disqualifications, the
    recoveries (:func:`funds.recover_unused_many`), then the records, each with what it changed
    (``applied``), and their audit entries — each kind of row inserted or updated together."""
    if not proposals:
        return []
    for proposal in proposals:
        require_assessable(proposal.studio, proposal.outcome.spec)
    tenant = tenant_of(session)
    removed = apply_member_removals_many(
        session, {p.studio.id: [r for _ms, r in p.removals] for p in proposals if p.removals}
    )
    status_before = {p.studio.id: p.studio.status for p in proposals if p.disqualify}
    if status_before:
        # one UPDATE for every disqualified studio, still checked against the version each was read at
        S = m.Studio
        read_at = [(p.studio.id, p.studio.version) for p in proposals if p.disqualify]
        done = session.execute(
            update(S)
            .where(tuple_(S.id, S.version).in_(read_at))
            .values(status="disqualified", version=S.version + 1)
            .execution_options(synchronize_session="fetch")
        )
        if done.rowcount != len(read_at):
            raise ValidationError({"confirm": [STALE]})
        for proposal in proposals:
            if proposal.studio.id in status_before:
                audit.record(
                    session,
                    actor,
                    "disqualify",
                    "studio",
                    proposal.studio.id,
                    {"status": status_before[proposal.studio.id]},
                    {"status": "disqualified"},
                )
    recoveries = funds.recover_unused_many(
        session,
        actor,
        [(p.studio, p.outcome.period.end.year, p.recovery_basis) for p in proposals if p.recovery_basis is not None],
    )
    records = []
    for proposal in proposals:
        outcome, studio = proposal.outcome, proposal.studio
        result = outcome.to_json(tenant.locale)
        result["en"] = outcome.to_json("en")
        recovery = recoveries.get(studio.id)
        records.append(
            m.AssessmentRecord(
                studio_id=studio.id,
                kind=outcome.spec.kind,
                period=outcome.spec.period_key,
                grade=str(outcome.evaluation.grade),
                result=result,
                computed_by_id=actor.user_id,
                applied={
                    "memberships": [ms.id for ms in removed.get(studio.id, [])],
                    "status_before": status_before.get(studio.id),
                    "recovery_id": recovery.id if recovery is not None else None,
                },
            )
        )
    session.add_all(records)
    session.flush()
    for proposal, record in zip(proposals, records, strict=True):
        audit.record(
            session,
            actor,
            "store_assessment",
            "assessment_record",
            record.id,
            None,
            {"studio": proposal.studio.name, "period": record.period, "grade": record.grade},
        )
    session.flush()
    return records


def store(session: Session, actor: Actor, outcome: Outcome, *, today: dt.date) -> m.AssessmentRecord:
    """Store a result just computed and looked at (scripts, tests); the web confirms through :func:`confirm`.

    Refused when the period has not ended or the studio is not assessed for it."""
    actor.require_admin()
    proposal = proposal_of(session, outcome, today=today)
    if not outcome.assessed:
        raise ValidationError({"period": [outcome.not_assessed]})
    if not proposal.final:
        raise ValidationError({"period": [Text(NOT_ENDED, {"end": outcome.period.end})]})
    return _store(session, actor, proposal)


def withdraw(
    session: Session, actor: Actor, record: m.AssessmentRecord, *, reason: str, today: dt.date
) -> m.AssessmentRecord:
    """Withdraw a stored result (administrator, with a reason). Its consequences are reversed by new
    records — members reinstated, the studio's status restored, the recovery reversed in the ledger —
    and the record stays in the history, marked withdrawn."""
    actor.require_admin()
    if record.withdrawn_at is not None:
        raise ValidationError({"withdraw": ["this result has already been withdrawn"]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["may not be empty"]})
    studio = session.get(m.Studio, record.studio_id)
    applied = record.applied or {}
    for membership_id in applied.get("memberships") or []:
        ms = session.get(m.Membership, membership_id)
        if ms is None or ms.left is None:
            continue
        before = {"left": ms.left.isoformat(), "rule": ms.removal_rule, "reason": ms.removal_reason}
        ms.left, ms.removal_rule, ms.removal_reason = None, None, None
        audit.record(session, actor, "reinstate_member", "membership", ms.id, before, {"left": None, "reason": reason})
    status_before = applied.get("status_before")
    if status_before and studio.status == "disqualified":
        studio.status = status_before
        audit.record(
            session,
            actor,
            "reinstate_studio",
            "studio",
            studio.id,
            {"status": "disqualified"},
            {"status": status_before},
        )
    recovery_id = applied.get("recovery_id")
    if recovery_id:
        funds.reverse_allocation(session, actor, studio, session.get(m.FundAllocation, recovery_id), reason=reason)
    before = {"withdrawn_at": None}
    record.withdrawn_at = dt.datetime.now(dt.UTC)
    record.withdrawn_by_id = actor.user_id
    record.withdrawal_reason = reason.strip()
    session.flush()
    audit.record(
        session,
        actor,
        "withdraw_assessment",
        "assessment_record",
        record.id,
        before,
        {"withdrawn_on": today.isoformat(), "reason": record.withdrawal_reason, "grade": record.grade},
    )
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
    """A judgement on a criterion, with a comment, kept as history and audited.

    A per-person judgement the jurisdiction declares (hook ``mingshi_terms``) is recorded only by whom
    the policy names (the host of the studio, a reviewer, the administrator) and only of a person;
    any other attestation by a reviewer or the city administrator."""
    from mingshi.core.services.access import Forbidden
    from mingshi.core.services.judgements import may_record

    jurisdiction = jurisdiction_of(session, jurisdictions)
    judgement = jurisdiction.terms.judgement(rule_id)
    if judgement is not None and person_id is not None:
        if not may_record(actor, studio, judgement):
            raise Forbidden("only whom the policy names records this judgement")
    elif not (actor.is_reviewer or actor.is_admin):
        raise Forbidden("only a reviewer or the city administrator records a judgement")
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
class TableRecord:
    """What the table shows of a stored result (not the result itself: 14–108 KB of JSON each)."""

    id: int
    grade: str
    computed_at: dt.datetime


@dataclass(frozen=True)
class TableRow:
    studio: m.Studio
    record: TableRecord | None


#: studios per page of the assessment table
TABLE_PAGE = 50
TABLE_STATUSES = ("active", "completed", "disqualified")


def _latest(kind: str, period: str):
    return (
        _current(select(m.AssessmentRecord.studio_id, func.max(m.AssessmentRecord.id).label("id")))
        .where(m.AssessmentRecord.kind == kind, m.AssessmentRecord.period == period)
        .group_by(m.AssessmentRecord.studio_id)
        .subquery()
    )


def table_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(m.Studio.status.in_(TABLE_STATUSES))) or 0


def table(session: Session, kind: str, period: str, *, limit: int = TABLE_PAGE, offset: int = 0) -> list[TableRow]:
    """A page of the studios (not applications), by name, each with the grade and date of its stored
    result in force for the period (two queries; the results' JSON is not read)."""
    studios = list(
        session.scalars(
            select(m.Studio)
            .where(m.Studio.status.in_(TABLE_STATUSES))
            .order_by(m.Studio.name, m.Studio.id)
            .limit(limit)
            .offset(offset)
        )
    )
    if not studios:
        return []
    latest = _latest(kind, period)
    records = {
        studio_id: TableRecord(rid, grade, at)
        for studio_id, rid, grade, at in session.execute(
            select(
                m.AssessmentRecord.studio_id,
                m.AssessmentRecord.id,
                m.AssessmentRecord.grade,
                m.AssessmentRecord.computed_at,
            )
            .join(latest, m.AssessmentRecord.id == latest.c.id)
            .where(m.AssessmentRecord.studio_id.in_([s.id for s in studios]))
        )
    }
    return [TableRow(s, records.get(s.id)) for s in studios]


def export_rows(session: Session, kind: str, period: str) -> Any:
    """Every studio of the table with its stored result in force (the export): streamed by the
    database a chunk at a time, in name order — (name, grade, result criteria, computed_at)."""
    latest = _latest(kind, period)
    stmt = (
        select(m.Studio.name, m.AssessmentRecord.grade, m.AssessmentRecord.result, m.AssessmentRecord.computed_at)
        .outerjoin(latest, latest.c.studio_id == m.Studio.id)
        .outerjoin(m.AssessmentRecord, m.AssessmentRecord.id == latest.c.id)
        .where(m.Studio.status.in_(TABLE_STATUSES))
        .order_by(m.Studio.name, m.Studio.id)
        .execution_options(yield_per=200)
    )
    return session.execute(stmt)


# ---------------------------------------------------------------------------------------------
# assessing every studio as background jobs: the proposal, then its confirmation

#: studios evaluated (and stored) per chunk of a job: memory holds one chunk's outcomes
JOB_CHUNK = 200


def _texts(text: Any) -> dict[str, str]:
    return (
        {"zh_CN": text.render("zh_CN"), "en": text.render("en")}
        if hasattr(text, "render")
        else {"zh_CN": str(text), "en": str(text)}
    )


def proposal_row(p: Proposal) -> dict[str, Any]:
    """What the job page shows of one studio's proposal (JSON, kept as the job's result)."""
    row: dict[str, Any] = {"studio_id": p.studio.id, "studio": p.studio.name, "assessed": p.outcome.assessed}
    if not p.outcome.assessed:
        row["not_assessed"] = _texts(p.outcome.not_assessed)
        row["basis"] = p.outcome.not_assessed_basis
        return row
    disqualified = next((c for c in p.outcome.evaluation.consequences if c.type == "disqualified"), None)
    row |= {
        "grade": str(p.outcome.evaluation.grade),
        "previous": p.previous.grade if p.previous else None,
        "final": p.final,
        "period_end": p.outcome.period.end.isoformat(),
        "removals": [
            {"name": ms.person.name, "date": r.date.isoformat(), "reason": _texts(r.reason), "basis": r.basis}
            for ms, r in p.removals
        ],
        "disqualify": p.disqualify,
        "disqualify_basis": disqualified.basis if (p.disqualify and disqualified) else None,
        "recovery_fen": p.recovery_fen,
        "recovery_basis": p.recovery_basis,
        "stops": [{"year": c.year, "why": _texts(c.explanation), "basis": c.basis} for c in p.stops],
    }
    return row


def _job_spec(params: dict[str, Any]) -> EvaluationSpec:
    return spec_for(params["kind"], params.get("year"))


def _chunks(session: Session, spec: EvaluationSpec) -> tuple[int, list[list[int]]]:
    ids = [s.id for s in assessable_studios(session)]
    return len(ids), [ids[i : i + JOB_CHUNK] for i in range(0, len(ids), JOB_CHUNK)]


def run_proposal_job(ctx: Any) -> dict[str, Any]:
    """The proposal of every studio (nothing stored), with progress: its rows and fingerprint."""
    session, params = ctx.session, ctx.job.params
    spec, today = _job_spec(params), dt.date.fromisoformat(params["today"])
    total, chunks = _chunks(session, spec)
    ctx.progress(0, total)
    digest, rows, done = Fingerprint(), [], 0
    for chunk in chunks:
        for p in propose_each(session, ctx.jurisdictions, spec, today=today, ids=chunk):
            digest.add(p)
            rows.append(proposal_row(p))
        done += len(chunk)
        session.expunge_all()  # memory holds one chunk
        ctx.progress(done, total)
    storable = [r for r in rows if r["assessed"]]
    return {
        "kind": spec.kind,
        "year": spec.year,
        "period": spec.period_key,
        "seen": digest.hexdigest(),
        "rows": rows,
        "studios": total,
        "storable": len(storable),
        "unfinished": next((r for r in storable if not r["final"]), None) is not None,
        "period_end": next((r for r in rows if r["assessed"]), {}).get("period_end"),
    }


def run_confirm_job(ctx: Any) -> dict[str, Any]:
    """Store the proposal the administrator saw (``seen``), in one transaction, refused as a whole
    (nothing stored) when the data changed since the proposal job or a period has not ended.

    The check and the write happen under the lock a single confirmation takes (:func:`confirm`:
    :func:`~mingshi.core.db.serialize` on the tenant, kind and period), held from before the
    proposals are recomputed until the commit, so another confirmation cannot store in between: it
    waits, then sees these results and is refused as stale. One pass, a chunk of ``JOB_CHUNK``
    studios at a time: the chunk's proposals are recomputed, added to the fingerprint and stored
    together (:func:`_store_many`); the fingerprint of everything stored is compared with ``seen`` at
    the end, and a difference rolls the whole transaction back. On SQLite the lock is the
    database's write lock, so the progress is reported only before and at the end there; on
    PostgreSQL after each chunk."""
    from mingshi.core.services.access import actor_for

    session, params, job = ctx.session, ctx.job.params, ctx.job
    spec, today = _job_spec(params), dt.date.fromisoformat(params["today"])
    user = session.get(m.User, job.requested_by_id)
    if user is None:
        raise ValidationError({"_schema": ["the administrator who asked is no longer known"]})
    actor = actor_for(session, user, today=today)
    actor.require_admin()
    tenant_id = tenant_of(session).id
    report = session.get_bind().dialect.name != "sqlite"
    total, _chunked = _chunks(session, spec)
    ctx.progress(0, total)
    serialize(session, "assessment", tenant_id, spec.kind, spec.period_key)
    total, chunks = _chunks(session, spec)  # again, under the lock
    digest, stored, done = Fingerprint(), 0, 0
    for chunk in chunks:
        proposals = list(propose_each(session, ctx.jurisdictions, spec, today=today, ids=chunk))
        storable = []
        for p in proposals:
            digest.add(p)
            if not p.outcome.assessed:
                continue
            if not p.final:
                raise ValidationError({"period": [Text(NOT_ENDED, {"end": p.outcome.period.end}).render("en")]})
            storable.append(p)
        stored += len(_store_many(session, actor, storable))
        done += len(chunk)
        session.expunge_all()  # flushed; memory holds one chunk
        if report:
            ctx.progress(done, total)
    if digest.hexdigest() != params["seen"]:
        # raised before the commit: the job's transaction is rolled back, nothing of it is stored
        raise ValidationError({"confirm": [STALE]})
    session.commit()
    ctx.progress(total, total)
    return {"kind": spec.kind, "year": spec.year, "period": spec.period_key, "stored": stored}


def _register_jobs() -> None:
    from mingshi.core import jobs

    def admin(actor: Actor) -> bool:
        return actor.is_admin

    jobs.register(
        jobs.JobKind(
            "assessment_proposal", ("考核全部工作室：预览", "Assessing every studio: proposal"), run_proposal_job, admin
        )
    )
    jobs.register(
        jobs.JobKind(
            "assessment_confirm",
            ("考核全部工作室：确认保存", "Assessing every studio: storing"),
            run_confirm_job,
            admin,
        )
    )


_register_jobs()
