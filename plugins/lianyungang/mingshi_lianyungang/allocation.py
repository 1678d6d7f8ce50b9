"""The allocation of a year (hook ``mingshi_allocation``), 第十九条: a subsidy of ``lyg.funding.annual``
per year of the cycle. The first year is paid on the plaque; each later year follows the annual
assessment of the year before (第二十二条), which the core's default composes from ``funding``."""

from __future__ import annotations

from mingshi.jurisdiction import Funding, StudioFacts, format_fen

from .funding import _amount
from .i18n import _


def allocation(facts: StudioFacts, year: int) -> Funding | None:
    start = facts.studio.cycle_start
    if start is None or year != start.year:
        return None
    amount = _amount(facts, year)
    text = _("%(year)s, the first year of the cycle: %(amount)s yuan of subsidy", year=year, amount=format_fen(amount))
    return Funding(amount, "第十九条", text, year)
