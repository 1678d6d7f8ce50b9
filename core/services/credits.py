"""Credit recognition at the cycle's end (学分认定): the platform proposes, the administrator confirms.

When a studio's cycle has ended and its end-of-cycle result is stored, the jurisdiction's rules (hook
``mingshi_credits``) propose the credits of the host and each member from that stored result. Looking
at the proposal changes nothing (:func:`preview`); the platform may record it as ``proposed`` rows
(:func:`store` without ``confirm``, or the background job for every studio of the cycle), and the
administrator confirms what they saw (:func:`store` with ``confirm``): refused when the data changed since
the preview, serialised on a lock of the tenant and studio so that two confirmations cannot both write.
A confirmed credit can be withdrawn or corrected with a reason; every change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from mingshi.core import models as m
from mingshi.core.db import serialize
from mingshi.core.i18n import CORE as _
from mingshi.core.i18n import Text
from mingshi.core.models.credit import PER_CREDIT
from mingshi.core.periods import Period
from mingshi.core.plugins import Jurisdiction, Jurisdictions, PluginLoadError
from mingshi.core.rules.results import (
    Consequence,
    Credit,
    Criterion,
    Evaluation,
    Grade,
    MemberResult,
    Status,
)
from mingshi.core.services import assessments, audit
from mingshi.core.services.access import Actor
from mingshi.core.services.evaluation import EvaluationSpec, build_facts, period_of
from mingshi.core.services.facts import person_key
from mingshi.core.services.workspace import jurisdiction_of, tenant_of

CYCLE = EvaluationSpec("cycle")
#: the largest number of credits one row may hold (a correction above it is refused by name)
MAX_CREDITS = Decimal(1000)
CURRENT = ("proposed", "confirmed")

STALE = "the data changed since the preview: look at the new proposal before confirming"


class CreditsError(PluginLoadError):
    """The jurisdiction's answer breaks the contract (a negative or inexact amount, an unknown person or rule)."""


# ---------------------------------------------------------------------------------------------
# the stored result as the rules' input


def result_fingerprint(record: m.AssessmentRecord) -> str:
    """A digest of the stored result (as stored: the tenant's language and English)."""
    text = json.dumps(record.result, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _criteria(items: list[dict[str, Any]]) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(c["id"], Status(c["status"]), c.get("basis") or "", Text(c.get("explanation") or ""),
                  c.get("value"), c.get("target"), c.get("period"))
        for c in items
    )  # fmt: skip


def evaluation_of(record: m.AssessmentRecord) -> Evaluation:
    """The stored result as an :class:`Evaluation` (the English rendering: the rules read codes, not words)."""
    result = record.result.get("en") or record.result
    members = [
        MemberResult(
            person=r["person"],
            status=r.get("status") or "active",
            grade=r.get("grade"),
            criteria=_criteria(r.get("criteria") or []),
            rule=r.get("rule"),
            date=dt.date.fromisoformat(r["date"]) if r.get("date") else None,
            reason=Text(r["reason"]) if r.get("reason") else None,
        )
        for r in result.get("members") or []
    ]
    consequences = [
        Consequence(
            c["type"],
            c.get("rule") or "",
            c.get("basis") or "",
            Text(c.get("explanation") or ""),
            year=c.get("year"),
            person=c.get("person"),
            date=dt.date.fromisoformat(c["date"]) if c.get("date") else None,
        )
        for c in result.get("consequences") or []
    ]
    return Evaluation(
        grade=Grade(record.grade),
        criteria=list(_criteria(result.get("criteria") or [])),
        members=members,
        consequences=consequences,
    )


#: a plain amount of credits as a person types it: digits, at most two decimal places
AMOUNT = re.compile(r"\d{1,4}(?:\.\d{1,2})?")


def to_hundredths(value: Any, *, field_name: str = "credits") -> int:
    """Credits typed by a person → hundredths; refused by name unless plain digits with at most two
    decimal places, between 0 and :data:`MAX_CREDITS` (checked on the text, before any conversion)."""
    text = str(value).strip() if value is not None else ""
    if not AMOUNT.fullmatch(text):
        raise ValidationError({field_name: ["a number of credits such as 24 or 24.5 (at most two decimal places)"]})
    amount = Decimal(text)
    if amount > MAX_CREDITS:
        raise ValidationError({field_name: ["at most 1000 credits"]})
    return int(amount * PER_CREDIT)


def credits_text(hundredths: int) -> str:
    """24 · 24.5 · 24.25 (no trailing zeros)."""
    amount = Decimal(hundredths) / PER_CREDIT
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return text or "0"


# ---------------------------------------------------------------------------------------------
# the proposal


@dataclass
class Line:
    """One person's proposed credits, beside the row in force for them (if any)."""

    person: m.Person
    credit: Credit
    hundredths: int
    current: m.CreditRecognition | None = None

    @property
    def confirmed(self) -> bool:
        return self.current is not None and self.current.state == "confirmed"

    @property
    def differs(self) -> bool:
        """A confirmed credit that the result no longer gives (a correction or a new result)."""
        return self.confirmed and self.current.hundredths != self.hundredths  # type: ignore[union-attr]


@dataclass
class Proposal:
    studio: m.Studio
    period: Period | None
    record: m.AssessmentRecord | None
    #: why nothing can be proposed now (None: the lines are the proposal)
    refusal: Text | None = None
    lines: list[Line] = field(default_factory=list)
    #: every proposed or confirmed row of the cycle (the people the rules no longer name included)
    rows: list[m.CreditRecognition] = field(default_factory=list)

    @property
    def storable(self) -> bool:
        return self.refusal is None and any(not line.confirmed for line in self.lines)

    @property
    def to_confirm(self) -> list[Line]:
        return [line for line in self.lines if not line.confirmed]

    def fingerprint(self) -> str:
        data = {
            "studio": self.studio.id,
            "record": self.record.id if self.record is not None else None,
            "result": result_fingerprint(self.record) if self.record is not None else None,
            "refusal": self.refusal.msgid if self.refusal is not None else None,
            "lines": sorted((ln.person.id, ln.hundredths, ln.credit.rule, ln.credit.basis) for ln in self.lines),
            "rows": sorted((r.id, r.state, r.hundredths) for r in self.rows),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


#: the rows show the person's name: their honours, events and designations are not loaded with them
_PERSON_NAME_ONLY = joinedload(m.CreditRecognition.person).lazyload("*")


def rows_of(session: Session, studio: m.Studio, period: str | None = None) -> list[m.CreditRecognition]:
    """The studio's proposed and confirmed credits (of ``period``, default every cycle), newest first."""
    stmt = select(m.CreditRecognition).where(
        m.CreditRecognition.studio_id == studio.id, m.CreditRecognition.state.in_(CURRENT)
    )
    if period is not None:
        stmt = stmt.where(m.CreditRecognition.period == period)
    stmt = stmt.options(_PERSON_NAME_ONLY).order_by(m.CreditRecognition.period_end.desc(), m.CreditRecognition.id)
    return list(session.scalars(stmt))


def history(session: Session, studio: m.Studio) -> list[m.CreditRecognition]:
    """Every row of the studio, withdrawn ones included, newest first."""
    return list(
        session.scalars(
            select(m.CreditRecognition)
            .options(_PERSON_NAME_ONLY)
            .where(m.CreditRecognition.studio_id == studio.id)
            .order_by(m.CreditRecognition.id.desc())
        )
    )


def _validated(jurisdiction: Jurisdiction, credits: list[Credit], people: dict[str, m.Person]) -> list[Line]:
    lines: list[Line] = []
    seen: set[str] = set()
    for credit in credits:
        where = f"jurisdiction plugin {jurisdiction.code!r}: mingshi_credits"
        if not isinstance(credit.credits, Decimal) or not credit.credits.is_finite():
            raise CreditsError(f"{where} gives {credit.credits!r} for {credit.person}: credits are an exact Decimal")
        if credit.credits < 0 or credit.credits.as_tuple().exponent < -2:  # type: ignore[operator]
            raise CreditsError(f"{where} gives {credit.credits} for {credit.person}: ≥ 0, at most two places")
        if credit.rule not in jurisdiction.rules:
            raise CreditsError(f"{where} names the undeclared rule {credit.rule!r}")
        if credit.person not in people:
            raise CreditsError(f"{where} names {credit.person!r}, who is not a member of the studio")
        if credit.person in seen:
            raise CreditsError(f"{where} names {credit.person!r} twice")
        seen.add(credit.person)
        lines.append(Line(people[credit.person], credit, int(credit.credits * PER_CREDIT)))
    return lines


def preview(session: Session, jurisdictions: Jurisdictions, studio: m.Studio, *, today: dt.date) -> Proposal:
    """What the rules propose for ``studio``'s cycle from its stored result (reads only)."""
    jurisdiction = jurisdiction_of(session, jurisdictions)
    if studio.cycle_start is None or "cycle" not in jurisdiction.info.evaluations:
        return Proposal(studio, None, None, _("the studio has no cycle start"))
    period = period_of(session, jurisdictions, studio, CYCLE)
    rows = rows_of(session, studio, period.key)
    if period.end >= today:
        return Proposal(
            studio,
            period,
            None,
            _("the cycle ends on %(end)s: credits are recognized only after it has ended", end=period.end),
            rows=rows,
        )
    record = assessments.latest_record(session, studio, CYCLE)
    if record is None:
        return Proposal(
            studio,
            period,
            None,
            _("the end-of-cycle assessment is not stored yet: store it first, then recognize the credits from it"),
            rows=rows,
        )
    if record.grade == Grade.PENDING:
        return Proposal(
            studio,
            period,
            record,
            _("the stored end-of-cycle result awaits a judgement (pending): record it and store the result again"),
            rows=rows,
        )
    _j, _p, facts = build_facts(session, jurisdictions, studio, CYCLE)
    credits = jurisdiction.credits(facts=facts, period=period, evaluation=evaluation_of(record))
    memberships = session.scalars(
        select(m.Membership)
        .options(joinedload(m.Membership.person).lazyload("*"))
        .where(m.Membership.studio_id == studio.id)
        .order_by(m.Membership.id)
    )
    people = {person_key(ms.person): ms.person for ms in memberships}
    lines = _validated(jurisdiction, credits, people)
    by_person = {r.person_id: r for r in rows}
    for line in lines:
        line.current = by_person.get(line.person.id)
    return Proposal(studio, period, record, None, lines, rows)


# ---------------------------------------------------------------------------------------------
# writing


def _lock(session: Session, studio: m.Studio) -> None:
    serialize(session, "credits", tenant_of(session).id, studio.id)


def _texts(text: Text) -> dict[str, str]:
    return {"zh_CN": text.render("zh_CN"), "en": text.render("en")}


def _withdraw_row(session: Session, actor: Actor, row: m.CreditRecognition, reason: str, action: str) -> None:
    before = {"state": row.state, "credits": credits_text(row.hundredths)}
    row.state = "withdrawn"
    row.withdrawn_at = dt.datetime.now(dt.UTC)
    row.withdrawn_by_id = actor.user_id
    row.withdrawal_reason = reason
    session.flush()
    audit.record(session, actor, action, "credit_recognition", row.id, before, {"state": "withdrawn", "reason": reason})


SUPERSEDED = "superseded by a new proposal from the stored result"


def store(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    studio: m.Studio,
    *,
    today: dt.date,
    seen: str,
    confirm: bool,
) -> list[m.CreditRecognition]:
    """Record the proposal the administrator saw (``seen``): as ``proposed`` rows, or ``confirm`` it.

    The lock of the tenant and studio is taken before the proposal is recomputed, so a second
    confirmation waits for the first, then finds the rows it wrote: its fingerprint no longer matches
    and it is refused — one confirmed row per person. Confirmed credits are left as they are (a
    correction changes them); a proposed row the new proposal replaces is withdrawn as superseded."""
    actor.require_admin()
    _lock(session, studio)
    proposal = preview(session, jurisdictions, studio, today=today)
    if proposal.fingerprint() != seen:
        raise ValidationError({"confirm": [STALE]})
    if proposal.refusal is not None:
        raise ValidationError({"period": [proposal.refusal]})
    assert proposal.period is not None and proposal.record is not None
    fingerprint = result_fingerprint(proposal.record)
    now = dt.datetime.now(dt.UTC)
    written: list[m.CreditRecognition] = []
    for line in proposal.to_confirm:
        row = line.current
        same = row is not None and row.hundredths == line.hundredths and row.result_fingerprint == fingerprint
        if row is not None and not same:
            _withdraw_row(session, actor, row, SUPERSEDED, "supersede_credit")
            row = None
        if row is None:
            row = m.CreditRecognition(
                studio_id=studio.id,
                person_id=line.person.id,
                assessment_id=proposal.record.id,
                period=proposal.period.key,
                period_start=proposal.period.start,
                period_end=proposal.period.end,
                role=line.credit.role,
                hundredths=line.hundredths,
                rule=line.credit.rule,
                basis=line.credit.basis,
                explanation=_texts(line.credit.explanation),
                result_fingerprint=fingerprint,
                state="proposed",
                proposed_by_id=actor.user_id,
            )
            session.add(row)
            session.flush()
            audit.record(session, actor, "propose_credit", "credit_recognition", row.id, None, _snapshot(row))
        elif not confirm:
            continue  # the same proposal is recorded already
        if confirm:
            row.state = "confirmed"
            row.confirmed_at = now
            row.confirmed_by_id = actor.user_id
            row.confirmed_by_name = actor.name
            session.flush()
            audit.record(
                session, actor, "confirm_credit", "credit_recognition", row.id, {"state": "proposed"},
                {"state": "confirmed", "credits": credits_text(row.hundredths)},
            )  # fmt: skip
        written.append(row)
    return written


def _snapshot(row: m.CreditRecognition) -> dict[str, Any]:
    return {
        "studio_id": row.studio_id,
        "person_id": row.person_id,
        "period": row.period,
        "role": row.role,
        "credits": credits_text(row.hundredths),
        "rule": row.rule,
        "basis": row.basis,
        "state": row.state,
        "assessment_id": row.assessment_id,
    }


def withdraw(session: Session, actor: Actor, row: m.CreditRecognition, *, reason: str) -> m.CreditRecognition:
    """Withdraw a proposed or confirmed credit with a reason (it stays in the history)."""
    actor.require_admin()
    if not (reason or "").strip():
        raise ValidationError({"reason": ["may not be empty"]})
    studio = session.get(m.Studio, row.studio_id)
    _lock(session, studio)
    session.refresh(row)
    if row.state == "withdrawn":
        raise ValidationError({"withdraw": ["this credit has already been withdrawn"]})
    _withdraw_row(session, actor, row, reason.strip(), "withdraw_credit")
    return row


def correct(
    session: Session, actor: Actor, row: m.CreditRecognition, *, hundredths: int, reason: str
) -> m.CreditRecognition:
    """Correct a confirmed credit's amount with a reason; the audit log keeps before → after."""
    actor.require_admin()
    if not (reason or "").strip():
        raise ValidationError({"reason": ["may not be empty"]})
    studio = session.get(m.Studio, row.studio_id)
    _lock(session, studio)
    session.refresh(row)
    if row.state != "confirmed":
        raise ValidationError({"credits": ["only a confirmed credit is corrected"]})
    if row.hundredths == hundredths:
        raise ValidationError({"credits": ["the same as the confirmed credits"]})
    before = {"credits": credits_text(row.hundredths)}
    row.hundredths = hundredths
    session.flush()
    audit.record(
        session, actor, "correct_credit", "credit_recognition", row.id, before,
        {"credits": credits_text(hundredths), "reason": reason.strip()},
    )  # fmt: skip
    return row


# ---------------------------------------------------------------------------------------------
# reading


def confirmed_of_person(session: Session, person: m.Person) -> list[tuple[m.CreditRecognition, str]]:
    """A person's confirmed credits with the studio's name, newest cycle first (one query)."""
    return [
        (row, name)
        for row, name in session.execute(
            select(m.CreditRecognition, m.Studio.name)
            .join(m.Studio, m.Studio.id == m.CreditRecognition.studio_id)
            .where(m.CreditRecognition.person_id == person.id, m.CreditRecognition.state == "confirmed")
            .order_by(m.CreditRecognition.period_end.desc(), m.CreditRecognition.id)
        )
    ]


def export_rows(session: Session) -> Any:
    """Every confirmed credit of the tenant, by studio and person (streamed): (studio name, person name,
    row)."""
    return session.execute(
        select(m.Studio.name, m.Person.name, m.CreditRecognition)
        .join(m.Studio, m.Studio.id == m.CreditRecognition.studio_id)
        .join(m.Person, m.Person.id == m.CreditRecognition.person_id)
        .where(m.CreditRecognition.state == "confirmed")
        .order_by(m.Studio.name, m.CreditRecognition.period_end, m.Person.name, m.CreditRecognition.id)
        .execution_options(yield_per=500)
    )


# ---------------------------------------------------------------------------------------------
# every studio of the tenant whose cycle has ended, as background jobs: the proposal, then its confirmation


def ended_studios(session: Session, jurisdictions: Jurisdictions, *, today: dt.date) -> list[m.Studio]:
    """The studios (active or completed) whose cycle has ended by ``today``, in id order."""
    found = []
    for studio in session.scalars(
        select(m.Studio)
        .where(m.Studio.status.in_(("active", "completed")), m.Studio.cycle_start.is_not(None))
        .order_by(m.Studio.id)
    ):
        if period_of(session, jurisdictions, studio, CYCLE).end < today:
            found.append(studio)
    return found


def _row(proposal: Proposal) -> dict[str, Any]:
    """What the job page shows of one studio's proposal (JSON, kept as the job's result)."""
    return {
        "studio_id": proposal.studio.id,
        "studio": proposal.studio.name,
        "refusal": _texts(proposal.refusal) if proposal.refusal is not None else None,
        "people": len(proposal.lines),
        "to_confirm": len(proposal.to_confirm),
        "credits": credits_text(sum(line.hundredths for line in proposal.to_confirm)),
        "seen": proposal.fingerprint(),
    }


def run_proposal_job(ctx: Any) -> dict[str, Any]:
    """The platform proposes the credits of every studio whose cycle has ended (``proposed`` rows; nothing
    is confirmed), with progress; the result lists each studio with the fingerprint of what it now shows."""
    from mingshi.core.services.access import actor_for

    session, job = ctx.session, ctx.job
    today = dt.date.fromisoformat(job.params["today"])
    actor = actor_for(session, session.get(m.User, job.requested_by_id), today=today)
    actor.require_admin()
    studios = ended_studios(session, ctx.jurisdictions, today=today)
    ctx.progress(0, len(studios))
    rows = []
    for done, studio in enumerate(studios, start=1):
        proposal = preview(session, ctx.jurisdictions, studio, today=today)
        if proposal.refusal is None and proposal.to_confirm:
            store(session, actor, ctx.jurisdictions, studio, today=today, seen=proposal.fingerprint(), confirm=False)
            proposal = preview(session, ctx.jurisdictions, studio, today=today)
        rows.append(_row(proposal))
        session.commit()  # each studio's proposal on its own: a long job holds no lock for long
        ctx.progress(done, len(studios))
    return {"rows": rows, "studios": len(rows), "to_confirm": sum(1 for r in rows if r["to_confirm"])}


def run_confirm_job(ctx: Any) -> dict[str, Any]:
    """Confirm the proposals listed by a proposal job (``seen``: each studio's fingerprint) in one
    transaction, refused as a whole (nothing confirmed) when any studio's data changed since."""
    from mingshi.core.services.access import actor_for

    session, job = ctx.session, ctx.job
    today = dt.date.fromisoformat(job.params["today"])
    actor = actor_for(session, session.get(m.User, job.requested_by_id), today=today)
    actor.require_admin()
    seen: dict[str, str] = job.params["seen"]
    ctx.progress(0, len(seen))
    # on SQLite the writing transaction holds the database: the progress is reported at the end there
    report = session.get_bind().dialect.name != "sqlite"
    confirmed = 0
    for done, (studio_id, fingerprint) in enumerate(sorted(seen.items(), key=lambda kv: int(kv[0])), start=1):
        studio = session.get(m.Studio, int(studio_id))
        if studio is None:
            raise ValidationError({"confirm": [STALE]})
        confirmed += len(store(session, actor, ctx.jurisdictions, studio, today=today, seen=fingerprint, confirm=True))
        if report:
            ctx.progress(done, len(seen))
    session.commit()
    ctx.progress(len(seen), len(seen))
    return {"confirmed": confirmed, "studios": len(seen)}


def _register_jobs() -> None:
    from mingshi.core import jobs

    def admin(actor: Actor) -> bool:
        return actor.is_admin

    proposing = ("学分认定：生成全部工作室的建议", "Credit recognition: proposing for every studio")
    confirming = ("学分认定：确认全部建议", "Credit recognition: confirming every proposal")
    jobs.register(jobs.JobKind("credit_proposal", proposing, run_proposal_job, admin))
    jobs.register(jobs.JobKind("credit_confirm", confirming, run_confirm_job, admin))


_register_jobs()
