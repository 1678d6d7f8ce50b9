"""Build :class:`mingshi.core.rules.facts.StudioFacts` from the database.

:func:`load_facts` reads the facts of any number of studios of a tenant in a constant number of
statements, streamed and merged studio by studio; :func:`load_studio_facts` is the same loader for
one studio. :func:`facts_window` says which dated rows an assessment of a period needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Date, and_, case, func, literal, or_, select, union
from sqlalchemy.orm import Session, aliased

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
from mingshi.core.rules.records import record_ref


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


def studio_fact(studio: m.Studio, matching: Iterable[tuple[int, int, int]] = ()) -> StudioFact:
    """The studio's fact; ``matching`` holds its school matching-fund allocations as ``(year, fen, id)``."""
    matching = list(matching)
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
        matching_funds=tuple((year, fen) for year, fen, _id in matching),
        matching_records=tuple((year, record_ref("allocation", i)) for year, _fen, i in matching),
    )


def tenant_parameter_values(session: Session) -> dict[str, list[DatedValue]]:
    """The tenant's dated parameter values, by parameter id."""
    values: dict[str, list[DatedValue]] = defaultdict(list)
    rows = session.scalars(select(m.ParameterValue).order_by(m.ParameterValue.valid_from, m.ParameterValue.id))
    for row in rows:
        values[row.param_id].append(DatedValue(row.valid_from, row.value, row.basis))
    return dict(values)


def matching_funds(session: Session, studio_id: int) -> list[tuple[int, int, int]]:
    """The studio's school matching-fund allocations as ``(year, fen, id)`` (what :func:`studio_fact` takes)."""
    rows = session.execute(
        select(m.FundAllocation.year, m.FundAllocation.amount_fen, m.FundAllocation.id)
        .where(m.FundAllocation.studio_id == studio_id, m.FundAllocation.source == "school_matching")
        .order_by(m.FundAllocation.id)
    )
    return [(year, fen, i) for year, fen, i in rows]


@dataclass(frozen=True)
class FactsRequest:
    """One studio whose facts are wanted: as of ``as_of``, with the activities and expenses dated
    from ``since`` to ``until`` (None: no bound)."""

    studio: m.Studio
    as_of: dt.date
    since: dt.date | None = None
    until: dt.date | None = None
    attestation_period: str | None = None


@dataclass(frozen=True)
class MembershipRow:
    id: int
    person: str
    role: str
    joined: dt.date
    left: dt.date | None
    removal_rule: str | None
    removal_reason: str | None


@dataclass(frozen=True)
class LoadedStudio:
    request: FactsRequest
    facts: StudioFacts
    #: the studio's memberships in id order (what member results list)
    memberships: tuple[MembershipRow, ...]


def facts_window(studio: StudioFact, period_start: dt.date, period_end: dt.date) -> tuple[dt.date, dt.date | None]:
    """The dated rows an assessment of a period reads: from the studio's cycle start (or the period's
    start, if earlier) to the period's end.

    Why the cycle start and not the period's start: the plugins' annual rules read the cycle so far
    (Shenyang's per-cycle tasks, Wushen's in-cycle pairings and semesters), Wenzhou numbers each
    activity report from the first activity, and trainee absences count from joining. Nothing reads
    an activity or an expense after the period's end (facts are as of that day) — except for a
    studio whose cycle begins after the period: Shenyang's annual rules then read the whole cycle
    ahead (``until`` is None). A studio's earlier cycles and every later year are not loaded.
    """
    since = period_start if studio.cycle_start is None else min(period_start, studio.cycle_start)
    until = period_end if studio.cycle_start is None or studio.cycle_start <= period_end else None
    return since, until


class _Stream:
    """Rows of one statement ordered by studio id, consumed studio by studio (a merge join)."""

    def __init__(self, rows: Iterable[Any]):
        self._rows = iter(rows)
        self._head: Any = next(self._rows, None)

    def take(self, studio_id: int) -> list[Any]:
        out = []
        while self._head is not None and self._head[0] < studio_id:
            self._head = next(self._rows, None)  # rows of a studio not asked for (written meanwhile)
        while self._head is not None and self._head[0] == studio_id:
            out.append(self._head)
            self._head = next(self._rows, None)
        return out


#: rows fetched from each streamed statement at a time
YIELD_PER = 2000


def load_facts(
    session: Session,
    requests: Iterable[FactsRequest],
    *,
    jurisdiction: str,
    params: ParamSet,
    scope: Any = None,
) -> Iterator[LoadedStudio]:
    """The facts of many studios of the session's tenant, in studio-id order.

    A constant number of statements whatever the number of studios (one per table, about twenty),
    each streamed in studio order and merged here; the caller consumes the studios one at a time,
    so memory holds the requests and the rows of the studio being built (and what the database
    driver buffers: ``YIELD_PER`` rows of each statement).

    ``scope``: a SELECT of the requested studios' ids (e.g. every active studio of the tenant), used
    in the statements instead of a list of ids, which would grow with the number of studios; the
    requests must then be exactly those studios.
    The activities (with their leaders and attendance) and expenses are read only within each
    request's ``since``/``until``; the rest of a studio's record is small and read whole.
    """
    for (loaded,) in load_facts_variants(
        session, [(r,) for r in requests], jurisdiction=jurisdiction, params=(params,), scope=scope
    ):
        yield loaded


def load_facts_variants(
    session: Session,
    requests: Iterable[Sequence[FactsRequest]],
    *,
    jurisdiction: str,
    params: Sequence[ParamSet],
    scope: Any = None,
) -> Iterator[tuple[LoadedStudio, ...]]:
    """:func:`load_facts` for several parameter sets at once (a what-if: the values in force and a
    proposed one): each studio's rows are read and merged once, and its facts built for each
    ``params[i]`` with its request ``requests[k][i]`` (all requests of a group are of one studio).

    A request equal to the one before it (the parameter does not move the studio's period) shares
    that variant's facts, only the parameters differ; otherwise its facts are built again from the
    same rows within its own window. The statements read the union of every variant's windows.
    """
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        raise ValueError("load_facts needs a session bound to a tenant")
    groups = sorted((tuple(g) for g in requests), key=lambda g: g[0].studio.id)
    if not groups:
        return
    if any(len(g) != len(params) or any(r.studio is not g[0].studio for r in g) for g in groups):
        raise ValueError("each studio needs one request per parameter set, all of that studio")
    ordered = [r for g in groups for r in g]  # every variant's request: the SQL window covers them all
    ids = [g[0].studio.id for g in groups]
    S = m.Studio

    def studio_filter(column: Any) -> Any:
        return column.in_(scope if scope is not None else ids)

    # the window in SQL: a superset of every request's window, exact where they share a bound
    bounded = [r.until for r in ordered if r.until is not None]
    until = max(bounded) if bounded else None
    # a request without an upper bound is one whose cycle begins after the others' end (see
    # facts_window): ``date <= until OR cycle_start > until`` still covers it; any other: no bound
    upper_or_later_cycle = until is not None and all(
        r.studio.cycle_start is not None and r.studio.cycle_start > until for r in ordered if r.until is None
    )
    sinces = [r.since for r in ordered]
    lower: Any = None
    if None not in sinces:
        # each request's since is its cycle start, or an earlier day common to the batch (the period's
        # start): min(that day, cycle start) per studio is exact for both, a superset otherwise
        loose = [r.since for r in ordered if r.studio.cycle_start is None or r.since < r.studio.cycle_start]
        if not loose:
            lower = S.cycle_start
        else:
            floor = min(d for d in loose if d is not None)
            lower = case(
                (and_(S.cycle_start.is_not(None), S.cycle_start < floor), S.cycle_start),
                else_=literal(floor, Date),
            )

    def dated(stmt: Any, column: Any) -> Any:
        if upper_or_later_cycle:
            stmt = stmt.where(or_(column <= until, S.cycle_start > until))
        if lower is not None:
            stmt = stmt.where(column >= lower)
        return stmt

    # many studios: server-side cursors, YIELD_PER rows at a time; one studio: its rows at once
    # (a server-side cursor would cost PostgreSQL round trips for a handful of rows)
    streamed = len(groups) > 1

    def stream(stmt: Any) -> _Stream:
        return _Stream(session.execute(stmt.execution_options(yield_per=YIELD_PER) if streamed else stmt))

    A, AL, AT = m.Activity, m.ActivityLeader, m.Attendance
    OU, OP = m.Output, m.OutputPerson
    # a withdrawn record (a correction) stays in the history and counts nowhere
    acts_where = (
        A.tenant_id == tenant_id,
        S.tenant_id == tenant_id,
        studio_filter(A.studio_id),
        A.withdrawn_at.is_(None),
    )

    schools = {
        row[0]: SchoolFact(key=row[1] or str(row[0]), name=row[2], county=row[3], rural=row[4], stage=row[5])
        for row in session.execute(
            select(m.School.id, m.School.ref, m.School.name, m.School.county, m.School.rural, m.School.stage)
        )
    }

    # who each studio's rows name: members, attendees, leaders, authors, instructors, pairings, attestations
    refs = union(
        select(m.Membership.studio_id, m.Membership.person_id).where(
            m.Membership.tenant_id == tenant_id, studio_filter(m.Membership.studio_id)
        ),
        dated(
            select(A.studio_id, AT.person_id).join(A, A.id == AT.activity_id).join(S, S.id == A.studio_id),
            A.date,
        ).where(AT.tenant_id == tenant_id, *acts_where),
        dated(
            select(A.studio_id, AL.person_id).join(A, A.id == AL.activity_id).join(S, S.id == A.studio_id),
            A.date,
        ).where(AL.tenant_id == tenant_id, *acts_where),
        select(OU.studio_id, OP.person_id)
        .join(OU, OU.id == OP.output_id)
        .where(
            OP.tenant_id == tenant_id,
            OU.tenant_id == tenant_id,
            studio_filter(OU.studio_id),
            OU.withdrawn_at.is_(None),
        ),
        select(m.StudentAward.studio_id, m.StudentAward.first_instructor_id).where(
            m.StudentAward.tenant_id == tenant_id,
            studio_filter(m.StudentAward.studio_id),
            m.StudentAward.withdrawn_at.is_(None),
        ),
        select(m.Pairing.studio_id, m.Pairing.person_id).where(
            m.Pairing.tenant_id == tenant_id, studio_filter(m.Pairing.studio_id)
        ),
        select(m.Attestation.studio_id, m.Attestation.person_id).where(
            m.Attestation.tenant_id == tenant_id,
            studio_filter(m.Attestation.studio_id),
            m.Attestation.person_id.is_not(None),
        ),
    ).subquery("refs")
    sid, pid = refs.c[0], refs.c[1]
    P = m.Person
    people = stream(
        select(
            sid,
            P.id,
            P.ref,
            P.name,
            P.sex,
            P.born,
            P.school_id,
            P.position,
            P.title,
            P.backbone_level,
            P.retirement_date,
        )
        .join(P, P.id == pid)
        .where(P.tenant_id == tenant_id)
        .order_by(sid, P.id)
    )
    honors = stream(
        select(sid, m.PersonHonor.person_id, m.PersonHonor.honor)
        .join(refs, pid == m.PersonHonor.person_id)
        .where(m.PersonHonor.tenant_id == tenant_id)
        .order_by(sid, m.PersonHonor.person_id, m.PersonHonor.id)
    )
    B = m.BackboneDesignation
    backbone = stream(
        select(sid, B.person_id, B.level, B.date)
        .join(refs, pid == B.person_id)
        .where(B.tenant_id == tenant_id)
        .order_by(sid, B.person_id, B.date, B.id)
    )
    E = m.PersonEvent
    events = stream(
        select(sid, E.person_id, E.type, E.date)
        .join(refs, pid == E.person_id)
        .where(E.tenant_id == tenant_id)
        .order_by(sid, E.person_id, E.date, E.id)
    )
    MS = m.Membership
    memberships = stream(
        select(
            MS.studio_id,
            MS.id,
            MS.person_id,
            MS.role,
            MS.joined,
            MS.left,
            MS.category,
            MS.removal_reason,
            MS.removal_rule,
            MS.reinstated_on,
        )
        .where(MS.tenant_id == tenant_id, studio_filter(MS.studio_id))
        .order_by(MS.studio_id, MS.joined, MS.id)
    )
    activities = stream(
        dated(
            select(
                A.studio_id,
                A.id,
                A.ref,
                A.date,
                A.type,
                A.mode,
                A.scope,
                A.school_id,
                A.title,
                A.notice_published,
                A.plan_approved,
                A.report_published,
            ).join(S, S.id == A.studio_id),
            A.date,
        )
        .where(*acts_where)
        .order_by(A.studio_id, A.date, A.id)
    )
    leaders = stream(
        dated(
            select(A.studio_id, AL.activity_id, AL.person_id)
            .join(A, A.id == AL.activity_id)
            .join(S, S.id == A.studio_id),
            A.date,
        )
        .where(AL.tenant_id == tenant_id, *acts_where)
        .order_by(A.studio_id, AL.activity_id, AL.id)
    )
    attendance = stream(
        dated(
            select(A.studio_id, AT.activity_id, AT.person_id, AT.status, AT.leave_approved)
            .join(A, A.id == AT.activity_id)
            .join(S, S.id == A.studio_id),
            A.date,
        )
        .where(AT.tenant_id == tenant_id, *acts_where)
        .order_by(A.studio_id, AT.activity_id, AT.id)
    )
    outputs = stream(
        select(
            OU.studio_id, OU.id, OU.type, OU.date, OU.level, OU.published, OU.chars, OU.status, OU.title, OU.school_id
        )
        .where(OU.tenant_id == tenant_id, studio_filter(OU.studio_id), OU.withdrawn_at.is_(None))
        .order_by(OU.studio_id, OU.date, OU.id)
    )
    output_people = stream(
        select(OU.studio_id, OP.output_id, OP.person_id)
        .join(OU, OU.id == OP.output_id)
        .where(
            OP.tenant_id == tenant_id,
            OU.tenant_id == tenant_id,
            studio_filter(OU.studio_id),
            OU.withdrawn_at.is_(None),
        )
        .order_by(OU.studio_id, OP.output_id, OP.id)
    )
    W = m.StudentAward
    awards = stream(
        select(W.studio_id, W.competition, W.level, W.rank, W.first_instructor_id, W.date, W.id)
        .where(W.tenant_id == tenant_id, studio_filter(W.studio_id), W.withdrawn_at.is_(None))
        .order_by(W.studio_id, W.date, W.id)
    )
    PA = m.Pairing
    pairings = stream(
        select(PA.studio_id, PA.person_id, PA.rural_teacher, PA.date)
        .where(PA.tenant_id == tenant_id, studio_filter(PA.studio_id))
        .order_by(PA.studio_id, PA.id)
    )
    F = m.Finding
    findings = stream(
        select(F.studio_id, F.type, F.date)
        .where(F.tenant_id == tenant_id, studio_filter(F.studio_id))
        .order_by(F.studio_id, F.date, F.id)
    )
    X = m.Expense
    # a reversal counts on its original's date (the original's year), as in the ledger's reports
    XO = aliased(m.Expense)
    booked = func.coalesce(XO.date, X.date)
    expenses = stream(
        dated(
            select(X.studio_id, booked, X.category, X.amount_fen, X.id)
            .join(S, S.id == X.studio_id)
            .outerjoin(XO, and_(XO.id == X.reverses_id, XO.tenant_id == tenant_id)),
            booked,
        )
        .where(X.tenant_id == tenant_id, S.tenant_id == tenant_id, studio_filter(X.studio_id))
        .order_by(X.studio_id, booked, X.id)
    )
    T = m.Attestation
    attestations = stream(
        select(T.studio_id, T.rule_id, T.value, T.person_id, T.period, T.reviewer_name, T.comment)
        .where(T.tenant_id == tenant_id, studio_filter(T.studio_id))
        .order_by(T.studio_id, T.recorded_at, T.id)
    )
    FA = m.FundAllocation
    matching = stream(
        select(FA.studio_id, FA.year, FA.amount_fen, FA.id)
        .where(FA.tenant_id == tenant_id, studio_filter(FA.studio_id), FA.source == "school_matching")
        .order_by(FA.studio_id, FA.id)
    )

    for group in groups:
        studio = group[0].studio
        s_id = studio.id
        by_person_honor: dict[int, set[str]] = defaultdict(set)
        for row in honors.take(s_id):
            by_person_honor[row[1]].add(row[2])
        by_person_backbone: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
        for row in backbone.take(s_id):
            by_person_backbone[row[1]].append((row[2], row[3]))
        by_person_events: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
        for row in events.take(s_id):
            by_person_events[row[1]].append((row[2], row[3]))
        keys: dict[int, str] = {}
        person_facts: dict[str, PersonFact] = {}
        people_schools: dict[str, SchoolFact] = {}
        for row in people.take(s_id):
            key = row[2] or str(row[1])
            keys[row[1]] = key
            school = schools.get(row[6]) if row[6] is not None else None
            if school is not None:
                people_schools[school.key] = school
            person_facts[key] = PersonFact(
                key=key,
                name=row[3],
                sex=row[4],
                born=row[5],
                school=school,
                position=row[7],
                title=row[8],
                backbone_level=row[9],
                backbone_history=tuple(by_person_backbone.get(row[1], ())),
                honors=frozenset(by_person_honor.get(row[1], ())),
                retirement_date=row[10],
                events=tuple(by_person_events.get(row[1], ())),
            )

        ms_rows = memberships.take(s_id)
        lead: dict[int, list[str]] = defaultdict(list)
        for row in leaders.take(s_id):
            lead[row[1]].append(keys[row[2]])
        present: dict[int, list[tuple[str, str, dt.date | None]]] = defaultdict(list)
        for row in attendance.take(s_id):
            present[row[1]].append((keys[row[2]], row[3], row[4]))
        authors: dict[int, list[str]] = defaultdict(list)
        for row in output_people.take(s_id):
            authors[row[1]].append(keys[row[2]])
        activity_rows = activities.take(s_id)
        output_rows = outputs.take(s_id)
        output_facts = tuple(
            OutputFact(
                key=str(row[1]),
                type=row[2],
                date=row[3],
                people=tuple(authors.get(row[1], ())),
                level=row[4],
                published=row[5],
                chars=row[6],
                status=row[7],
                title=row[8],
                school=schools[row[9]] if row[9] is not None else None,
                record=record_ref("output", row[1]),
            )
            for row in output_rows
        )
        studio_record = studio_fact(studio, [(row[1], row[2], row[3]) for row in matching.take(s_id)])
        membership_facts = tuple(
            MembershipFact(
                person=person_facts[keys[row[2]]],
                role=row[3],
                joined=row[4],
                left=row[5],
                category=row[6],
                removal_reason=row[7],
                removal_rule=row[8],
                reinstated_on=row[9],
            )
            for row in ms_rows
        )
        award_facts = tuple(
            AwardFact(r[1], r[2], r[3], keys[r[4]], r[5], record=record_ref("award", r[6])) for r in awards.take(s_id)
        )
        pairing_facts = tuple(PairingFact(keys[r[1]], r[2], r[3]) for r in pairings.take(s_id))
        finding_facts = tuple(FindingFact(r[1], r[2]) for r in findings.take(s_id))
        expense_rows = expenses.take(s_id)
        attestation_facts = tuple(
            AttestationFact(
                rule_id=r[1],
                value=r[2],
                person=keys[r[3]] if r[3] is not None else None,
                period=r[4],
                reviewer=r[5],
                comment=r[6],
            )
            for r in attestations.take(s_id)
        )
        rows = tuple(
            MembershipRow(r[1], keys[r[2]], r[3], r[4], r[5], r[8], r[7]) for r in sorted(ms_rows, key=lambda r: r[1])
        )

        shared = _Shared(
            jurisdiction=jurisdiction,
            schools=schools,
            studio=studio_record,
            people=person_facts,
            people_schools=people_schools,
            memberships=membership_facts,
            activity_rows=activity_rows,
            lead=lead,
            present=present,
            outputs=output_facts,
            awards=award_facts,
            pairings=pairing_facts,
            findings=finding_facts,
            expense_rows=expense_rows,
            attestations=attestation_facts,
        )
        built: list[LoadedStudio] = []
        for request, variant_params in zip(group, params, strict=True):
            previous = built[-1] if built else None
            if previous is not None and _same_window(previous.request, request):
                facts = replace(previous.facts, params=variant_params)
            else:
                facts = shared.build(request, variant_params)
            built.append(LoadedStudio(request, facts, rows))
        yield tuple(built)


@dataclass(frozen=True)
class _Shared:
    """One studio's rows and the facts that do not depend on the evaluated window."""

    jurisdiction: str
    schools: dict[int, SchoolFact]
    studio: StudioFact
    people: dict[str, PersonFact]
    people_schools: dict[str, SchoolFact]
    memberships: tuple[MembershipFact, ...]
    activity_rows: list[Any]
    lead: dict[int, list[str]]
    present: dict[int, list[tuple[str, str, dt.date | None]]]
    outputs: tuple[OutputFact, ...]
    awards: tuple[AwardFact, ...]
    pairings: tuple[PairingFact, ...]
    findings: tuple[FindingFact, ...]
    expense_rows: list[Any]
    attestations: tuple[AttestationFact, ...]

    def build(self, request: FactsRequest, params: ParamSet) -> StudioFacts:
        """The studio's facts for ``request``: its activities and expenses within the request's window."""
        lo, hi = request.since, request.until

        def inside(day: dt.date) -> bool:
            return (lo is None or day >= lo) and (hi is None or day <= hi)

        # the schools the facts name, in the order a reader meets them: people's, activities', outputs'
        used_schools = dict(self.people_schools)
        schools, lead, present = self.schools, self.lead, self.present

        def school_of(school_id: int | None) -> SchoolFact | None:
            if school_id is None:
                return None
            fact = schools[school_id]
            used_schools.setdefault(fact.key, fact)
            return fact

        activity_facts = tuple(
            ActivityFact(
                key=row[2] or str(row[1]),
                date=row[3],
                type=row[4],
                mode=row[5],
                scope=row[6],
                school=school_of(row[7]),
                led_by=tuple(lead.get(row[1], ())),
                title=row[8],
                attendance=tuple((k, st) for k, st, _l in present.get(row[1], ())),
                leave_approved=tuple((k, la) for k, _st, la in present.get(row[1], ()) if la is not None),
                notice_published=row[9],
                plan_approved=row[10],
                report_published=row[11],
                record=record_ref("activity", row[1]),
            )
            for row in self.activity_rows
            if inside(row[3])
        )
        for output in self.outputs:
            if output.school is not None:
                used_schools.setdefault(output.school.key, output.school)
        return StudioFacts(
            jurisdiction=self.jurisdiction,
            studio=self.studio,
            as_of=request.as_of,
            params=params,
            people=self.people,
            memberships=self.memberships,
            activities=activity_facts,
            outputs=self.outputs,
            awards=self.awards,
            pairings=self.pairings,
            findings=self.findings,
            expenses=tuple(
                ExpenseFact(r[1], r[2], r[3], record=record_ref("expense", r[4]))
                for r in self.expense_rows
                if inside(r[1])
            ),
            attestations=self.attestations,
            schools=used_schools,
            attestation_period=request.attestation_period,
        )


def _same_window(a: FactsRequest, b: FactsRequest) -> bool:
    return (a.as_of, a.since, a.until, a.attestation_period) == (b.as_of, b.since, b.until, b.attestation_period)


def load_studio_facts(
    session: Session,
    studio: m.Studio,
    *,
    jurisdiction: str,
    as_of: dt.date,
    params: ParamSet,
    attestation_period: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> StudioFacts:
    """One studio's facts: :func:`load_facts` for a single studio (the same statements)."""
    return load_studio(
        session,
        FactsRequest(studio, as_of, since, until, attestation_period),
        jurisdiction=jurisdiction,
        params=params,
    ).facts


def load_studio(session: Session, request: FactsRequest, *, jurisdiction: str, params: ParamSet) -> LoadedStudio:
    loaded = list(load_facts(session, [request], jurisdiction=jurisdiction, params=params))
    return loaded[0]


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
