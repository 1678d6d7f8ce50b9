"""The allocation of a year (hook ``mingshi_allocation``), 第十二条: the special funds are set per
cycle (``wz.funding.cycle``), applied for by the city bureau; they are allocated in the cycle's
first year, and nothing more is due in its later years."""

from __future__ import annotations

from mingshi.jurisdiction import Funding, StudioFacts, cycle, format_fen

from .i18n import _

BASIS = "第十二条"


def allocation(facts: StudioFacts, year: int) -> Funding:
    start = facts.studio.cycle_start
    if start is None:
        return Funding(0, BASIS, _("No funds computed: the studio's cycle start is not recorded"), year)
    years = int(facts.param("wz.cycle_years", start))
    last = cycle(start, years).end.year
    amount = int(facts.param("wz.funding.cycle", start))
    if year == start.year:
        text = _(
            "%(year)s, the first year of the cycle: the cycle's %(amount)s yuan of special funds",
            year=year,
            amount=format_fen(amount),
        )
        return Funding(amount, BASIS, text, year)
    if start.year < year <= last:
        return Funding(
            0, BASIS, _("%(year)s: the cycle's special funds were allocated in its first year", year=year), year
        )
    return Funding(0, BASIS, _("%(year)s lies outside the cycle: no funds", year=year), year)
