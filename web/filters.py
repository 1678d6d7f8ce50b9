"""Template helpers: labels from the jurisdiction's vocabulary, money, dates, statuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, g
from flask_babel import get_locale

from mingshi.core.i18n import Text
from mingshi.core.money import format_yuan_display
from mingshi.core.rules.results import Criterion


def locale_code() -> str:
    return "en" if str(get_locale() or "zh_CN").startswith("en") else "zh_CN"


def register(app: Flask) -> None:
    @app.template_filter("label")
    def label(code: str | None, kind: str) -> str:
        jurisdiction = getattr(g, "jurisdiction", None)
        if jurisdiction is None or code is None:
            return code or ""
        return jurisdiction.vocabulary.label(kind, code, locale_code())

    @app.template_filter("l")
    def localized(value: Any) -> str:
        """A :class:`mingshi.core.vocab.Label` or :class:`mingshi.core.i18n.Text` in the request's language."""
        if value is None:
            return ""
        if hasattr(value, "render"):
            return value.render(locale_code())
        if callable(value):
            return value(locale_code())
        return str(value)

    @app.template_filter("msg")
    def message(value: Any) -> str:
        """A validation message from the core, in the request's language (the web catalog translates it)."""
        from flask_babel import gettext

        if isinstance(value, Text) and value.translator is None:
            return gettext(value.msgid) % dict(value.params) if value.params else gettext(value.msgid)
        if isinstance(value, Text):
            return value.render(locale_code())
        return gettext(str(value))

    @app.template_filter("yuan")
    def yuan(fen: int | None) -> str:
        return "" if fen is None else format_yuan_display(fen)

    @app.template_filter("day")
    def day(value: dt.date | None) -> str:
        if value is None:
            return ""
        if locale_code() == "en":
            return value.isoformat()
        return f"{value.year}年{value.month}月{value.day}日"

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
