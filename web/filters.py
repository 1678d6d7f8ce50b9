"""Template helpers: labels from the jurisdiction's vocabulary, money, dates, statuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask import Flask, g
from flask_babel import get_locale
from jinja2 import pass_context

from mingshi.core.i18n import Text, format_param
from mingshi.core.money import format_yuan_display
from mingshi.core.rules.results import Criterion
from mingshi.core.vocab import COMMON


def locale_code() -> str:
    return "en" if str(get_locale() or "zh_CN").startswith("en") else "zh_CN"


def studio_status_text(status: str | None) -> str:
    """A studio's (or application's) status in the request's language (pages and exports alike)."""
    from flask_babel import gettext as _

    labels = {
        "draft": _("draft"),
        "submitted": _("submitted"),
        "recommended": _("recommended"),
        "reviewing": _("under review"),
        "notice": _("public notice"),
        "active": _("active"),
        "rejected": _("rejected"),
        "disqualified": _("disqualified"),
        "completed": _("completed"),
        "withdrawn": _("withdrawn"),
    }
    return labels.get(status or "", status or "")


def day_text(value: dt.date | None) -> str:
    """A date in the request's language (as the ``day`` filter shows it)."""
    if value is None:
        return ""
    if locale_code() == "en":
        from babel.dates import format_date

        return format_date(value, "medium", locale="en")  # Dec 3, 2026
    return f"{value.year}年{value.month}月{value.day}日"


def figure_text(value: Any) -> str:
    """A value computed by a rule, in the request's language (never a Python repr)."""
    from babel.numbers import format_decimal
    from flask_babel import gettext as _

    locale = locale_code()
    where = "en" if locale == "en" else "zh_Hans_CN"
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float, Decimal)):
        return format_decimal(value, locale=where)
    if isinstance(value, Mapping):
        jurisdiction = getattr(g, "jurisdiction", None)
        vocabulary = jurisdiction.vocabulary if jurisdiction is not None else COMMON
        parts = [f"{vocabulary.label('figures', str(k), locale)} {figure_text(v)}" for k, v in value.items()]
        return ("; " if locale == "en" else "，").join(parts)
    if isinstance(value, (list, tuple, set, frozenset)):
        return (", " if locale == "en" else "、").join(figure_text(v) for v in value)
    if hasattr(value, "render"):
        return value.render(locale)
    return str(value)


def register(app: Flask) -> None:
    # the filters that read the request's language take the context: Jinja would otherwise compute
    # ``"junior"|label("titles")`` once, when it compiles the template, in the first reader's language
    @app.template_filter("label")
    @pass_context
    def label(_context: Any, code: str | None, kind: str) -> str:
        jurisdiction = getattr(g, "jurisdiction", None)
        if jurisdiction is None or code is None:
            return code or ""
        return jurisdiction.vocabulary.label(kind, code, locale_code())

    @app.template_filter("l")
    @pass_context
    def localized(_context: Any, value: Any) -> str:
        """A :class:`mingshi.core.vocab.Label` or :class:`mingshi.core.i18n.Text` in the request's language."""
        if value is None:
            return ""
        if hasattr(value, "render"):
            return value.render(locale_code())
        if callable(value):
            return value(locale_code())
        return str(value)

    @app.template_filter("msg")
    @pass_context
    def message(_context: Any, value: Any) -> str:
        """A validation message from the core, in the request's language (the web catalog translates it)."""
        from flask_babel import gettext

        if isinstance(value, Text) and value.translator is None:
            if not value.params:
                return gettext(value.msgid)
            # labels, dates and lists among the parameters in the reader's language, as Text.render does
            return gettext(value.msgid) % {k: format_param(v, locale_code()) for k, v in value.params.items()}
        if isinstance(value, Text):
            return value.render(locale_code())
        return gettext(str(value))

    @app.template_filter("yuan")
    def yuan(fen: int | None) -> str:
        return "" if fen is None else format_yuan_display(fen)

    @app.template_filter("day")
    @pass_context
    def day(_context: Any, value: dt.date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):  # a date kept in a stored result (ISO text)
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                return value
        return day_text(value)

    @app.template_global()
    def county_options() -> list[tuple[str, str]]:
        """The tenant's county list as select options (counties are picked from it, never typed)."""
        if getattr(g, "tenant", None) is None:
            return []
        if "county_options" not in g:
            from mingshi.core.services import registry
            from mingshi.web.app import db_session

            g.county_options = [(n, n) for n in registry.county_names(db_session())]
        return g.county_options

    @app.template_filter("param_value")
    @pass_context
    def param_value(_context: Any, definition: Any, raw: Any) -> str:
        """A parameter's value (its stored text) as a person reads it: 9月1日, 50%, 永嘉县、泰顺县 …"""
        return "" if raw is None else definition.display_text(raw, locale_code())

    @app.template_filter("param_options")
    @pass_context
    def param_options(_context: Any, definitions: Any) -> list[tuple[str, str]]:
        """Parameters as select options, named by their description."""
        return [(d.id, d.description(locale_code())) for d in definitions]

    @app.template_filter("yuan_text")
    def yuan_text(amount: Any) -> str:
        """An amount kept as decimal yuan text ("20000.00") as a person reads it (¥20,000.00)."""
        from mingshi.core.money import MoneyError, parse_yuan

        if amount is None or amount == "":
            return ""
        try:
            return format_yuan_display(parse_yuan(str(amount), allow_negative=True))
        except MoneyError:
            return str(amount)

    @app.template_filter("figure")
    @pass_context
    def figure(_context: Any, value: Any) -> str:
        """A criterion's value or target as a person reads it: a number by Babel, counts by name, yes/no."""
        return figure_text(value)

    @app.template_filter("studio_status_label")
    @pass_context
    def studio_status_label(_context: Any, status: str | None) -> str:
        """A studio's (or application's) status in the reader's language."""
        return studio_status_text(status)

    @app.template_filter("options")
    def options(values: Any) -> list[tuple[str, str]]:
        """Strings as (value, text) options of a select."""
        return [(str(v), str(v)) for v in values]

    @app.template_filter("datetime")
    def moment(value: dt.datetime | None) -> str:
        """A stored UTC time in Beijing time, to the minute."""
        from mingshi.core.services.audit_text import local_time

        if value is None:
            return ""
        return local_time(value).strftime("%Y-%m-%d %H:%M")

    @app.template_filter("percent")
    def percent(criterion: Criterion) -> int:
        try:
            value, target = float(criterion.value), float(criterion.target)
        except (TypeError, ValueError):
            return 100 if str(criterion.status) == "met" else 0
        if target <= 0:
            return 100
        return max(0, min(100, round(100 * value / target)))

    app.jinja_env.tests["startswith"] = lambda value, prefix: str(value).startswith(prefix)

    @app.template_filter("pairs")
    def pairs(items: Any, key: str, label: str) -> list[tuple[Any, Any]]:
        return [(getattr(i, key), getattr(i, label)) for i in items]

    def vocab_options(kind: str) -> list[tuple[str, str]]:
        jurisdiction = getattr(g, "jurisdiction", None)
        if jurisdiction is None:
            return []
        # the codes the jurisdiction offers (hook ``mingshi_terms``), in its order, with their labels
        return [(code, jurisdiction.vocabulary.label(kind, code, locale_code())) for code in jurisdiction.offered(kind)]

    def kind_options() -> list[tuple[str, str]]:
        jurisdiction = getattr(g, "jurisdiction", None)
        if jurisdiction is None:
            return []
        return [(code, lab(locale_code())) for code, lab in jurisdiction.info.studio_kinds.items()]

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {"locale_code": locale_code, "vocab_options": vocab_options, "kind_options": kind_options}
