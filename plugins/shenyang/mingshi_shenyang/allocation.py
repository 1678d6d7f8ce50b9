"""The allocation of a year (hook ``mingshi_allocation``), 第十二条: ¥20,000 a year for a workshop,
¥25,000 for a studio (⚙ ``sy.funding.*``), year by year over the cycle unless a stop applies
(第十条, 第十二条) — the same schedule the cycle assessment adds up."""

from __future__ import annotations

from mingshi.jurisdiction import Funding, Label, StudioFacts, format_fen

from .funding import BASIS, allocations
from .i18n import _
from .info import INFO
from .texts import phrase


def allocation(facts: StudioFacts, year: int) -> Funding | None:
    found = next((a for a in allocations(facts, upto=year) if a.year == year), None)
    if found is None:
        return None
    if found.reason is not None:
        return Funding(0, BASIS, found.reason, year)
    kind = INFO.studio_kinds.get(facts.studio.kind, Label(facts.studio.kind, facts.studio.kind))
    text = _(
        "%(year)s: %(amount)s yuan for a %(kind)s", year=year, amount=format_fen(found.amount_fen), kind=phrase(kind)
    )
    return Funding(found.amount_fen, BASIS, text, year)
