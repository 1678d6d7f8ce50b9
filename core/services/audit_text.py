"""The audit log in plain language: "张三 于 2026年11月20日 将 李四 移出 某工作室：调离原工作岗位".

:func:`describe` turns audit entries into :class:`AuditLine` objects: a sentence (a
:class:`mingshi.core.i18n.Text` rendered in the reader's language with the caller's catalog) and the
changed fields, each with its label and its value before → after (codes shown through the
jurisdiction's vocabulary, schools by name, dates as dates). The names a sentence needs (people,
studios, activities …) are loaded with one query per kind of record on the page, so a page costs a
constant number of queries whatever its size.

The sentences are English message ids; the web lists them in its catalog (``web/messages.py``).
An action this module does not know yet still gets a sentence (who, when, what, which record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.i18n import Text, Translator
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.vocab import Label, Vocabulary

#: the bureaus work on Beijing time; timestamps are stored in UTC
LOCAL_TIME = ZoneInfo("Asia/Shanghai")

SENTENCES: dict[str, str] = {
    "add_member": "%(who)s on %(date)s added %(person)s to %(studio)s",
    "remove_member": "%(who)s on %(date)s removed %(person)s from %(studio)s: %(reason)s",
    "member_removed": "On %(date)s the rule %(rule)s removed %(person)s from %(studio)s: %(reason)s",
    "edit_member": "%(who)s on %(date)s changed the record of %(person)s in %(studio)s",
    "create": "%(who)s on %(date)s created the record of %(person)s",
    "record_activity": "%(who)s on %(date)s recorded the activity “%(title)s” of %(studio)s",
    "add_output": "%(who)s on %(date)s recorded the output “%(title)s” of %(studio)s",
    "add_award": "%(who)s on %(date)s recorded the student award “%(title)s” of %(studio)s",
    "edit_studio": "%(who)s on %(date)s changed the record of %(studio)s",
    "sign_in": "%(who)s signed in on %(date)s",
    "sign_in_failed": "On %(date)s a sign-in as %(username)s failed (from %(ip)s)",
    "create_tenant": "%(who)s on %(date)s created the tenant %(tenant)s",
    "disable_tenant": "%(who)s on %(date)s disabled the tenant %(tenant)s",
    "enable_tenant": "%(who)s on %(date)s enabled the tenant %(tenant)s",
    "create_user": "%(who)s on %(date)s created the account %(user)s",
    "reset_password": "%(who)s on %(date)s issued a one-time password to %(user)s",
    "disable_user": "%(who)s on %(date)s disabled the account %(user)s",
    "enable_user": "%(who)s on %(date)s enabled the account %(user)s",
    "change_roles": "%(who)s on %(date)s changed the roles of %(user)s",
    "change_password": "%(who)s changed their password on %(date)s",
    "add_county": "%(who)s on %(date)s added %(county)s to the counties",
    "rename_county": "%(who)s on %(date)s renamed the county %(old)s to %(county)s",
    "remove_county": "%(who)s on %(date)s removed %(county)s from the counties",
    "create_school": "%(who)s on %(date)s added the school %(school)s",
    "edit_school": "%(who)s on %(date)s changed the record of the school %(school)s",
    "merge_schools": "%(who)s on %(date)s merged the school %(duplicate)s into %(school)s",
    "edit_person": "%(who)s on %(date)s changed the record of %(person)s",
    "add_honor": "%(who)s on %(date)s recorded the honour %(honor)s of %(person)s",
    "remove_honor": "%(who)s on %(date)s removed the honour %(honor)s of %(person)s",
    "add_backbone": "%(who)s on %(date)s recorded a backbone designation (%(level)s) of %(person)s",
    "add_evidence": "%(who)s on %(date)s attached the file “%(filename)s” to a record of %(studio)s",
    "withdraw_evidence": "%(who)s on %(date)s withdrew the file “%(filename)s” of %(studio)s: %(reason)s",
    "purge_evidence": "%(who)s on %(date)s deleted the kept copy of the withdrawn file “%(filename)s” of "
    "%(studio)s after %(years)s years of retention",
    "attest": "%(who)s on %(date)s recorded the judgement “%(value)s” on %(person)s in %(studio)s",
    "attest_studio": "%(who)s on %(date)s recorded the judgement “%(value)s” on %(studio)s",
    "edit_activity": "%(who)s on %(date)s corrected the activity “%(title)s” of %(studio)s",
    "date_activity": (
        "%(who)s on %(date)s filed or reviewed a document that dates the activity “%(title)s” of %(studio)s"
    ),
    "withdraw_activity": "%(who)s on %(date)s withdrew the activity “%(title)s” of %(studio)s: %(reason)s",
    "edit_output": "%(who)s on %(date)s corrected the output “%(title)s” of %(studio)s",
    "withdraw_output": "%(who)s on %(date)s withdrew the output “%(title)s” of %(studio)s: %(reason)s",
    "edit_award": "%(who)s on %(date)s corrected the student award “%(title)s” of %(studio)s",
    "withdraw_award": "%(who)s on %(date)s withdrew the student award “%(title)s” of %(studio)s: %(reason)s",
    "reinstate_member": "%(who)s on %(date)s reinstated %(person)s in %(studio)s: %(reason)s",
    "removal_undone": "%(who)s on %(date)s corrected the attendance that removed %(person)s from %(studio)s: "
    "the removal no longer applies",
    "application_withdraw": "%(who)s on %(date)s withdrew the draft application of %(studio)s",
}
#: the bureau's own records: funds, assessments, applications, judgements, parameters
SENTENCES.update(
    {
        "record_expense": "%(who)s on %(date)s recorded an expense of %(amount)s for %(studio)s",
        "reverse_expense": "%(who)s on %(date)s reversed an expense of %(studio)s (%(amount)s)",
        "record_allocation": "%(who)s on %(date)s recorded %(source)s of %(amount)s for %(year)s to %(studio)s",
        "reverse_allocation": "%(who)s on %(date)s reversed a fund entry of %(studio)s (%(amount)s)",
        "store_assessment": "%(who)s on %(date)s stored the assessment of %(studio)s for %(period)s",
        "withdraw_assessment": "%(who)s on %(date)s withdrew the assessment of %(studio)s for %(period)s",
        "disqualify": "%(who)s on %(date)s disqualified %(studio)s",
        "reinstate_studio": "%(who)s on %(date)s reinstated %(studio)s",
        "reinstate_member": "%(who)s on %(date)s reinstated %(person)s in %(studio)s: %(reason)s",
        "create_application": "%(who)s on %(date)s created the application %(studio)s",
        "update_application": "%(who)s on %(date)s changed the application %(studio)s",
        "application_submit": "%(who)s on %(date)s submitted the application %(studio)s",
        "application_recommend": "%(who)s on %(date)s recommended the application %(studio)s",
        "application_review": "%(who)s on %(date)s took the application %(studio)s under review",
        "application_notice": "%(who)s on %(date)s put the application %(studio)s on public notice",
        "application_approve": "%(who)s on %(date)s approved the application %(studio)s",
        "application_reject": "%(who)s on %(date)s rejected the application %(studio)s",
        "add_parameter_value": "%(who)s on %(date)s set a new value of a parameter from %(from)s",
        "propose_credit": "%(who)s on %(date)s proposed %(credits)s credits for %(person)s in %(studio)s",
        "confirm_credit": "%(who)s on %(date)s confirmed %(credits)s credits for %(person)s in %(studio)s",
        "correct_credit": "%(who)s on %(date)s corrected the credits of %(person)s in %(studio)s from %(old)s to "
        "%(credits)s: %(reason)s",
        "withdraw_credit": "%(who)s on %(date)s withdrew the credits of %(person)s in %(studio)s: %(reason)s",
        "supersede_credit": "%(who)s on %(date)s replaced the proposed credits of %(person)s in %(studio)s by a new "
        "proposal from the stored result",
    }
)
#: plans and reports a studio files (core.services.submissions)
SENTENCES.update(
    {
        "start_document": "%(who)s on %(date)s started the %(document)s “%(title)s” of %(studio)s",
        "edit_document": "%(who)s on %(date)s corrected the %(document)s “%(title)s” of %(studio)s",
        "submit_document": "%(who)s on %(date)s submitted the %(document)s “%(title)s” of %(studio)s",
        "approve_document": "%(who)s on %(date)s approved the %(document)s “%(title)s” of %(studio)s",
        "return_document": "%(who)s on %(date)s returned the %(document)s “%(title)s” of %(studio)s: %(reason)s",
        "withdraw_document": "%(who)s on %(date)s took back the %(document)s “%(title)s” of %(studio)s: %(reason)s",
    }
)

#: the period of a stored result, where it is not a year
PERIOD_LABELS: dict[str, Label] = {
    "cycle": Label("建设周期", "the cycle"),
    "application": Label("申报", "the application"),
}
FALLBACK = "%(who)s on %(date)s changed a record (%(entity)s no. %(id)s)"
#: what a record is, for the sentence of an action this module does not know yet
ENTITY_LABELS: dict[str, Label] = {
    "studio": Label("工作室", "studio"),
    "membership": Label("成员记录", "membership"),
    "person": Label("人员", "person"),
    "activity": Label("活动", "activity"),
    "output": Label("成果", "output"),
    "student_award": Label("学生获奖", "student award"),
    "expense": Label("支出", "expense"),
    "fund_allocation": Label("经费拨付", "fund entry"),
    "assessment_record": Label("考核结果", "assessment"),
    "attestation": Label("认定", "judgement"),
    "credit_recognition": Label("学分认定", "credit recognition"),
    "parameter_value": Label("参数值", "parameter value"),
    "user": Label("账户", "account"),
    "school": Label("学校", "school"),
    "county": Label("区县", "county"),
    "tenant": Label("租户", "tenant"),
    "document_submission": Label("计划或报告", "plan or report"),
}
SOURCE_LABELS: dict[str, Label] = {
    "grant": Label("拨款", "a grant"),
    "school_matching": Label("学校配套经费", "school matching funds"),
    "recovery": Label("回收未使用经费", "a recovery of the unused balance"),
}
SOMEONE = "someone"
DELETED = "a deleted record"

#: labels of the fields whose changes are listed
FIELD_LABELS: dict[str, Label] = {
    "name": Label("名称", "name"),
    "county": Label("县（区）", "county"),
    "subject": Label("学科", "subject"),
    "category": Label("类别", "category"),
    "joined": Label("加入日期", "joined"),
    "left": Label("离开日期", "left"),
    "removal_reason": Label("原因", "reason"),
    "school_id": Label("学校", "school"),
    "position": Label("职务", "position"),
    "title": Label("职称", "professional title"),
    "backbone_level": Label("骨干级别", "backbone level"),
    "phone": Label("电话", "phone"),
    "status": Label("状态", "status"),
    "sex": Label("性别", "sex"),
    "born": Label("出生日期", "date of birth"),
    "retirement_date": Label("法定退休日期", "statutory retirement date"),
    "stage": Label("学段", "stage"),
    "rural": Label("农村学校", "rural school"),
    "weak": Label("薄弱学校", "weak school"),
    "roles": Label("角色", "roles"),
    "person_id": Label("关联人员", "linked person"),
    "date": Label("日期", "date"),
    "type": Label("类型", "type"),
    "mode": Label("形式", "mode"),
    "scope": Label("范围", "scope"),
    "notice_published": Label("通知发布日期", "notice published"),
    "plan_approved": Label("方案审批日期", "plan approved"),
    "report_published": Label("简报发布日期", "report published"),
    "led_by": Label("主讲人", "led by"),
    "level": Label("级别", "level"),
    "published": Label("已发表", "published"),
    "chars": Label("字数", "characters"),
    "people": Label("作者", "authors"),
    "competition": Label("赛事", "competition"),
    "rank": Label("等次", "rank"),
    "first_instructor_id": Label("第一指导教师", "first instructor"),
    "student": Label("学生", "student"),
    "reinstated_on": Label("恢复日期", "reinstated on"),
    "rule": Label("规则", "rule"),
}
#: the correction actions whose changed fields are listed (before → after)
EDITS = (
    "edit_member",
    "edit_studio",
    "edit_person",
    "edit_school",
    "change_roles",
    "edit_activity",
    "date_activity",
    "edit_output",
    "edit_award",
    "reinstate_member",
    "removal_undone",
)
#: a record's field whose meaning depends on the record (an activity's type, an output's)
ENTITY_KINDS = {
    ("activity", "type"): "activity_types",
    ("output", "type"): "output_types",
    ("output", "status"): "output_statuses",
}
#: fields whose values are codes of a vocabulary kind
FIELD_KINDS = {
    "title": "titles",
    "backbone_level": "levels",
    "position": "positions",
    "category": "member_categories",
    "sex": "sexes",
    "level": "levels",
    "mode": "modes",
    "scope": "scopes",
    "competition": "competitions",
    "rank": "ranks",
}
DATE_FIELDS = {
    "joined",
    "left",
    "date",
    "born",
    "retirement_date",
    "notice_published",
    "plan_approved",
    "report_published",
    "reinstated_on",
}


@dataclass(frozen=True)
class Change:
    label: Label | str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: dt.datetime
    who: str | Text
    action: str
    sentence: Text
    changes: list[Change] = field(default_factory=list)


def local_time(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:  # SQLite gives back naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(LOCAL_TIME)


def page_of(
    session: Session,
    actor: Actor,
    tenant_id: int,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = 50,
    vocabulary: Vocabulary | None = None,
    translator: Translator | None = None,
    rules: Mapping[str, Any] | None = None,
) -> tuple[list[AuditLine], int | None, int | None]:
    """One page of the tenant's audit log, newest (last recorded) first: the lines, the cursor of the
    older page (``before``) and of the newer page (``after``), None where there is none.

    Keyset pagination by ``(tenant_id, id)`` (index ``ix_audit_log_tenant_id_id``): a page is read
    from the last id seen, however deep, never by sorting and skipping the tenant's earlier rows.
    Only the tenant's administrator reads it (:class:`~mingshi.core.services.access.Forbidden` otherwise).
    """
    actor.require_admin()
    if actor.tenant_id != tenant_id:
        raise Forbidden("only the city administrator may do this")
    a = m.AuditEntry
    stmt = select(a).where(a.tenant_id == tenant_id)
    if after is not None:  # the newer page: the next ids up, shown newest first
        found = list(session.scalars(stmt.where(a.id > after).order_by(a.id.asc()).limit(size + 1)))
        entries = list(reversed(found[:size]))
        newer = entries[0].id if len(found) > size else None
        older = entries[-1].id if entries else None
    else:
        if before is not None:
            stmt = stmt.where(a.id < before)
        found = list(session.scalars(stmt.order_by(a.id.desc()).limit(size + 1)))
        entries = found[:size]
        older = entries[-1].id if len(found) > size else None
        newer = entries[0].id if before is not None and entries else None
    return describe(session, entries, vocabulary=vocabulary, translator=translator, rules=rules), older, newer


def describe(
    session: Session,
    entries: Sequence[m.AuditEntry],
    *,
    vocabulary: Vocabulary | None = None,
    translator: Translator | None = None,
    rules: Mapping[str, Any] | None = None,
) -> list[AuditLine]:
    """Plain-language lines for ``entries`` (the session must be bound to their tenant); ``rules``
    (the jurisdiction's, by id) name a rule that removed a member by its title, not its id."""
    names = _Names(session, entries)
    return [_line(entry, names, vocabulary, translator, rules or {}) for entry in entries]


class _Names:
    """The names the sentences need, one query per kind of record."""

    def __init__(self, session: Session, entries: Sequence[m.AuditEntry]) -> None:
        ids: dict[str, set[int]] = {}
        schools: set[int] = set()
        for entry in entries:
            if entry.entity_id is not None:
                ids.setdefault(entry.entity, set()).add(entry.entity_id)
            for values in (entry.before or {}, entry.after or {}):
                if isinstance(values.get("school_id"), int):
                    schools.add(values["school_id"])
                if isinstance(values.get("person_id"), int):
                    ids.setdefault("person", set()).add(values["person_id"])
                if isinstance(values.get("studio_id"), int):
                    ids.setdefault("studio", set()).add(values["studio_id"])
                if isinstance(values.get("first_instructor_id"), int):
                    ids.setdefault("person", set()).add(values["first_instructor_id"])
                for key in ("led_by", "people"):
                    if isinstance(values.get(key), list):
                        ids.setdefault("person", set()).update(v for v in values[key] if isinstance(v, int))
                if isinstance(values.get("attendance"), dict):
                    ids.setdefault("person", set()).update(int(k) for k in values["attendance"] if str(k).isdigit())
        self.memberships: dict[int, tuple[str, str]] = {}
        if ids.get("membership"):
            rows = session.execute(
                select(m.Membership.id, m.Person.name, m.Studio.name)
                .join(m.Person, m.Person.id == m.Membership.person_id)
                .join(m.Studio, m.Studio.id == m.Membership.studio_id)
                .where(m.Membership.id.in_(ids["membership"]))
            )
            self.memberships = {mid: (person, studio) for mid, person, studio in rows}
        self.credits: dict[int, tuple[str, str]] = {}
        if ids.get("credit_recognition"):
            rows = session.execute(
                select(m.CreditRecognition.id, m.Person.name, m.Studio.name)
                .join(m.Person, m.Person.id == m.CreditRecognition.person_id)
                .join(m.Studio, m.Studio.id == m.CreditRecognition.studio_id)
                .where(m.CreditRecognition.id.in_(ids["credit_recognition"]))
            )
            self.credits = {cid: (person, studio) for cid, person, studio in rows}
        self.people = self._names(session, m.Person.id, m.Person.name, ids.get("person"))
        self.studios = self._names(session, m.Studio.id, m.Studio.name, ids.get("studio"))
        self.schools = self._names(session, m.School.id, m.School.name, schools | ids.get("school", set()))
        self.users = self._names(session, m.User.id, m.User.username, ids.get("user"))
        self.tenants = self._names(session, m.Tenant.id, m.Tenant.name, ids.get("tenant"))
        self.titled: dict[str, dict[int, tuple[str, str]]] = {}
        for entity, model, title in (
            ("activity", m.Activity, m.Activity.title),
            ("output", m.Output, m.Output.title),
            ("student_award", m.StudentAward, m.StudentAward.competition),
        ):
            if ids.get(entity):
                rows = session.execute(
                    select(model.id, title, m.Studio.name)
                    .join(m.Studio, m.Studio.id == model.studio_id)
                    .where(model.id.in_(ids[entity]))
                )
                self.titled[entity] = {rid: (t, s) for rid, t, s in rows}

    @staticmethod
    def _names(session: Session, id_col: Any, name_col: Any, ids: Iterable[int] | None) -> dict[int, str]:
        if not ids:
            return {}
        return dict(session.execute(select(id_col, name_col).where(id_col.in_(list(ids)))).all())


def _line(
    entry: m.AuditEntry,
    names: _Names,
    vocabulary: Vocabulary | None,
    translator: Translator | None,
    rules: Mapping[str, Any] | None = None,
) -> AuditLine:
    at = local_time(entry.at)
    before, after = entry.before or {}, entry.after or {}
    deleted = Text(DELETED, {}, translator)
    who: Any = entry.user_name or Text(SOMEONE, {}, translator)
    params: dict[str, Any] = {"who": who, "date": at.date()}
    action = entry.action
    changes: list[Change] = []
    if entry.entity == "membership":
        person, studio = names.memberships.get(entry.entity_id or 0, (deleted, deleted))
        params.update(person=person, studio=studio)
    elif entry.entity == "person":
        params["person"] = names.people.get(entry.entity_id or 0, after.get("name") or deleted)
    elif entry.entity == "studio":
        params["studio"] = names.studios.get(entry.entity_id or 0, after.get("name") or before.get("name") or deleted)
    elif entry.entity in names.titled or entry.entity in ("activity", "output", "student_award"):
        title, studio = names.titled.get(entry.entity, {}).get(entry.entity_id or 0, (None, deleted))
        params.update(title=title or after.get("title") or after.get("competition") or deleted, studio=studio)
    elif entry.entity == "user":
        params["user"] = names.users.get(entry.entity_id or 0, after.get("username") or deleted)
    elif entry.entity == "tenant":
        params["tenant"] = names.tenants.get(entry.entity_id or 0, after.get("name") or deleted)
    elif entry.entity == "school":
        params["school"] = names.schools.get(entry.entity_id or 0, after.get("name") or before.get("name") or deleted)
        params["duplicate"] = before.get("name") or deleted
    elif entry.entity == "county":
        params["county"] = after.get("name") or before.get("name") or deleted
        params["old"] = before.get("name") or deleted
    elif entry.entity == "document_submission":
        values = after or before
        rule = (rules or {}).get(values.get("document") or "")
        params.update(
            studio=values.get("studio") or deleted,
            title=values.get("title") or deleted,
            document=rule.title if rule is not None else ENTITY_LABELS["document_submission"],
            reason=after.get("reason") or "",
        )
    elif entry.entity == "attestation":
        params["studio"] = names.studios.get(after.get("studio_id") or 0, deleted)
        params["value"] = Label("符合", "yes") if after.get("value") else Label("不符合", "no")
        if isinstance(after.get("person_id"), int):
            params["person"] = names.people.get(after["person_id"], deleted)
    sentence = "attest_studio" if action == "attest" and not isinstance(after.get("person_id"), int) else action
    if action in ("add_honor", "remove_honor"):
        code = (after or before).get("honor")
        label = vocabulary.kinds.get("honors", {}).get(code) if vocabulary is not None else None
        params["honor"] = label if label is not None else code
    elif action == "add_backbone":
        code = after.get("level")
        label = vocabulary.kinds.get("levels", {}).get(code) if vocabulary is not None else None
        params["level"] = label if label is not None else code
    if entry.entity in ("expense", "fund_allocation", "assessment_record", "attestation"):
        values = after or before
        params["studio"] = names.studios.get(values.get("studio_id") or 0, deleted)
        fen = values.get("amount_fen")
        params["amount"] = _yuan(fen) if isinstance(fen, int) else "—"
        params["year"] = values.get("year") or "—"
        source = values.get("source")
        params["source"] = SOURCE_LABELS.get(source, ENTITY_LABELS["fund_allocation"])
        period = values.get("period") or "—"
        params["period"] = PERIOD_LABELS.get(period, period)
        if entry.entity == "assessment_record" and not isinstance(values.get("studio_id"), int):
            params["studio"] = values.get("studio") or deleted  # stored with the studio's name
    if entry.entity == "credit_recognition":
        person, studio = names.credits.get(entry.entity_id or 0, (deleted, deleted))
        params.update(
            person=person,
            studio=studio,
            credits=after.get("credits") or before.get("credits") or "—",
            old=before.get("credits") or "—",
            reason=after.get("reason") or "",
        )
    if action == "add_parameter_value":
        valid_from = after.get("valid_from")
        try:
            params["from"] = dt.date.fromisoformat(valid_from) if valid_from else "—"
        except ValueError:
            params["from"] = valid_from
    if action == "reinstate_member":
        params["reason"] = after.get("reason") or ""
    if action == "remove_member":
        params["reason"] = after.get("removal_reason") or ""
    elif action in ("withdraw_activity", "withdraw_output", "withdraw_award", "reinstate_member"):
        params["reason"] = after.get("reason") or ""
    elif action == "member_removed":
        rule_id = after.get("rule") or str(entry.user_name or "").removeprefix("rule ")
        rule = (rules or {}).get(rule_id)
        params.update(rule=rule.title if rule is not None else rule_id, reason=after.get("reason") or "")
    elif action == "purge_evidence":
        params.update(
            filename=before.get("filename") or deleted,
            studio=before.get("studio") or deleted,
            years=after.get("retention_years") or "",
        )
    elif action in ("add_evidence", "withdraw_evidence"):
        params.update(
            filename=after.get("filename") or deleted,
            studio=after.get("studio") or deleted,
            reason=after.get("reason") or "",
        )
    elif action == "sign_in_failed":
        params.update(username=after.get("username") or who, ip=after.get("ip") or "?")
    if action in EDITS:
        for key in dict.fromkeys([*before, *after]):
            if key in ("reason", "attendance", "rule") or before.get(key) == after.get(key):
                continue
            kind = ENTITY_KINDS.get((entry.entity, key))
            changes.append(
                Change(
                    FIELD_LABELS.get(key, key),
                    _value(key, before.get(key), names, vocabulary, kind),
                    _value(key, after.get(key), names, vocabulary, kind),
                )
            )
        if isinstance(before.get("attendance"), dict) or isinstance(after.get("attendance"), dict):
            changes.extend(
                _attendance_changes(before.get("attendance") or {}, after.get("attendance") or {}, names, vocabulary)
            )
    template = SENTENCES.get(sentence)
    if template is None or (action == "create" and entry.entity != "person"):
        template = FALLBACK
        entity = ENTITY_LABELS.get(entry.entity, Label("记录", "record"))
        params.update(entity=entity, id=entry.entity_id if entry.entity_id is not None else "—")
    return AuditLine(entry.id, at, who, action, Text(template, params, translator), changes)


ROLE_LABELS: dict[str, Label] = {
    "admin": Label("市级管理员", "city administrator"),
    "reviewer": Label("评审专家", "reviewer"),
    "host": Label("主持人", "host"),
    "member": Label("成员", "member"),
    "central": Label("中央数据分析员", "central staff"),
}


def _attendance_changes(before: dict, after: dict, names: _Names, vocabulary: Vocabulary | None) -> list[Change]:
    """One change per person whose record of the activity changed: "张三：缺席 → 出席"."""
    out = []
    for person in dict.fromkeys([*before, *after]):
        if before.get(person) == after.get(person):
            continue
        name = names.people.get(int(person), person) if str(person).isdigit() else person
        out.append(Change(name, _status(before.get(person), vocabulary), _status(after.get(person), vocabulary)))
    return out


def _status(value: str | None, vocabulary: Vocabulary | None) -> Any:
    """An attendance record as kept by the audit ("excused 2026-11-09"): its label, and the leave's date."""
    if not value:
        return None
    status, _sep, leave = str(value).partition(" ")
    label = vocabulary.kinds.get("attendance", {}).get(status) if vocabulary is not None else None
    shown: Any = label if label is not None else status
    if leave:
        try:
            return Text(
                "%(status)s (leave approved on %(day)s)", {"status": shown, "day": dt.date.fromisoformat(leave)}
            )
        except ValueError:
            return shown
    return shown


def _yuan(fen: int) -> str:
    from mingshi.core.money import format_yuan_display

    return format_yuan_display(fen)


def _value(key: str, value: Any, names: _Names, vocabulary: Vocabulary | None, kind: str | None = None) -> Any:
    """A field's value for a reader: a label, a school's name, a date; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    if key in ("led_by", "people") and isinstance(value, list):
        return "、".join(names.people.get(v, str(v)) for v in value) or None
    if key == "first_instructor_id" and isinstance(value, int):
        return names.people.get(value, str(value))
    if key == "published" and isinstance(value, bool):
        return Label("是", "yes") if value else Label("否", "no")
    if key == "roles" and isinstance(value, list):
        return [ROLE_LABELS.get(str(pair[0]), str(pair[0])) for pair in value if pair]
    if key in ("rural", "weak") and isinstance(value, bool):
        return Label("是", "yes") if value else Label("否", "no")
    if key == "school_id" and isinstance(value, int):
        return names.schools.get(value, str(value))
    if key == "person_id" and isinstance(value, int):
        return names.people.get(value, str(value))
    kind = kind or FIELD_KINDS.get(key)
    if kind and vocabulary is not None:
        label = vocabulary.kinds.get(kind, {}).get(str(value))
        if label is not None:
            return label
    if key in DATE_FIELDS and isinstance(value, str):
        try:
            return Text("%(day)s", {"day": dt.date.fromisoformat(value)})
        except ValueError:
            return value
    return value
