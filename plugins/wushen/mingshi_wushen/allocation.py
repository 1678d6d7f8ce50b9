"""The allocation of a year (hook ``mingshi_allocation``), （十九）: special funds from the banner's
research centre, ``ws.funding.annual`` a school year (the text names no amount: ¥0 until the
tenant sets it ⚙). A funding year is named by the school year's last year, as the annual
assessment names it; the first school year of the cycle is paid on the plaque, later ones follow
the annual assessment before them (the core's default, from ``funding``)."""

from __future__ import annotations

from mingshi.jurisdiction import Funding, StudioFacts, format_fen, school_year_containing

from .i18n import _
from .info import BASIS


def allocation(facts: StudioFacts, year: int) -> Funding | None:
    start = facts.studio.cycle_start
    if start is None:
        return None
    first = school_year_containing(start, facts.param("common.school_year_start", start))
    if year != first.end.year:
        return None
    amount = int(facts.param("ws.funding.annual", start))
    text = _(
        "School year %(start)s–%(end)s, the first of the cycle: %(amount)s yuan of special funds",
        start=first.start.year,
        end=first.end.year,
        amount=format_fen(amount),
    )
    return Funding(amount, BASIS["ws.funding"], text, year)
