"""The central comparison as tables (shown, charted and exported alike) in the reader's language.

Every chart is drawn from the table beside it: a :class:`Table` carries its headers, its rows (a
:class:`Cell` keeps the exported value, the text shown and a drill-down link) and the chart specs
that ``static/central.js`` hands to ECharts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from mingshi.core.money import format_yuan_display
from mingshi.core.periods import Period
from mingshi.core.rules.results import Grade
from mingshi.core.services.central import (
    GRADES,
    GROUPS,
    OUTPUT_LEVELS,
    Comparison,
    TenantView,
    YearFigures,
    percent,
)
from mingshi.core.vocab import ACTIVITY_GROUP_LABELS, COMMON, Label

#: the core's normalized scale, named in both languages (each plugin has its own words beside it)
NORMALIZED_GRADES: dict[str, Label] = {
    str(Grade.EXCELLENT): Label("优秀", "excellent"),
    str(Grade.PASS): Label("合格", "pass"),
    str(Grade.FAIL): Label("不合格", "fail"),
    str(Grade.PENDING): Label("待定", "pending"),
}
APPLICATION_STATUSES = ("draft", "submitted", "recommended", "reviewing", "notice")


@dataclass(frozen=True)
class Cell:
    """``value`` is exported; ``text`` (default: the value) is shown; ``href`` drills down."""

    value: Any
    text: str | None = None
    href: str | None = None
    #: the class of its element: ``rule-id`` for an identifier, ``article`` for a citation of the policy
    css: str | None = None

    @property
    def shown(self) -> str:
        if self.text is not None:
            return self.text
        return "—" if self.value is None else str(self.value)

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, (int, Decimal)) and not isinstance(self.value, bool)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str | None = None
    charts: list[dict[str, Any]] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        self.rows.append([c if isinstance(c, Cell) else Cell(c) for c in cells])

    def export_rows(self) -> list[list[Any]]:
        return [[c.value for c in row] for row in self.rows]


def _num(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _rate(value: Decimal | None) -> Cell:
    return Cell(value, "—" if value is None else f"{value}%")


def _money(fen: int) -> Cell:
    return Cell(Decimal(fen).scaleb(-2), format_yuan_display(fen))


def _period_text(period: Period, locale: str) -> str:
    if locale == "en":
        return f"{period.start.isoformat()} – {period.end.isoformat()}"
    start, end = period.start, period.end
    return f"{start.year}年{start.month}月{start.day}日—{end.year}年{end.month}月{end.day}日"


def _chart(
    key: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    kind: str = "bar",
    stack: bool = False,
    unit: str = "",
    links: list[str | None] | None = None,
) -> dict[str, Any]:
    return {
        "id": key,
        "type": kind,
        "title": title,
        "stack": stack,
        "unit": unit,
        "categories": categories,
        "series": [{"name": name, "data": [_num(v) for v in data]} for name, data in series],
        "links": links or [],
    }


class Tables:
    """Builds every table of the comparison for ``year`` (and the trend up to it)."""

    def __init__(self, comparison: Comparison, year: int, locale: str) -> None:
        self.c = comparison
        self.year = year
        self.locale = locale
        self.tenants = list(comparison.tenants.compared)

    # -- helpers ---------------------------------------------------------------------------------
    def name(self, t: TenantView) -> str:
        return t.display(self.locale)

    def drill(self, t: TenantView, **filters: str) -> str:
        return url_for("central.studios", tenant=t.code, **filters)

    def tenant_cell(self, t: TenantView) -> Cell:
        return Cell(self.name(t), href=self.drill(t))

    def f(self, t: TenantView, year: int | None = None) -> YearFigures:
        return self.c.of(t.id, year or self.year)

    def label(self, value: Label) -> str:
        return value(self.locale)

    def names(self) -> list[str]:
        return [self.name(t) for t in self.tenants]

    def links(self) -> list[str | None]:
        return [self.drill(t) for t in self.tenants]

    # -- the tables ------------------------------------------------------------------------------
    def all(self) -> list[Table]:
        return [
            self.scales(),
            self.studios(),
            self.kinds(),
            self.members(),
            self.activities(),
            self.outputs(),
            self.grades(),
            self.quotas(),
            self.funds(),
            self.removals(),
            self.trend(),
        ]

    def builders(self) -> dict[str, Callable[[], Table]]:
        return {
            "scales": self.scales,
            "studios": self.studios,
            "kinds": self.kinds,
            "members": self.members,
            "activities": self.activities,
            "outputs": self.outputs,
            "grades": self.grades,
            "quotas": self.quotas,
            "funds": self.funds,
            "removals": self.removals,
            "trend": self.trend,
        }

    def scales(self) -> Table:
        table = Table(
            "scales",
            _("Years and grading scales"),
            [
                _("Jurisdiction"),
                _("Policy"),
                _("Year %(year)s covers", year=self.year),
                _("Annual assessment"),
                *[self.label(NORMALIZED_GRADES[g]) for g in GRADES],
            ],
            note=_(
                "Each jurisdiction counts its year its own way and grades in its own words; the comparison "
                "maps both onto the common scale (the local word is shown under each grade)."
            ),
        )
        for t in self.tenants:
            info = t.jurisdiction.info
            labels = info.grade_labels
            table.add(
                self.tenant_cell(t),
                f"《{info.policy_title}》{info.policy_number or ''}",
                _period_text(self.f(t).period, self.locale),
                _("yes") if "annual" in info.evaluations else _("no: assessed at the end of the cycle"),
                *[labels[Grade(g)](self.locale) if Grade(g) in labels else "—" for g in GRADES],
            )
        return table

    def studios(self) -> Table:
        statuses = [
            ("active", _("active")),
            ("completed", _("completed")),
            ("disqualified", _("disqualified")),
            ("applications", _("applications")),
            ("rejected", _("rejected")),
        ]
        table = Table(
            "studios",
            _("Studios by status"),
            [_("Jurisdiction"), _("Running in %(year)s", year=self.year), *[s[1] for s in statuses], _("Total")],
            note=_(
                "Statuses are as of today. A studio runs in a year when it was plaqued, its cycle had begun "
                "and it had a host during the year."
            ),
        )
        series: dict[str, list[int]] = {code: [] for code, _label in statuses}
        for t in self.tenants:
            counts = self.c.by_status.get(t.id, {})
            values = {
                "applications": sum(counts.get(s, 0) for s in APPLICATION_STATUSES),
                **{s: counts.get(s, 0) for s in ("active", "completed", "disqualified", "rejected")},
            }
            cells = []
            for code, _label in statuses:
                series[code].append(values[code])
                href = self.drill(t, status=code) if code != "applications" and values[code] else None
                cells.append(Cell(values[code], href=href))
            table.add(self.tenant_cell(t), self.f(t).studios, *cells, sum(counts.values()))
        table.charts.append(
            _chart(
                "studios",
                table.title,
                self.names(),
                [(label, series[code]) for code, label in statuses],
                stack=True,
                links=self.links(),
            )
        )
        return table

    def kinds(self) -> Table:
        table = Table("kinds", _("Studios by kind"), [_("Jurisdiction"), _("Kind"), _("Code"), _("Studios")])
        # the code stays (the same kind is named differently by each city), shown as an identifier
        categories, values, links = [], [], []
        for t in self.tenants:
            kinds = t.jurisdiction.info.studio_kinds
            for code, n in sorted(self.c.by_kind.get(t.id, {}).items()):
                label = kinds[code](self.locale) if code in kinds else code
                table.add(self.tenant_cell(t), label, Cell(code, css="rule-id"), Cell(n, href=self.drill(t, kind=code)))
                categories.append(f"{self.name(t)} · {label}")
                values.append(n)
                links.append(self.drill(t, kind=code))
        table.charts.append(_chart("kinds", table.title, categories, [(_("Studios"), values)], links=links))
        return table

    def members(self) -> Table:
        table = Table(
            "members",
            _("Members and trainees in %(year)s", year=self.year),
            [_("Jurisdiction"), _("Called"), _("Members or trainees"), _("Studios running"), _("Per studio")],
            note=_("Everyone who belonged to a running studio at some time in the year, hosts not counted."),
        )
        per = []
        for t in self.tenants:
            f = self.f(t)
            table.add(
                self.tenant_cell(t),
                self.label(t.jurisdiction.info.member_label),
                f.members,
                f.studios,
                f.per_studio(f.members),
            )
            per.append(f.per_studio(f.members))
        table.charts.append(_chart("members", table.title, self.names(), [(_("Per studio"), per)], links=self.links()))
        return table

    def activities(self) -> Table:
        groups = [(g, self.label(ACTIVITY_GROUP_LABELS[g])) for g in GROUPS]
        table = Table(
            "activities",
            _("Activities per studio by type, %(year)s", year=self.year),
            [_("Jurisdiction"), _("Studios running"), *[label for _g, label in groups], _("Total"), _("Per studio")],
            note=_(
                "Activity types are grouped once for all jurisdictions; a type a jurisdiction adds itself "
                "counts as other. The chart shows activities per studio."
            ),
        )
        series: dict[str, list[Decimal | None]] = {g: [] for g, _label in groups}
        for t in self.tenants:
            f = self.f(t)
            table.add(
                self.tenant_cell(t),
                f.studios,
                *[f.activities[g] for g, _label in groups],
                f.activities_total,
                f.per_studio(f.activities_total),
            )
            for g, _label in groups:
                series[g].append(f.per_studio(f.activities[g]))
        table.charts.append(
            _chart(
                "activities",
                table.title,
                self.names(),
                [(label, series[g]) for g, label in groups],
                stack=True,
                links=self.links(),
            )
        )
        return table

    def outputs(self) -> Table:
        levels = COMMON.kinds["levels"]
        named = [(lv, levels[lv](self.locale) if lv in levels else _("no level")) for lv in OUTPUT_LEVELS]
        table = Table(
            "outputs",
            _("Outputs per studio by level, %(year)s", year=self.year),
            [_("Jurisdiction"), _("Studios running"), *[label for _lv, label in named], _("Total"), _("Per studio")],
        )
        series: dict[str, list[Decimal | None]] = {lv: [] for lv, _label in named}
        for t in self.tenants:
            f = self.f(t)
            table.add(
                self.tenant_cell(t),
                f.studios,
                *[f.outputs[lv] for lv, _label in named],
                f.outputs_total,
                f.per_studio(f.outputs_total),
            )
            for lv, _label in named:
                series[lv].append(f.per_studio(f.outputs[lv]))
        table.charts.append(
            _chart(
                "outputs",
                table.title,
                self.names(),
                [(label, series[lv]) for lv, label in named],
                stack=True,
                links=self.links(),
            )
        )
        return table

    def grades(self) -> Table:
        table = Table(
            "grades",
            _("Annual grades, %(year)s", year=self.year),
            [_("Jurisdiction"), _("Grade (common scale)"), _("Local grade"), _("Studios"), _("Share (%)")],
            note=_("The latest stored annual assessment of each studio for the year counts."),
        )
        series: dict[str, list[int]] = {g: [] for g in GRADES}
        for t in self.tenants:
            f = self.f(t)
            info = t.jurisdiction.info
            for g in GRADES:
                series[g].append(f.grades[g])
            if "annual" not in info.evaluations:
                table.add(
                    self.tenant_cell(t), "—", _("no annual assessment: assessed at the end of the cycle"), None, None
                )
                continue
            if not f.assessed:
                table.add(self.tenant_cell(t), "—", _("no annual assessment stored for this year"), 0, None)
                continue
            for g in GRADES:
                local = info.grade_labels.get(Grade(g))
                table.add(
                    self.tenant_cell(t),
                    Cell(g, self.label(NORMALIZED_GRADES[g])),
                    local(self.locale) if local else "—",
                    f.grades[g],
                    _rate(percent(f.grades[g], f.assessed)),
                )
        table.charts.append(
            _chart(
                "grades",
                table.title,
                self.names(),
                [(self.label(NORMALIZED_GRADES[g]), series[g]) for g in GRADES],
                stack=True,
                links=self.links(),
            )
        )
        return table

    def quotas(self) -> Table:
        table = Table(
            "quotas",
            _("Quota completion, %(year)s", year=self.year),
            [
                _("Jurisdiction"),
                _("Studios assessed"),
                _("Criteria met"),
                _("Criteria judged"),
                _("Completion rate (%)"),
                _("Excellent or pass"),
                _("Pass rate (%)"),
            ],
            note=_(
                "Read from the stored annual assessments, not recomputed: the completion rate is the share of "
                "criteria met among those judged met, unmet or pending (not applicable and advisory ones left "
                "out); the pass rate is the share of assessed studios graded excellent or pass."
            ),
        )
        completion, passing = [], []
        for t in self.tenants:
            f = self.f(t)
            table.add(
                self.tenant_cell(t),
                f.assessed,
                f.criteria["met"],
                f.criteria_total,
                _rate(f.quota_rate),
                f.passed,
                _rate(f.pass_rate),
            )
            completion.append(f.quota_rate)
            passing.append(f.pass_rate)
        table.charts.append(
            _chart(
                "quotas",
                table.title,
                self.names(),
                [(_("Completion rate"), completion), (_("Pass rate"), passing)],
                unit="%",
                links=self.links(),
            )
        )
        return table

    def funds(self) -> Table:
        table = Table(
            "funds",
            _("Funds allocated and spent, %(year)s", year=self.year),
            [_("Jurisdiction"), _("Allocated (yuan)"), _("Spent (yuan)"), _("Execution rate (%)")],
            note=_(
                "Allocated: the programme's grant for the year (corrections and recoveries included); spent: "
                "expenses dated in the jurisdiction's year; execution rate = spent / allocated."
            ),
        )
        allocated, spent = [], []
        for t in self.tenants:
            f = self.f(t)
            table.add(self.tenant_cell(t), _money(f.allocated_fen), _money(f.spent_fen), _rate(f.execution_rate))
            allocated.append(Decimal(f.allocated_fen).scaleb(-2))
            spent.append(Decimal(f.spent_fen).scaleb(-2))
        table.charts.append(
            _chart(
                "funds",
                table.title,
                self.names(),
                [(_("Allocated (yuan)"), allocated), (_("Spent (yuan)"), spent)],
                unit=_("yuan"),
                links=self.links(),
            )
        )
        return table

    def removals(self) -> Table:
        table = Table(
            "removals",
            _("Members removed and why, %(year)s", year=self.year),
            [_("Jurisdiction"), _("Rule"), _("Why"), _("Article"), _("Members removed")],
            note=_("Removals dated in the year, by the rule that removed the member."),
        )
        reasons: dict[str, list[int]] = {}
        for index, t in enumerate(self.tenants):
            f = self.f(t)
            rules = t.jurisdiction.rules
            if not f.removals:
                table.add(self.tenant_cell(t), "—", _("nobody removed"), "", 0)
            for rule_id, n in sorted(f.removals.items()):
                rule = rules.get(rule_id)
                why = (
                    self.label(rule.title)
                    if rule
                    else (_("removed by the administrator") if rule_id == "manual" else rule_id)
                )
                table.add(
                    self.tenant_cell(t),
                    Cell(rule_id, rule_id if rule else "—", css="rule-id"),
                    why,
                    Cell(rule.basis if rule else "", css="article"),
                    n,
                )
                reasons.setdefault(why, [0] * len(self.tenants))[index] += n
        table.charts.append(
            _chart("removals", table.title, self.names(), sorted(reasons.items()), stack=True, links=self.links())
        )
        return table

    def trend(self) -> Table:
        years = list(self.c.years)
        table = Table(
            "trend",
            _("Trend, %(first)s–%(last)s", first=years[0], last=years[-1]),
            [
                _("Jurisdiction"),
                _("Year"),
                _("Period"),
                _("Studios running"),
                _("Activities per studio"),
                _("Outputs per studio"),
                _("Pass rate (%)"),
                _("Execution rate (%)"),
            ],
        )
        activity: list[tuple[str, list[Any]]] = []
        execution: list[tuple[str, list[Any]]] = []
        for t in self.tenants:
            a_values, e_values = [], []
            for year in years:
                f = self.f(t, year)
                table.add(
                    self.tenant_cell(t),
                    year,
                    _period_text(f.period, self.locale),
                    f.studios,
                    f.per_studio(f.activities_total),
                    f.per_studio(f.outputs_total),
                    _rate(f.pass_rate),
                    _rate(f.execution_rate),
                )
                a_values.append(f.per_studio(f.activities_total))
                e_values.append(f.execution_rate)
            activity.append((self.name(t), a_values))
            execution.append((self.name(t), e_values))
        labels = [str(y) for y in years]
        table.charts.append(_chart("trend-activities", _("Activities per studio"), labels, activity, kind="line"))
        table.charts.append(_chart("trend-execution", _("Execution rate"), labels, execution, kind="line", unit="%"))
        return table
