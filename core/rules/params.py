"""Parameters (⚙): dated values with their article.

A plugin declares each parameter with its dated defaults (:class:`ParameterDef`); a tenant
administrator may add a value from a date (``ParameterValue`` rows); a scenario may override a
value for a what-if. The value in force on a date D is, in that order of precedence: the
override; else the tenant's value with the latest ``valid_from <= D``; else the default with
the latest ``valid_from <= D``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mingshi.core.i18n import Text
from mingshi.core.money import MoneyError, format_fen, format_yuan_display, parse_yuan
from mingshi.core.periods import month_day
from mingshi.core.vocab import Label

#: the kinds of value a parameter holds, and how its text is read
KINDS = ("int", "decimal", "ratio", "money", "month_day", "list", "text")

EPOCH = dt.date(2000, 1, 1)


class ParameterError(ValueError):
    """A parameter id or value that cannot be used; the message says which and why.

    ``text`` is the same refusal as a sentence for a person (a :class:`mingshi.core.i18n.Text`), when there is one.
    """

    def __init__(self, message: str, text: Any = None) -> None:
        super().__init__(message)
        self.text = text


#: a whole number no parameter exceeds unless it declares more (a count, days, years, characters)
DEFAULT_INT_MAXIMUM = 1_000_000


@dataclass(frozen=True)
class ParameterDef:
    id: str
    kind: str
    #: the article or convention it comes from, e.g. "第十二条"
    basis: str
    description: Label
    #: dated defaults, ``(valid_from, value as text)``; the text is read by ``kind``
    defaults: tuple[tuple[dt.date, str], ...]
    #: the range a value must lie in (for int, decimal and money — money in fen); a numeric value is
    #: never below 0 unless the parameter declares a lower minimum, an int never above
    #: :data:`DEFAULT_INT_MAXIMUM` unless it declares a higher maximum
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ParameterError(f"{self.id}: unknown kind {self.kind!r}")
        if not self.defaults:
            raise ParameterError(f"{self.id}: a parameter needs a default")
        for _, raw in self.defaults:
            self.parse(raw)

    def parse(self, raw: Any) -> Any:
        """Read a value given as text (or JSON scalar/list); raises :class:`ParameterError`."""
        try:
            value = _parse(self.kind, raw)
        except (ValueError, TypeError, InvalidOperation, MoneyError) as exc:
            raise ParameterError(f"{self.id}: {exc}") from None
        if self.kind in ("int", "decimal", "money"):
            low = self.minimum if self.minimum is not None else 0
            high = self.maximum if self.maximum is not None else (DEFAULT_INT_MAXIMUM if self.kind == "int" else None)
            shown = self.to_text(value)
            if value < low:
                bound = self.to_text(low) if self.kind == "money" else str(low)
                raise ParameterError(
                    f"{self.id}: {shown} is below the least value {bound}",
                    Text("%(value)s is below the least value %(bound)s", {"value": shown, "bound": bound}),
                )
            if high is not None and value > high:
                bound = self.to_text(high) if self.kind == "money" else str(high)
                raise ParameterError(
                    f"{self.id}: {shown} is above the greatest value {bound}",
                    Text("%(value)s is above the greatest value %(bound)s", {"value": shown, "bound": bound}),
                )
        return value

    def to_text(self, value: Any) -> str:
        if self.kind == "money":
            return format_fen(value)
        if self.kind == "list":
            return json.dumps(list(value), ensure_ascii=False)
        return str(value)

    def display(self, value: Any, locale: str | None) -> str:
        """A value as a person reads it in ``locale``: numbers and dates by Babel, a list as words."""
        from babel.dates import format_date
        from babel.numbers import format_decimal, format_percent

        english = (locale or "zh").lower().startswith("en")
        where = "en" if english else "zh_Hans_CN"
        if self.kind == "money":
            return format_yuan_display(value)
        if self.kind == "list":
            return (", " if english else "、").join(str(v) for v in value)
        if self.kind == "ratio":
            return format_percent(value, format="#,##0.##%", locale=where)
        if self.kind in ("int", "decimal"):
            return format_decimal(value, locale=where)
        if self.kind == "month_day":
            month, day = month_day(value)
            return format_date(dt.date(2000, month, day), "MMMM d" if english else "M月d日", locale=where)
        return str(value)

    def display_text(self, raw: Any, locale: str | None) -> str:
        """A stored value's text as a person reads it (the text itself when it no longer parses)."""
        try:
            return self.display(self.parse(raw), locale)
        except ParameterError:
            return str(raw)


def _parse(kind: str, raw: Any) -> Any:
    if isinstance(raw, (bool, float)):
        raise ValueError("give the value as text, not a float or a boolean")
    if kind == "list":
        if isinstance(raw, (list, tuple)):
            items = [str(x).strip() for x in raw]
        else:
            text = str(raw).strip()
            if text.startswith("["):
                items = [str(x).strip() for x in json.loads(text)]
            else:
                items = [x.strip() for x in text.replace("、", ",").replace("，", ",").split(",")]
        items = [x for x in items if x]
        if not items:
            raise ValueError("the list is empty")
        return tuple(items)
    text = str(raw).strip()
    if kind == "int":
        if not text.lstrip("-").isdigit() or len(text) > 18:
            raise ValueError(f"{raw!r} is not a whole number")
        return int(text)
    if kind in ("decimal", "ratio") and (len(text) > 32 or "e" in text.lower()):
        raise ValueError(f"{str(raw)[:40]!r} is not a plain decimal number")
    if kind == "decimal":
        return Decimal(text)
    if kind == "ratio":
        value = Decimal(text)
        if not Decimal(0) <= value <= Decimal(1):
            raise ValueError(f"{raw!r} is not a ratio between 0 and 1")
        return value
    if kind == "money":
        return parse_yuan(text)
    if kind == "month_day":
        month_day(text)
        return text
    if not text:
        raise ValueError("the value is empty")
    return text


@dataclass(frozen=True)
class DatedValue:
    valid_from: dt.date
    raw: str
    basis: str | None = None


COMMON_PARAMETERS: tuple[ParameterDef, ...] = (
    ParameterDef(
        "common.school_year_start",
        "month_day",
        "convention",
        Label("学年起始日", "first day of the school year"),
        ((EPOCH, "09-01"),),
    ),
    ParameterDef(
        "common.spring_start",
        "month_day",
        "convention",
        Label("春季学期起始日", "first day of the spring semester"),
        ((EPOCH, "02-01"),),
    ),
    ParameterDef(
        "common.notice_days",
        "int",
        "convention (公示期)",
        Label("申报公示期（天）", "days of the public notice of an application"),
        ((EPOCH, "7"),),
    ),
    ParameterDef(
        "common.evidence_retention_years",
        "int",
        # no policy of the four cities sets it: an interpretation (⚙, decided 2026-12-03). The longest
        # management cycle (连云港 第四条: 3年) plus two years in which a stored result may still be
        # withdrawn and recomputed; the files that still prove a record are never purged.
        "interpretation: 3-year cycle (连云港第四条) + 2 years",
        Label(
            "撤回材料保存期（年）",
            "years a withdrawn file, or a file of a withdrawn record, is kept before its bytes are purged",
        ),
        ((EPOCH, "5"),),
        minimum=1,
        maximum=50,
    ),
    ParameterDef(
        "common.autumn_start",
        "month_day",
        "convention",
        Label("秋季学期起始日", "first day of the autumn semester"),
        ((EPOCH, "09-01"),),
    ),
    ParameterDef(
        "common.doc.due_soon_days",
        "int",
        "convention (decided 2026-12-03: a plan or report is shown as due soon this many days before it is due)",
        Label("计划与报告到期前提醒（天）", "days before a plan or report is due that it is shown as due soon"),
        ((EPOCH, "14"),),
        maximum=366,
    ),
)


class ParamSet:
    """The parameters of one jurisdiction for one tenant, with a scenario's overrides."""

    def __init__(
        self,
        definitions: Iterable[ParameterDef],
        tenant_values: Mapping[str, Iterable[DatedValue]] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.definitions: dict[str, ParameterDef] = {}
        for d in definitions:
            if d.id in self.definitions:
                raise ParameterError(f"parameter {d.id} is declared twice")
            self.definitions[d.id] = d
        self._tenant: dict[str, list[DatedValue]] = {}
        for pid, values in (tenant_values or {}).items():
            definition = self.definition(pid)
            ordered = sorted(values, key=lambda v: v.valid_from)
            for v in ordered:
                definition.parse(v.raw)
            self._tenant[pid] = ordered
        self._overrides: dict[str, Any] = {}
        for pid, raw in (overrides or {}).items():
            self._overrides[pid] = self.definition(pid).parse(raw)

    def definition(self, param_id: str) -> ParameterDef:
        try:
            return self.definitions[param_id]
        except KeyError:
            raise ParameterError(f"unknown parameter {param_id!r}") from None

    def value(self, param_id: str, on: dt.date) -> Any:
        definition = self.definition(param_id)
        if param_id in self._overrides:
            return self._overrides[param_id]
        for v in reversed(self._tenant.get(param_id, [])):
            if v.valid_from <= on:
                return definition.parse(v.raw)
        chosen = None
        for valid_from, raw in sorted(definition.defaults):
            if valid_from <= on:
                chosen = raw
        if chosen is None:
            chosen = min(definition.defaults)[1]
        return definition.parse(chosen)

    def source(self, param_id: str, on: dt.date) -> str:
        """Where the value in force comes from: override · tenant · default."""
        if param_id in self._overrides:
            return "override"
        if any(v.valid_from <= on for v in self._tenant.get(param_id, [])):
            return "tenant"
        return "default"

    def history(self, param_id: str) -> list[DatedValue]:
        definition = self.definition(param_id)
        defaults = [DatedValue(f, raw, definition.basis) for f, raw in sorted(definition.defaults)]
        return defaults + list(self._tenant.get(param_id, []))
