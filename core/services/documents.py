"""The documents a bureau files, built from the data (issue 17): what they say, not how they look.

Each builder returns an :class:`OfficialDocument`: the issuing organ, the title, the date, the
paragraphs and a table, every text a :class:`~mingshi.core.vocab.Label` (Chinese and English) or
data. The web renders it in Chinese official-document layout (GB/T 9704) as PDF and as .docx
(``web/documents.py``); nothing here knows a page or a font.

* :func:`notice_list`: the public notice (公示) of the studios of an application round now in notice.
* :func:`plaque_list`: the studios given their plaque (挂牌) in a year.
* :func:`assessment_report`: a studio's stored assessment for a period, criterion by criterion.
* :func:`fund_usage_report`: a studio's year-end report of fund use (年末经费使用情况), from the ledger.
* :func:`cycle_summary`: a studio's cycle so far: its period, each stored assessment, its records, its funds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.money import format_fen
from mingshi.core.services import funds
from mingshi.core.services.evaluation import tenant_of
from mingshi.core.vocab import Label

Cell = str | Label


@dataclass(frozen=True)
class Table:
    headers: Sequence[Label]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class OfficialDocument:
    #: 发文机关: the bureau
    organ: Label
    title: Label
    date: dt.date
    paragraphs: Sequence[Label] = ()
    table: Table | None = None
    closing: Sequence[Label] = ()
    #: a file name without extension, in ASCII
    stem: str = "document"
    extra: dict[str, Any] = field(default_factory=dict)


def _organ(tenant: m.Tenant) -> Label:
    return Label(
        f"{tenant.name}教育局" if not tenant.name.endswith("局") else tenant.name,
        (tenant.name_en or tenant.code) + " Education Bureau",
    )


def _hosts(session: Session, studio_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The host's name and school of each studio (one statement, also when there is none)."""
    rows = session.execute(
        select(m.Membership.studio_id, m.Person.name, m.School.name)
        .join(m.Person, m.Person.id == m.Membership.person_id)
        .outerjoin(m.School, m.School.id == m.Person.school_id)
        .where(m.Membership.studio_id.in_(studio_ids), m.Membership.role == "host")
        .order_by(m.Membership.id)
    )
    out: dict[int, tuple[str, str]] = {}
    for studio_id, person, school in rows:
        out.setdefault(studio_id, (person, school or ""))
    return out


def _kind(jurisdiction: Any, code: str) -> Label:
    kinds = jurisdiction.info.studio_kinds
    return kinds[code] if code in kinds else Label(code, code)


def notice_list(session: Session, jurisdiction: Any, *, today: dt.date) -> OfficialDocument:
    """The 公示 of the studios now in public notice, with the notice's last day."""
    tenant = tenant_of(session)
    last = (
        select(m.StudioTransition.studio_id, func.max(m.StudioTransition.notice_until).label("until"))
        .where(m.StudioTransition.to_status == "notice")
        .group_by(m.StudioTransition.studio_id)
        .subquery()
    )
    studios = session.execute(
        select(m.Studio, last.c.until)
        .outerjoin(last, last.c.studio_id == m.Studio.id)
        .where(m.Studio.status == "notice")
        .order_by(m.Studio.county, m.Studio.name, m.Studio.id)
    ).all()
    hosts = _hosts(session, [s.id for s, _ in studios])
    until = max((u for _, u in studios if u is not None), default=None)
    rows = [
        [str(i), s.name, _kind(jurisdiction, s.kind), s.county or "", *hosts.get(s.id, ("", ""))]
        for i, (s, _) in enumerate(studios, start=1)
    ]
    day = until.strftime("%Y年%m月%d日") if until else "—"
    day_en = until.isoformat() if until else "—"
    paragraphs = [
        Label(
            f"经个人申报、单位推荐、专家评审，拟认定以下{len(rows)}个工作室，现予以公示。公示期至{day}。"
            "对公示对象有异议的，请在公示期内以书面形式向我局反映，反映情况须实事求是，并署真实姓名和联系方式。",
            f"After application, recommendation and review, the following {len(rows)} studios are proposed for "
            f"approval and are hereby given public notice until {day_en}. Objections may be made in writing to the "
            "bureau within the notice period, truthfully and with the objector's real name and contact.",
        )
    ]
    if not rows:
        paragraphs = [Label("目前没有处于公示期的工作室。", "No studio is in public notice at present.")]
    headers = [
        Label("序号", "No."),
        Label("工作室名称", "Studio"),
        Label("类别", "Kind"),
        Label("县（区）", "County"),
        Label("主持人", "Host"),
        Label("所在单位", "School"),
    ]
    return OfficialDocument(
        organ=_organ(tenant),
        title=Label("拟认定工作室名单公示", "Public notice of the studios proposed for approval"),
        date=today,
        paragraphs=paragraphs,
        table=Table(headers, rows) if rows else None,
        stem=f"{tenant.code}-notice-{today.isoformat()}",
    )


def plaque_list(session: Session, jurisdiction: Any, *, year: int, today: dt.date) -> OfficialDocument:
    """The studios given their plaque (挂牌) in ``year``: their step into ``active`` that year, or, for a
    studio recorded without its application history, its cycle's first day in that year."""
    tenant = tenant_of(session)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    stepped = (
        select(m.StudioTransition.studio_id, func.min(m.StudioTransition.at).label("at"))
        .where(m.StudioTransition.to_status == "active")
        .group_by(m.StudioTransition.studio_id)
        .subquery()
    )
    rows_db = session.execute(
        select(m.Studio, stepped.c.at)
        .outerjoin(stepped, stepped.c.studio_id == m.Studio.id)
        .where(m.Studio.status.not_in(("draft", "submitted", "recommended", "reviewing", "notice", "rejected")))
        .order_by(m.Studio.county, m.Studio.name, m.Studio.id)
    ).all()
    chosen = []
    for studio, at in rows_db:
        day = at.date() if at is not None else studio.cycle_start
        if day is not None and start <= day <= end:
            chosen.append((studio, day))
    hosts = _hosts(session, [s.id for s, _ in chosen])
    rows = [
        [str(i), s.name, _kind(jurisdiction, s.kind), s.county or "", *hosts.get(s.id, ("", "")), day.isoformat()]
        for i, (s, day) in enumerate(chosen, start=1)
    ]
    paragraphs = [
        Label(
            f"经公示无异议，现认定以下{len(rows)}个工作室并授牌。各工作室应按照管理办法开展工作，主动接受考核。",
            f"The notice having drawn no objection, the following {len(rows)} studios are approved and given their "
            "plaque. Each studio shall work as the measures provide and submit to assessment.",
        )
        if rows
        else Label(f"{year}年没有工作室挂牌。", f"No studio was given its plaque in {year}.")
    ]
    headers = [
        Label("序号", "No."),
        Label("工作室名称", "Studio"),
        Label("类别", "Kind"),
        Label("县（区）", "County"),
        Label("主持人", "Host"),
        Label("所在单位", "School"),
        Label("挂牌日期", "Plaque"),
    ]
    return OfficialDocument(
        organ=_organ(tenant),
        title=Label(f"{year}年工作室认定（挂牌）名单", f"Studios approved (plaque) in {year}"),
        date=today,
        paragraphs=paragraphs,
        table=Table(headers, rows) if rows else None,
        stem=f"{tenant.code}-plaque-{year}",
    )


STATUS_WORDS = {
    "met": Label("达成", "met"),
    "unmet": Label("未达成", "not met"),
    "pending": Label("待认定", "pending"),
    "not_applicable": Label("不适用", "not applicable"),
}


def assessment_report(
    session: Session, jurisdiction: Any, record: m.AssessmentRecord, *, today: dt.date
) -> OfficialDocument:
    """A studio's stored assessment for its period, criterion by criterion, in the words it was stored with
    (the tenant's language and English), and its grade."""
    tenant = tenant_of(session)
    studio = session.get(m.Studio, record.studio_id)
    local = record.result or {}
    english = local.get("en") or local
    en_by_id = {c.get("id"): c for c in english.get("criteria") or []}
    rules = jurisdiction.rules
    rows: list[list[Cell]] = []
    for i, c in enumerate(local.get("criteria") or [], start=1):
        rule = rules.get(c.get("id"))
        en = en_by_id.get(c.get("id"), c)
        status = str(c.get("status") or "")
        rows.append(
            [
                str(i),
                rule.title if rule is not None else str(c.get("id")),
                str(c.get("basis") or ""),
                STATUS_WORDS.get(status, Label(status, status)),
                Label(str(c.get("explanation") or ""), str(en.get("explanation") or "")),
            ]
        )
    grade = Label(
        str((local.get("grade") or {}).get("label") or record.grade),
        str((english.get("grade") or {}).get("label") or record.grade),
    )
    policy = str((local.get("policy") or {}).get("title") or "管理办法")
    policy = policy if policy.startswith("《") else f"《{policy}》"
    period = Label(
        f"{record.period}年度" if record.kind == "annual" else f"{record.period}周期",
        f"the year {record.period}" if record.kind == "annual" else f"the cycle {record.period}",
    )
    paragraphs = [
        Label(
            f"根据{policy}，对{studio.name}{period.zh}的工作进行了考核，考核结果为：{grade.zh}。各项考核内容如下。",
            f"Under the measures, the work of {studio.name} in {period.en} was assessed; the result is: {grade.en}. "
            "Each criterion follows.",
        )
    ]
    if record.withdrawn_at is not None:
        day, reason = record.withdrawn_at.date().isoformat(), record.withdrawal_reason or ""
        paragraphs.append(Label(f"此考核结果已于{day}撤回：{reason}", f"This result was withdrawn on {day}: {reason}"))
    headers = [
        Label("序号", "No."),
        Label("考核内容", "Criterion"),
        Label("依据", "Article"),
        Label("结果", "Result"),
        Label("说明", "Explanation"),
    ]
    return OfficialDocument(
        organ=_organ(tenant),
        title=Label(f"{studio.name}{period.zh}考核结果报告", f"Assessment of {studio.name}, {period.en}"),
        date=today,
        paragraphs=paragraphs,
        table=Table(headers, rows) if rows else None,
        stem=f"{tenant.code}-studio-{studio.id}-assessment-{record.period}",
    )


def _yuan(fen: int) -> str:
    return f"¥{format_fen(fen)}"


def fund_usage_report(
    session: Session, jurisdiction: Any, studio: m.Studio, *, year: int, today: dt.date
) -> OfficialDocument:
    """A studio's year-end report of fund use: every figure from the ledger service for that year (a
    reversal in its original's year), the school's matching funds apart."""
    tenant = tenant_of(session)
    book = funds.ledger(session, studio)
    report = funds.usage_report(book, year)
    categories = jurisdiction.vocabulary.kinds.get("expense_categories", {})
    rows: list[list[Cell]] = [
        [str(i), categories.get(code, Label(code, code)), _yuan(fen)]
        for i, (code, fen) in enumerate(sorted(report.by_category.items()), start=1)
    ]
    matching = sum(a.amount_fen for a in book.allocations if a.source == "school_matching" and a.year == year)
    paragraphs = [
        Label(
            f"{studio.name}{year}年度经费：上年结转{_yuan(report.carried_in_fen)}，本年拨付{_yuan(report.allocated_fen)}，"
            f"本年支出{_yuan(report.spent_fen)}，年末结余{_yuan(report.balance_fen)}。支出按类别如下。",
            f"Funds of {studio.name} in {year}: carried in {_yuan(report.carried_in_fen)}, granted "
            f"{_yuan(report.allocated_fen)}, spent {_yuan(report.spent_fen)}, balance at the year's end "
            f"{_yuan(report.balance_fen)}. The expenses by category follow.",
        )
    ]
    closing = []
    if matching:
        closing.append(
            Label(
                f"另：学校配套经费{_yuan(matching)}，单独列示，不计入专项经费结余。",
                f"In addition, the school's matching funds of {_yuan(matching)} are shown apart and are not part "
                "of the subsidy's balance.",
            )
        )
    if not rows:
        paragraphs.append(Label("本年度没有支出。", "No expense was made this year."))
    return OfficialDocument(
        organ=_organ(tenant),
        title=Label(f"{studio.name}{year}年度经费使用情况报告", f"Use of funds by {studio.name} in {year}"),
        date=today,
        paragraphs=paragraphs,
        table=Table([Label("序号", "No."), Label("支出类别", "Category"), Label("金额", "Amount")], rows)
        if rows
        else None,
        closing=closing,
        stem=f"{tenant.code}-studio-{studio.id}-funds-{year}",
    )


def cycle_summary(session: Session, jurisdiction: Any, studio: m.Studio, *, today: dt.date) -> OfficialDocument:
    """A studio's cycle: its period (the plugin's), the assessments stored for it (withdrawn ones said so),
    what it recorded in the cycle, and its funds from the ledger."""
    from mingshi.core.services.facts import studio_fact, tenant_parameter_values

    tenant = tenant_of(session)
    if studio.cycle_start is None:
        raise LookupError("the studio has no cycle yet")
    params = jurisdiction.paramset(tenant_parameter_values(session))
    cycle = jurisdiction.assessment_period(studio=studio_fact(studio), kind="cycle", year=None, params=params)
    records = session.scalars(
        select(m.AssessmentRecord).where(m.AssessmentRecord.studio_id == studio.id).order_by(m.AssessmentRecord.id)
    ).all()
    rows: list[list[Cell]] = []
    for i, r in enumerate(records, start=1):
        grade = (r.result or {}).get("grade") or {}
        english = ((r.result or {}).get("en") or {}).get("grade") or grade
        state = (
            Label(f"已撤回：{r.withdrawal_reason or ''}", f"withdrawn: {r.withdrawal_reason or ''}")
            if r.withdrawn_at is not None
            else Label("有效", "in force")
        )
        kind = Label("年度考核", "annual") if r.kind == "annual" else Label("周期考核", "cycle")
        rows.append(
            [
                str(i),
                r.period,
                kind,
                Label(str(grade.get("label") or r.grade), str(english.get("label") or r.grade)),
                state,
            ]
        )

    def count(model: Any) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.studio_id == studio.id, model.date >= cycle.start, model.date <= min(cycle.end, today))
            )
            or 0
        )

    activities, outputs, awards = count(m.Activity), count(m.Output), count(m.StudentAward)
    book = funds.ledger(session, studio)
    start, end = cycle.start.isoformat(), cycle.end.isoformat()
    paragraphs = [
        Label(
            f"{studio.name}本周期自{start}至{end}。截至{today.isoformat()}，共开展活动{activities}次，形成成果{outputs}项，"
            f"指导学生获奖{awards}项；累计拨付经费{_yuan(book.allocated_fen)}，支出{_yuan(book.spent_fen)}，"
            f"结余{_yuan(book.balance_fen)}。历次考核结果如下。",
            f"The cycle of {studio.name} runs from {start} to {end}. By {today.isoformat()} it has held {activities} "
            f"activities, produced {outputs} outputs and {awards} student awards; it was granted "
            f"{_yuan(book.allocated_fen)}, spent {_yuan(book.spent_fen)} and holds {_yuan(book.balance_fen)}. "
            "Its assessments follow.",
        )
    ]
    if not rows:
        paragraphs.append(Label("本周期尚无已保存的考核结果。", "No assessment has been stored in this cycle yet."))
    headers = [
        Label("序号", "No."),
        Label("考核期", "Period"),
        Label("类别", "Kind"),
        Label("结果", "Result"),
        Label("状态", "State"),
    ]
    return OfficialDocument(
        organ=_organ(tenant),
        title=Label(f"{studio.name}周期工作总结", f"Cycle summary of {studio.name}"),
        date=today,
        paragraphs=paragraphs,
        table=Table(headers, rows) if rows else None,
        stem=f"{tenant.code}-studio-{studio.id}-cycle",
    )
