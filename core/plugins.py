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

from mingshi.core import hookspecs
from mingshi.core.hookspecs import hookimpl
from mingshi.core.i18n import CORE as _
from mingshi.core.periods import Period, calendar_year, cycle, school_year_ending_in
from mingshi.core.rules.documents import RequiredDocument
from mingshi.core.rules.facts import ActivityFact, StudioFact, StudioFacts
from mingshi.core.rules.jurisdiction import (
    TERM_KINDS,
    DemoData,
    DemoSchool,
    JurisdictionInfo,
    PolicyVersion,
    RuleDef,
    Terms,
)
from mingshi.core.rules.params import COMMON_PARAMETERS, DatedValue, ParameterDef, ParamSet
from mingshi.core.rules.results import Credit, Criterion, Evaluation, FirstYear, Funding, Removal
from mingshi.core.vocab import COMMON, Vocabulary

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


#: the demo of a jurisdiction that gives none (hook ``mingshi_demo_data``)
GENERIC_DEMO = DemoData(
    counties=("市辖区", "东县", "西县"),
    schools=(
        DemoSchool("市第一中学", "市辖区", False, "secondary"),
        DemoSchool("市实验小学", "市辖区", False, "primary"),
        DemoSchool("东县第二中学", "东县", True, "secondary"),
        DemoSchool("西县中心小学", "西县", True, "primary"),
        DemoSchool("东县实验学校", "东县", True, "secondary"),
    ),
    themes=("课堂教学改革", "教师专业发展"),
    activity_types=("seminar", "open_class", "lecture", "send_teaching", "training"),
    output_types=("paper", "news_brief", "teaching_design"),
)


class CoreDefaults:
    """The core's answers where a plugin gives none (``trylast``, so any plugin wins).

    Defaults that need the jurisdiction's own description or other hooks (the annual period by
    ``JurisdictionInfo.annual_period``, the allocation after the first year, the policy version)
    are composed by :class:`Jurisdiction` when the plugin answers ``None``."""

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
    def mingshi_credits(self, facts: StudioFacts, period: Period, evaluation: Evaluation):
        return []

    @hookimpl(trylast=True)
    def mingshi_vocabulary(self):
        return Vocabulary()

    @hookimpl(trylast=True)
    def mingshi_demo_data(self):
        return GENERIC_DEMO

    @hookimpl(trylast=True)
    def mingshi_terms(self):
        return Terms()

    @hookimpl(trylast=True)
    def mingshi_required_documents(self, studio, year, activities, params):
        return []

    @hookimpl(trylast=True)
    def mingshi_check_document_title(self, document, title, host):
        return None


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

    @cached_property
    def terms(self) -> Terms:
        """The jurisdiction's own words (hook ``mingshi_terms``)."""
        return self._call("mingshi_terms") or Terms()

    def offered(self, kind: str) -> tuple[str, ...]:
        """The codes of ``kind`` the jurisdiction offers: its declared terms for the kinds it narrows
        (activity and output types, site fields), else the whole vocabulary of ``kind``."""
        declared = self.terms.of(kind) if kind in TERM_KINDS else None
        if declared is None:
            return self.vocabulary.codes(kind)
        known = set(self.vocabulary.codes(kind))
        return tuple(t.code for t in declared if t.code in known)

    def paramset(
        self,
        tenant_values: Mapping[str, Iterable[DatedValue]] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> ParamSet:
        return ParamSet(self.parameters, tenant_values, overrides)

    # -- periods and rules ---------------------------------------------------------------------
    def annual_period(self, *, year: int, params: ParamSet) -> Period:
        """The period of the annual assessment of ``year``, the same for every studio."""
        period = self._call("mingshi_annual_period", year=year, params=params)
        if period is not None:
            return period
        if self.info.annual_period == "school_year":
            return school_year_ending_in(year, params.value("common.school_year_start", dt.date(year - 1, 12, 31)))
        return calendar_year(year)

    def assessment_period(self, *, studio: StudioFact, kind: str, year: int | None, params: ParamSet) -> Period:
        if kind == "annual" and year is None:
            raise ValueError("an annual assessment needs a year")
        period = self._call("mingshi_assessment_period", studio=studio, kind=kind, year=year, params=params)
        if period is not None:
            return period
        if kind == "annual":
            assert year is not None
            return self.annual_period(year=year, params=params)
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

    def credits(self, *, facts: StudioFacts, period: Period, evaluation: Evaluation) -> list[Credit]:
        """The credits the rules propose from a stored cycle result (``[]``: none)."""
        return list(self._call("mingshi_credits", facts=facts, period=period, evaluation=evaluation) or [])

    @cached_property
    def recognizes_credits(self) -> bool:
        """Whether the plugin itself answers ``mingshi_credits`` (the core default recognizes none)."""
        plugin = self._pm.get_plugin(self.code)
        return any(impl.plugin is plugin for impl in self._pm.hook.mingshi_credits.get_hookimpls())

    def policy_version(self, *, studio: StudioFact, kind: str, period: Period) -> PolicyVersion:
        """The version of the policy the studio is assessed under for ``period``."""
        versions = self.info.versions()
        key = self._call("mingshi_policy_version", studio=studio, kind=kind, period=period)
        if key is not None:
            for version in versions:
                if version.key == key:
                    return version
            raise PluginLoadError(f"jurisdiction plugin {self.code!r} names an undeclared policy version {key!r}")
        on = studio.cycle_start or period.start
        in_force = [v for v in versions if v.effective_from <= on]
        return in_force[-1] if in_force else versions[0]

    def allocation(self, *, facts: StudioFacts, year: int, params: ParamSet) -> Funding | None:
        """The funds the rules allocate for ``year``; ``None``: no rule says (the administrator enters it).

        The plugin answers first; otherwise a year after the cycle's first is funded as the annual
        assessment of ``year - 1`` decides (``mingshi_funding``)."""
        funding = self._call("mingshi_allocation", facts=facts, year=year)
        if funding is not None:
            return funding
        start = facts.studio.cycle_start
        if start is None or year <= start.year or "annual" not in self.info.evaluations:
            return None
        period = self.assessment_period(studio=facts.studio, kind="annual", year=year - 1, params=params)
        evaluation = self.assess(facts=facts, period=period, kind="annual")
        return self.funding(facts=facts, period=period, kind="annual", evaluation=evaluation)

    def required_documents(
        self, *, studio: StudioFact, year: int, activities: tuple[ActivityFact, ...], params: ParamSet
    ) -> list[RequiredDocument]:
        """The documents the studio must file for ``year`` (hook ``mingshi_required_documents``);
        each code must be a declared rule."""
        found = list(
            self._call("mingshi_required_documents", studio=studio, year=year, activities=activities, params=params)
            or []
        )
        unknown = sorted({d.code for d in found} - self.rules.keys())
        if unknown:
            raise PluginLoadError(f"jurisdiction plugin {self.code!r} requires undeclared documents: {unknown}")
        return found

    def check_document_title(self, *, document: RequiredDocument, title: str, host: str | None) -> Any:
        """What is wrong with a submitted title (a Text), or None (hook ``mingshi_check_document_title``)."""
        if not document.checks_title:
            return None
        return self._call("mingshi_check_document_title", document=document, title=title, host=host)

    @cached_property
    def demo_data(self) -> DemoData:
        return self._call("mingshi_demo_data")


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
        if info.contract != hookspecs.CONTRACT_VERSION:
            said = f"contract {info.contract}" if info.contract else "no contract version"
            raise PluginLoadError(
                f"jurisdiction plugin {code!r} ({self._sources[code].value}) was built for {said}; this mingshi "
                f"implements contract {hookspecs.CONTRACT_VERSION}: install a version of the plugin made for it"
            )
        keys = [v.key for v in info.versions()]
        if len(keys) != len(set(keys)):
            raise PluginLoadError(f"jurisdiction plugin {code!r} declares a policy version twice")
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
