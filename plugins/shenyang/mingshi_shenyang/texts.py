"""Small sentence helpers: period names, vocabulary labels and joined sentences as :class:`Text`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mingshi.jurisdiction import Label, Period, Text, normalize_locale

from .i18n import _
from .info import VOCABULARY


@dataclass(frozen=True)
class Phrase(Text):
    """A vocabulary label rendered in the locale (labels are data, not catalog entries)."""

    label: Label | None = None

    def render(self, locale: str | None = None) -> str:
        return self.label(normalize_locale(locale)) if self.label else ""


@dataclass(frozen=True)
class Joined(Text):
    """Several sentences joined with ``；`` (zh) or ``; `` (en)."""

    parts: tuple[Text, ...] = ()

    def render(self, locale: str | None = None) -> str:
        loc = normalize_locale(locale)
        sep = "; " if loc == "en" else "；"
        return sep.join(p.render(loc) for p in self.parts)


def phrase(label: Label) -> Phrase:
    return Phrase(msgid="", label=label)


def joined(parts: list[Text] | tuple[Text, ...]) -> Text:
    """Sentences joined into one catalog sentence (the first, then the others after a semicolon)."""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s; %(rest)s", first=parts[0], rest=Joined(msgid="", parts=tuple(parts[1:])))


def vocab(kind: str, code: str | None) -> Phrase:
    """The label of a code from Shenyang's vocabulary merged with the common one."""
    from mingshi.jurisdiction import COMMON

    entry = VOCABULARY.kinds.get(kind, {}).get(code or "") or COMMON.kinds.get(kind, {}).get(code or "")
    return phrase(entry or Label(code or "—", code or "—"))


def period_name(period: Period) -> Text:
    if period.kind == "year":
        return _("%(year)s", year=period.start.year)
    if period.kind == "school_year":
        return _("school year %(start)s-%(end)s", start=period.start.year, end=period.end.year)
    if period.kind == "cycle":
        return _("the cycle (%(start)s to %(end)s)", start=period.start, end=period.end)
    if period.kind == "cycle_so_far":
        return _("the cycle so far (%(start)s to %(end)s)", start=period.start, end=period.end)
    return _("%(start)s to %(end)s", start=period.start, end=period.end)


def percent(ratio: Decimal) -> str:
    value = (ratio * 100).normalize()
    return f"{value:f}%"


def event_text(event: str, day: dt.date) -> Text:
    return _("%(event)s on %(date)s", event=vocab("events", event), date=day)
