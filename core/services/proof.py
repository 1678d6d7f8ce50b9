"""From a number to its proof: the records an assessment criterion counted, each with its files.

A criterion carries the references of the records it counted (:attr:`Criterion.counted`,
``"award:6"``; :mod:`mingshi.core.rules.records`). :func:`counted_records` turns a page of them into
rows a reviewer reads — date, title, type — with the record's current evidence files, in a constant
number of statements: one per kind of record on the page and one for the files (the files of every
kind at once), however many records the criterion counted. A fund allocation (a school's matching
funds) has no files: it is shown with its year, source and amount.

Only a record of the studio the criterion is about is shown: a reference to another studio's (or,
through the tenant scoping, another tenant's) record is dropped, never shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.rules.records import FILE_KINDS, RECORD_KINDS, parse_ref
from mingshi.core.rules.results import Criterion, Evaluation
from mingshi.core.services import evidence
from mingshi.core.services.access import Actor
from mingshi.core.vocab import Label

#: records a page of counted records shows
PROOF_PAGE = 20

#: kind → (model, the vocabulary its type is labelled from, the attribute that holds the type); a fund
#: allocation's source is labelled by :data:`SOURCE_LABELS`, not by a jurisdiction's vocabulary
_MODELS: dict[str, tuple[type, str | None, str]] = {
    "activity": (m.Activity, "activity_types", "type"),
    "output": (m.Output, "output_types", "type"),
    "award": (m.StudentAward, "competitions", "competition"),
    "expense": (m.Expense, "expense_categories", "category"),
    "allocation": (m.FundAllocation, None, "source"),
}

#: each kind of record, as the reader reads it
KIND_LABELS: dict[str, Label] = {**evidence.KIND_LABELS, "allocation": Label("经费拨付", "fund allocation")}

#: a fund allocation's source, as the reader reads it
SOURCE_LABELS: dict[str, Label] = {
    "grant": Label("专项经费", "grant"),
    "school_matching": Label("学校配套经费", "school matching funds"),
    "recovery": Label("结余收回", "recovery of the unused balance"),
}


@dataclass(frozen=True)
class CountedRecord:
    """One record a criterion counted, as the reviewer reads it."""

    kind: str
    id: int
    date: dt.date
    #: the record's own title (an expense or an award may have none: the view says what it is)
    title: str | None
    #: the code of its type and the vocabulary that labels it (``("paper", "output_types")``); a fund
    #: allocation has no vocabulary: its source is labelled by :attr:`type_label`
    type: str
    vocabulary: str | None
    #: an award's level and rank, an expense's or an allocation's amount in fen; None otherwise
    level: str | None = None
    rank: str | None = None
    amount_fen: int | None = None
    withdrawn: bool = False
    files: tuple[m.Evidence, ...] = ()
    #: the budget year of a fund allocation (its date is the day it was booked); None otherwise
    year: int | None = None
    #: the label of a type no vocabulary holds (a fund allocation's source)
    type_label: Label | None = None
    #: whether the record can carry files (a fund allocation cannot: the ledger is its proof)
    has_files: bool = True
    #: a fund allocation that reverses an earlier one
    reversal: bool = False


@dataclass
class CountedPage:
    rows: list[CountedRecord] = field(default_factory=list)
    #: how many records the criterion counted (of this studio), the pager's total
    total: int = 0
    #: references that name no record of this studio any more (deleted since, or never this studio's)
    missing: int = 0


def criteria_with_records(evaluation: Evaluation) -> list[Criterion]:
    """The studio criteria that counted records, in the evaluation's order."""
    return [c for c in evaluation.criteria if c.counted]


def find_criterion(
    evaluation: Evaluation, rule_id: str, period: str | None = None, person: str | None = None
) -> Criterion | None:
    """The studio criterion ``rule_id`` (of sub-period ``period`` when the jurisdiction splits it), or
    with ``person`` that person's own criterion (a member's absences, a trainee's duties)."""
    if person is not None:
        found = next((r for r in evaluation.members if r.person == person), None)
        criteria = found.criteria if found is not None else ()
        return next((c for c in criteria if c.id == rule_id and (period is None or c.period == period)), None)
    for c in evaluation.criteria:
        if c.id == rule_id and (period is None or c.period == period):
            return c
    return None


def references(refs: Sequence[str]) -> list[tuple[str, int]]:
    """The well-formed references in order, each once (a malformed one is a bug in a plugin: raise)."""
    seen: dict[tuple[str, int], None] = {}
    for ref in refs:
        seen.setdefault(parse_ref(ref), None)
    return list(seen)


def counted_records(
    session: Session,
    actor: Actor,
    studio: m.Studio,
    refs: Sequence[str],
    *,
    limit: int = PROOF_PAGE,
    offset: int = 0,
) -> CountedPage:
    """A page of the records ``refs`` name, in the order the criterion gave them, with their files."""
    actor.require_view_studio(studio.id)
    wanted = references(refs)
    page = CountedPage(total=len(wanted))
    chosen = wanted[offset : offset + limit]
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, record_id in chosen:
        by_kind[kind].append(record_id)
    found: dict[tuple[str, int], Any] = {}
    # one statement per kind of record, asked every time (an empty list asks for nothing), and one
    # for the files: the page costs the same statements whatever the criterion counted
    for kind in RECORD_KINDS:
        model = _MODELS[kind][0]
        ids = by_kind.get(kind, [])
        for row in session.scalars(select(model).where(model.id.in_(ids), model.studio_id == studio.id)):
            found[(kind, row.id)] = row
    files = _files_of(session, [key for key in chosen if key in found and key[0] in FILE_KINDS])
    for kind, record_id in chosen:
        row = found.get((kind, record_id))
        if row is None:
            page.missing += 1
            continue
        _model, vocabulary, type_attr = _MODELS[kind]
        allocation = kind == "allocation"
        page.rows.append(
            CountedRecord(
                kind=kind,
                id=record_id,
                date=row.created_at.date() if allocation else row.date,
                title=getattr(row, "title", None) or getattr(row, "note", None) or None,
                type=getattr(row, type_attr),
                vocabulary=vocabulary,
                level=getattr(row, "level", None) if kind == "award" else None,
                rank=getattr(row, "rank", None) if kind == "award" else None,
                amount_fen=row.amount_fen if kind in ("expense", "allocation") else None,
                withdrawn=getattr(row, "withdrawn_at", None) is not None,
                files=tuple(files.get((kind, record_id), ())),
                year=row.year if allocation else None,
                type_label=SOURCE_LABELS.get(row.source) if allocation else None,
                has_files=kind in FILE_KINDS,
                reversal=allocation and row.reverses_id is not None,
            )
        )
    return page


def _files_of(session: Session, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], list[m.Evidence]]:
    """The current files of records of several kinds in one statement (what
    :func:`~mingshi.core.services.evidence.files_of_many` does for one kind), oldest first."""
    out: dict[tuple[str, int], list[m.Evidence]] = {key: [] for key in keys}
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, record_id in keys:
        by_kind[kind].append(record_id)
    columns = {kind: getattr(m.Evidence, f"{kind}_id") for kind in FILE_KINDS}
    clauses = [columns[kind].in_(ids) for kind, ids in by_kind.items()] or [false()]
    query = select(m.Evidence).where(or_(*clauses), m.Evidence.withdrawn_at.is_(None)).order_by(m.Evidence.id)
    for row in session.scalars(query):
        kind, record_id = row.record
        if (kind, record_id) in out:
            out[(kind, record_id)].append(row)
    return out
