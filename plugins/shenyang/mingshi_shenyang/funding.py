"""Funds (第十二—十四条): per year ¥20,000 for a workshop, ¥25,000 for a studio (⚙), earmarked.

- 第十二条: funds withheld or misappropriated (finding ``misappropriation``) → next year's funds are
  not paid.
- 第十条: a failed annual assessment cancels the qualification → no further funds; the unused balance
  is recovered.
- Annual evaluation of Y: the amount payable for Y+1 (0 when Y+1 lies outside the cycle or a stop
  applies). Cycle evaluation: the cycle's total as allocated under these rules, year by year.

Amounts are the values in force on the evaluated period's end date.
"""

from __future__ import annotations

from dataclasses import dataclass

from mingshi.jurisdiction import Evaluation, Funding, Grade, Label, Period, StudioFacts, Text, calendar_year, format_fen

from .i18n import _
from .info import INFO
from .rules import cycle_of, cycle_years
from .texts import joined, period_name, phrase

BASIS = "第十二条"


def annual_amount(facts: StudioFacts) -> int:
    """Fen per year for this studio's kind."""
    pid = "sy.funding.workshop" if facts.studio.kind == "workshop" else "sy.funding.studio"
    return int(facts.param(pid))


@dataclass(frozen=True)
class Allocation:
    year: int
    amount_fen: int
    #: why nothing is paid, if so
    reason: Text | None = None


def misappropriation_in(facts: StudioFacts, year: int):
    p = calendar_year(year)
    found = facts.findings_between(p.start, p.end, "misappropriation")
    return found[0] if found else None


def allocations(facts: StudioFacts, upto: int | None = None) -> list[Allocation]:
    """Year by year over the cycle (up to ``upto``): paid unless a stop applies."""
    from .assessment import year_grade

    amount = annual_amount(facts)
    out: list[Allocation] = []
    disqualified_in: int | None = None
    for i, year in enumerate(cycle_years(facts)):
        if upto is not None and year > upto:
            break
        if i > 0 and disqualified_in is None and year_grade(facts, year - 1) == Grade.FAIL:
            disqualified_in = year - 1
        if disqualified_in is not None:
            out.append(
                Allocation(
                    year,
                    0,
                    _(
                        "%(year)s: qualification cancelled after the assessment of %(prev)s",
                        year=year,
                        prev=disqualified_in,
                    ),
                )
            )
        elif i > 0 and misappropriation_in(facts, year - 1):
            out.append(
                Allocation(
                    year, 0, _("%(year)s: funds withheld or misappropriated in %(prev)s", year=year, prev=year - 1)
                )
            )
        else:
            out.append(Allocation(year, amount))
    return out


def received_and_spent(facts: StudioFacts, period: Period) -> tuple[int, int]:
    """Funds allocated for the years of ``period`` and expenses recorded in it (fen)."""
    received = sum(
        a.amount_fen for a in allocations(facts, upto=period.end.year) if period.start.year <= a.year <= period.end.year
    )
    spent = sum(e.amount_fen for e in facts.expenses if e.date in period)
    return received, spent


def funding(facts: StudioFacts, period: Period, kind: str, evaluation: Evaluation) -> Funding:
    if kind == "cycle":
        return cycle_funding(facts, period)
    year = period.end.year
    next_year = year + 1
    amount = annual_amount(facts)
    cyc = cycle_of(facts)
    if cyc is not None and next_year not in cycle_years(facts):
        text = _(
            "%(year)s lies outside the cycle (%(start)s to %(end)s): no funds",
            year=next_year,
            start=cyc.start,
            end=cyc.end,
        )
        return Funding(0, BASIS, text, next_year)
    if evaluation.grade == Grade.FAIL:
        return Funding(0, "第十条", _("%(year)s: no funds, the qualification is cancelled", year=next_year), next_year)
    found = misappropriation_in(facts, year)
    if found is not None:
        text = _(
            "%(year)s: no funds, funds were withheld or misappropriated in %(prev)s (found on %(date)s)",
            year=next_year,
            prev=year,
            date=found.date,
        )
        return Funding(0, BASIS, text, next_year)
    text = _(
        "%(year)s: %(amount)s yuan for a %(kind)s",
        year=next_year,
        amount=format_fen(amount),
        kind=phrase(INFO.studio_kinds.get(facts.studio.kind, Label(facts.studio.kind, facts.studio.kind))),
    )
    return Funding(amount, BASIS, text, next_year)


def cycle_funding(facts: StudioFacts, period: Period) -> Funding:
    allocated = allocations(facts)
    total = sum(a.amount_fen for a in allocated)
    paid = [a for a in allocated if a.amount_fen > 0]
    unpaid = [a.reason for a in allocated if a.reason is not None]
    params = {
        "period": period_name(period),
        "paid": len(paid),
        "amount": format_fen(annual_amount(facts)),
        "total": format_fen(total),
    }
    if unpaid:
        text = _(
            "Funds of %(period)s: %(paid)s years × %(amount)s yuan = %(total)s yuan; not paid: %(unpaid)s",
            unpaid=joined(unpaid),
            **params,
        )
    else:
        text = _("Funds of %(period)s: %(paid)s years × %(amount)s yuan = %(total)s yuan", **params)
    return Funding(total, BASIS, text, None)
