"""Sentences in zh_CN and English through Babel catalogs, outside and inside Flask.

A rule's explanation is a :class:`Text`: a message id (English source), its parameters and the
catalog (domain + folder) it is translated with. It is rendered when a locale is known —
by ``mingshi evaluate --lang`` or by the web request — so one computed result can be shown
in either language. Each plugin owns its catalog folder; nothing is registered globally::

    _ = Translator("mingshi_shenyang", Path(__file__).parent / "translations")
    _("%(year)s: %(value)s activities held, at least %(target)s required", year=2025, value=9, target=8)

Catalogs live in ``translations/<locale>/LC_MESSAGES/<domain>.po`` with the locale folder
``zh_Hans_CN`` (Babel parses zh_CN to zh_Hans_CN; see PITFALLS). The compiled ``.mo`` files are
committed, and a test checks they match their ``.po``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations

from mingshi.core.vocab import Label

DEFAULT_LOCALE = "zh_CN"
SUPPORTED_LOCALES = ("zh_CN", "en")


def normalize_locale(locale: str | None) -> str:
    """``None``/``zh``/``zh_CN``/``zh-Hans-CN`` → ``zh_CN``; ``en``/``en_US`` → ``en``."""
    if not locale:
        return DEFAULT_LOCALE
    text = locale.replace("-", "_").lower()
    if text.startswith("en"):
        return "en"
    if text.startswith("zh"):
        return "zh_CN"
    raise ValueError(f"unsupported language {locale!r}; use zh_CN or en")


@lru_cache(maxsize=256)
def _catalog(directory: str, domain: str, locale: str) -> NullTranslations:
    if locale == "en":
        return NullTranslations()
    parsed = Locale.parse(locale)
    return Translations.load(directory, [parsed, "zh_Hans_CN", "zh"], domain)


@dataclass(frozen=True)
class Translator:
    """Creates :class:`Text` objects for one catalog."""

    domain: str
    directory: Path

    def __call__(self, msgid: str, /, **params: Any) -> Text:
        return Text(msgid, params, self)

    def catalog(self, locale: str) -> NullTranslations:
        return _catalog(str(self.directory), self.domain, normalize_locale(locale))

    def has_translation(self, msgid: str, locale: str) -> bool:
        catalog = self.catalog(locale)
        return isinstance(catalog, Translations) and msgid in catalog._catalog


def _format_param(value: Any, locale: str) -> Any:
    if isinstance(value, Text):
        return value.render(locale)
    if isinstance(value, Label):
        return value(locale)
    if isinstance(value, dt.date):
        if locale == "en":
            return value.isoformat()
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, (list, tuple)):
        sep = ", " if locale == "en" else "、"
        return sep.join(str(_format_param(v, locale)) for v in value)
    return value


#: a parameter of a sentence in ``locale``: a Text or Label rendered, a date as a date, a list joined
format_param = _format_param


@dataclass(frozen=True)
class Text:
    """A sentence waiting for a locale."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    translator: Translator | None = None

    def render(self, locale: str | None = None) -> str:
        loc = normalize_locale(locale)
        template = self.translator.catalog(loc).gettext(self.msgid) if self.translator else self.msgid
        if not self.params:
            return template
        values = {k: _format_param(v, loc) for k, v in self.params.items()}
        return template % values

    def __str__(self) -> str:  # pragma: no cover - for debugging only
        return self.render("en")


#: the core's own sentences (e.g. why a studio is not assessed), in its catalog ``core/translations``
CORE = Translator("mingshi_core", Path(__file__).parent / "translations")
