"""The plugin manager and the typed facade over it.

The manager is built by the application or CLI factory (:meth:`Jurisdictions.load`), never at
import time, and kept on ``app.extensions["mingshi.jurisdictions"]``. Loading order (as tox
does it): add the specs → register the core defaults → load each entry point of
``mingshi.jurisdictions`` (a failing import raises :class:`PluginLoadError` naming the plugin)
→ ``check_pending()`` (a misspelled hook implementation is an error) → check each plugin
answers the required hooks and that its code equals its entry-point name.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pluggy

from core import hookspecs
from core.hookspecs import hookimpl
from core.i18n import CORE as _
from core.periods import Period, calendar_year, cycle
from core.rules.facts import StudioFact, StudioFacts
from core.rules.jurisdiction import JurisdictionInfo, RuleDef
from core.rules.params import COMMON_PARAMETERS, DatedValue, ParameterDef, ParamSet
from core.rules.results import Criterion, Evaluation, FirstYear, Funding, Removal
from core.vocab import COMMON, Vocabulary

ENTRY_POINT_GROUP = "mingshi.jurisdictions"
DEFAULTS_NAME = "mingshi.core-defaults"

REQUIRED_HOOKS = (
    "mingshi_jurisdiction",
    "mingshi_parameters",
    "mingshi_rules",
    "mingshi_check_application",
    "mingshi_assess",
    "mingshi_funding",
)


class PluginLoadError(RuntimeError):
    """A jurisdiction plugin could not be loaded or breaks the contract; the message names it."""


class UnknownJurisdiction(LookupError):
    pass


class CoreDefaults:
    """The core's answers where a plugin gives none (``trylast``, so any plugin wins)."""

    @hookimpl(trylast=True)
    def mingshi_assessment_period(self, studio: StudioFact, kind: str, year: int | None, params: ParamSet):
        if kind == "annual":
            if year is None:
                raise ValueError("an annual assessment needs a year")
            return calendar_year(year)
        return None

    @hookimpl(trylast=True)
    def mingshi_first_year(self, studio: StudioFact, period: Period, params: ParamSet):
        return FirstYear(
            False,
            "core default",
            _("not assessed in the year it was approved: a year's quotas are not asked of a part-year"),
        )

    @hookimpl(trylast=True)
    def mingshi_quotas(self, facts: StudioFacts, period: Period):
        return []

    @hookimpl(trylast=True)
    def mingshi_member_removals(self, facts: StudioFacts, on: dt.date):
        return []

    @hookimpl(trylast=True)
    def mingshi_vocabulary(self):
        return Vocabulary()


@dataclass(frozen=True)
class PluginSource:
    name: str
    value: str
    distribution: str | None
    version: str | None


class Jurisdiction:
    """One jurisdiction, answering through its plugin only. Arguments are keywords, results typed."""

    def __init__(self, manager: pluggy.PluginManager, code: str, source: PluginSource, others: list[Any]):
        self._pm = manager
        self.code = code
        self.source = source
        self._others = others
        self._callers: dict[str, Any] = {}

    def _call(self, hook: str, **kwargs: Any) -> Any:
        caller = self._callers.get(hook)
        if caller is None:
            caller = self._pm.subset_hook_caller(hook, remove_plugins=self._others)
            self._callers[hook] = caller
        return caller(**kwargs)

    # -- description ---------------------------------------------------------------------------
    @cached_property
    def info(self) -> JurisdictionInfo:
        return self._call("mingshi_jurisdiction")

    @cached_property
    def parameters(self) -> tuple[ParameterDef, ...]:
        return (*COMMON_PARAMETERS, *self._call("mingshi_parameters"))

    @cached_property
    def rules(self) -> dict[str, RuleDef]:
        return {r.id: r for r in self._call("mingshi_rules")}

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return COMMON.merged(self._call("mingshi_vocabulary") or Vocabulary())

    def paramset(
        self,
        tenant_values: Mapping[str, Iterable[DatedValue]] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> ParamSet:
        return ParamSet(self.parameters, tenant_values, overrides)

    # -- periods and rules ---------------------------------------------------------------------
    def assessment_period(self, *, studio: StudioFact, kind: str, year: int | None, params: ParamSet) -> Period:
        period = self._call("mingshi_assessment_period", studio=studio, kind=kind, year=year, params=params)
        if period is not None:
            return period
        if studio.cycle_start is None:
            raise ValueError(f"studio {studio.name!r} has no cycle start")
        years = params.value(self.info.cycle_years_param, studio.cycle_start)
        return cycle(studio.cycle_start, int(years))

    def first_year(self, *, studio: StudioFact, period: Period, params: ParamSet) -> FirstYear:
        return self._call("mingshi_first_year", studio=studio, period=period, params=params)

    def check_application(self, *, facts: StudioFacts, on: dt.date) -> Evaluation:
        return self._call("mingshi_check_application", facts=facts, on=on)

    def quotas(self, *, facts: StudioFacts, period: Period) -> list[Criterion]:
        return self._call("mingshi_quotas", facts=facts, period=period)

    def assess(self, *, facts: StudioFacts, period: Period, kind: str) -> Evaluation:
        return self._call("mingshi_assess", facts=facts, period=period, kind=kind)

    def funding(self, *, facts: StudioFacts, period: Period, kind: str, evaluation: Evaluation) -> Funding:
        return self._call("mingshi_funding", facts=facts, period=period, kind=kind, evaluation=evaluation)

    def member_removals(self, *, facts: StudioFacts, on: dt.date) -> list[Removal]:
        return self._call("mingshi_member_removals", facts=facts, on=on)


class Jurisdictions:
    """All installed jurisdictions, by code."""

    def __init__(self, manager: pluggy.PluginManager, sources: dict[str, PluginSource]):
        self.manager = manager
        self._sources = sources
        plugins = {name: manager.get_plugin(name) for name in sources}
        self._by_code = {
            name: Jurisdiction(manager, name, sources[name], [p for n, p in plugins.items() if n != name])
            for name in sources
        }

    @classmethod
    def load(
        cls,
        *,
        group: str = ENTRY_POINT_GROUP,
        extra: Iterable[tuple[str, Any]] = (),
        blocked: Iterable[str] = (),
        only: Iterable[str] | None = None,
    ) -> Jurisdictions:
        """Build the plugin manager: entry points of ``group`` plus ``extra`` (name, plugin) pairs.

        ``only`` (default: the environment variable ``MINGSHI_JURISDICTIONS``, comma-separated)
        loads just those jurisdictions; ``blocked`` skips some. Skipped plugins are not imported.
        """
        if only is None and os.environ.get("MINGSHI_JURISDICTIONS"):
            only = [c.strip() for c in os.environ["MINGSHI_JURISDICTIONS"].split(",") if c.strip()]
        wanted = None if only is None else set(only)
        manager = pluggy.PluginManager(hookspecs.PROJECT)
        manager.add_hookspecs(hookspecs)
        for name in blocked:
            manager.set_blocked(name)
        manager.register(CoreDefaults(), name=DEFAULTS_NAME)
        sources: dict[str, PluginSource] = {}
        for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
            if manager.is_blocked(ep.name) or (wanted is not None and ep.name not in wanted):
                continue
            if ep.name in sources:
                raise PluginLoadError(f"jurisdiction plugin {ep.name!r} is installed twice")
            try:
                plugin = ep.load()
            except Exception as exc:  # any import error of a plugin is reported by name
                raise PluginLoadError(
                    f"jurisdiction plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}"
                ) from exc
            dist = getattr(ep, "dist", None)
            _register(manager, ep.name, plugin)
            sources[ep.name] = PluginSource(
                ep.name, ep.value, dist.name if dist else None, dist.version if dist else None
            )
        for name, plugin in extra:
            _register(manager, name, plugin)
            sources[name] = PluginSource(name, repr(plugin), None, None)
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginLoadError(f"jurisdiction plugin {exc.plugin!r}: {exc}") from exc
        loaded = cls(manager, sources)
        for code in sources:
            loaded._validate(code)
        return loaded

    def _validate(self, code: str) -> None:
        jurisdiction = self._by_code[code]
        plugin = self.manager.get_plugin(code)
        missing = [
            hook
            for hook in REQUIRED_HOOKS
            if not any(impl.plugin is plugin for impl in getattr(self.manager.hook, hook).get_hookimpls())
        ]
        if missing:
            raise PluginLoadError(f"jurisdiction plugin {code!r} does not implement {', '.join(missing)}")
        try:
            info = jurisdiction.info
            rules = jurisdiction.rules
            params = jurisdiction.parameters
        except Exception as exc:
            raise PluginLoadError(f"jurisdiction plugin {code!r} failed to describe itself: {exc}") from exc
        if info.code != code:
            raise PluginLoadError(
                f"jurisdiction plugin {code!r} calls itself {info.code!r}; the code must equal the entry-point name"
            )
        ids = [p.id for p in params]
        if len(ids) != len(set(ids)):
            raise PluginLoadError(f"jurisdiction plugin {code!r} declares a parameter twice")
        if info.cycle_years_param and info.cycle_years_param not in ids:
            raise PluginLoadError(f"jurisdiction plugin {code!r}: unknown cycle parameter {info.cycle_years_param}")
        if not rules:
            raise PluginLoadError(f"jurisdiction plugin {code!r} declares no rules")

    # -- lookup --------------------------------------------------------------------------------
    def get(self, code: str) -> Jurisdiction:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownJurisdiction(
                f"no jurisdiction plugin {code!r} is installed (installed: {', '.join(self.codes()) or 'none'})"
            ) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def all(self) -> list[Jurisdiction]:
        return [self._by_code[c] for c in self.codes()]


def _register(manager: pluggy.PluginManager, name: str, plugin: Any) -> None:
    try:
        manager.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise PluginLoadError(f"jurisdiction plugin {name!r} could not be registered: {exc}") from exc
