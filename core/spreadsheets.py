"""Import members and activities (with attendance) from .xlsx — all rows or none.

A downloadable template names the sheets and columns (Chinese headers; codes or their Chinese
labels are both accepted). Every row is validated first — through the same marshmallow schemas and
services as the web forms — and each problem is reported with its sheet, row and column; if any row
is bad nothing is imported. A file that is not a workbook, too large, or without the expected sheet
is refused with a message.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.exports import safe_cell
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.schemas.workspace import ActivityInput, AttendanceInput, MemberInput
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import Actor

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

MEMBER_SHEET = "成员"
ACTIVITY_SHEET = "活动"
ATTENDANCE_SHEET = "考勤"

#: column header → form field
MEMBER_COLUMNS = {
    "姓名": "name",
    "性别": "sex",
    "出生日期": "born",
    "学校": "school",
    "职务": "position",
    "职称": "title",
    "骨干级别": "backbone_level",
    "角色": "role",
    "类别": "category",
    "加入日期": "joined",
}
ACTIVITY_COLUMNS = {
    "序号": "ref",
    "日期": "date",
    "类型": "type",
    "形式": "mode",
    "范围": "scope",
    "标题": "title",
    "地点学校": "school",
    "主持人": "led_by",
    "通知发布日期": "notice_published",
    "方案审批日期": "plan_approved",
    "报道发布日期": "report_published",
}
ATTENDANCE_COLUMNS = {"活动序号": "activity", "姓名": "name", "出勤": "status", "请假批准日期": "leave_approved"}

#: column → vocabulary kind whose codes or labels it takes
CODED = {
    "sex": "sexes",
    "position": "positions",
    "title": "titles",
    "backbone_level": "levels",
    "role": "roles",
    "category": "member_categories",
    "type": "activity_types",
    "mode": "modes",
    "scope": "scopes",
    "status": "attendance",
}


class ImportRefused(ValueError):
    """The file as a whole cannot be read (not a workbook, too large, a sheet missing)."""


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column: str
    message: Any


@dataclass
class ImportResult:
    problems: list[RowProblem] = field(default_factory=list)
    members: int = 0
    activities: int = 0
    removed: list[m.Membership] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def template(kind: str, jurisdiction: Jurisdiction) -> bytes:
    """An empty workbook with the sheets and headers of ``kind`` (members · activities) and a sheet of codes."""
    workbook = Workbook()
    sheets = (
        [(MEMBER_SHEET, MEMBER_COLUMNS)]
        if kind == "members"
        else [(ACTIVITY_SHEET, ACTIVITY_COLUMNS), (ATTENDANCE_SHEET, ATTENDANCE_COLUMNS)]
    )
    first = True
    for title, columns in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    codes = workbook.create_sheet("代码")
    codes.append(["栏目", "代码", "中文"])
    used = {CODED[f] for f in (*MEMBER_COLUMNS.values(), *ACTIVITY_COLUMNS.values(), "status") if f in CODED}
    for kind_name in sorted(used):
        for code, label in jurisdiction.vocabulary.kinds.get(kind_name, {}).items():
            codes.append([safe_cell(kind_name), safe_cell(code), safe_cell(label.zh)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, wanted: Iterable[str]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRefused(f"not an .xlsx workbook ({type(exc).__name__})") from None
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    try:
        for name in wanted:
            if name not in workbook.sheetnames:
                raise ImportRefused(f"the workbook has no sheet named {name!r} (download the template)")
            rows = workbook[name].iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                raise ImportRefused(f"the sheet {name!r} has no header row")
            names = [str(h).strip() if h is not None else "" for h in header]
            found: list[tuple[int, dict[str, Any]]] = []
            for index, values in enumerate(rows, start=2):
                if index - 1 > MAX_ROWS:
                    raise ImportRefused(f"the sheet {name!r} has more than {MAX_ROWS} rows")
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                found.append((index, {names[i]: v for i, v in enumerate(values) if i < len(names) and names[i]}))
            sheets[name] = found
    finally:
        workbook.close()
    return sheets


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _coded(jurisdiction: Jurisdiction, kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    entries = jurisdiction.vocabulary.kinds.get(kind, {})
    if value in entries:
        return value
    for code, label in entries.items():
        if value in (label.zh, label.en):
            return code
    return value  # left as typed: the validation names it


def _row(
    raw: Mapping[str, Any], columns: Mapping[str, str], jurisdiction: Jurisdiction
) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    header_of: dict[str, str] = {}
    for header, name in columns.items():
        header_of[name] = header
        value = _text(raw.get(header))
        if name in CODED:
            value = _coded(jurisdiction, CODED[name], value)
        if value is not None:
            data[name] = value
    return data, header_of


def import_members(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: bytes
) -> ImportResult:
    actor.require_manage_studio(studio.id)
    jurisdiction = ws.jurisdiction_of(session, jurisdictions)
    sheets = _read(data, [MEMBER_SHEET])
    schools = {s.name: s.id for s in session.scalars(select(m.School))}
    result = ImportResult()
    loaded: list[tuple[int, dict[str, Any]]] = []
    for row_number, raw in sheets[MEMBER_SHEET]:
        row, header_of = _row(raw, MEMBER_COLUMNS, jurisdiction)
        school = row.pop("school", None)
        if school is not None:
            if school not in schools:
                result.problems.append(RowProblem(MEMBER_SHEET, row_number, "学校", "not a valid choice"))
                continue
            row["school_id"] = schools[school]
        row.setdefault("role", jurisdiction.info.member_role)
        try:
            loaded.append((row_number, MemberInput().load(row)))
        except ValidationError as exc:
            result.problems.extend(_problems(MEMBER_SHEET, row_number, exc, header_of))
    if result.problems:
        return result
    for row_number, values in loaded:
        try:
            with session.begin_nested():
                ws.add_member(session, actor, jurisdictions, studio, values)
            result.members += 1
        except ValidationError as exc:
            result.problems.extend(_problems(MEMBER_SHEET, row_number, exc, {v: k for k, v in MEMBER_COLUMNS.items()}))
    return result


def import_activities(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: bytes
) -> ImportResult:
    actor.require_manage_studio(studio.id)
    jurisdiction = ws.jurisdiction_of(session, jurisdictions)
    sheets = _read(data, [ACTIVITY_SHEET, ATTENDANCE_SHEET])
    schools = {s.name: s.id for s in session.scalars(select(m.School))}
    people: dict[str, list[int]] = {}
    for ms in ws.memberships(session, studio):
        people.setdefault(ms.person.name, []).append(ms.person_id)
    result = ImportResult()

    def person_id(name: str | None, sheet: str, row_number: int, column: str) -> int | None:
        ids = people.get(name or "", [])
        if len(set(ids)) != 1:
            message = "not a member of this studio" if not ids else "two members have this name; use the web form"
            result.problems.append(RowProblem(sheet, row_number, column, message))
            return None
        return ids[0]

    activities: dict[str, tuple[int, dict[str, Any]]] = {}
    for row_number, raw in sheets[ACTIVITY_SHEET]:
        row, header_of = _row(raw, ACTIVITY_COLUMNS, jurisdiction)
        ref = row.pop("ref", None) or str(row_number)
        if ref in activities:
            result.problems.append(RowProblem(ACTIVITY_SHEET, row_number, "序号", "the same number twice"))
            continue
        school = row.pop("school", None)
        if school is not None:
            if school not in schools:
                result.problems.append(RowProblem(ACTIVITY_SHEET, row_number, "地点学校", "not a valid choice"))
                continue
            row["school_id"] = schools[school]
        leaders = row.pop("led_by", None)
        if leaders:
            ids = [
                person_id(n.strip(), ACTIVITY_SHEET, row_number, "主持人")
                for n in leaders.replace("，", ",").replace("、", ",").split(",")
                if n.strip()
            ]
            row["led_by"] = [i for i in ids if i is not None]
        try:
            values = ActivityInput().load(row)
        except ValidationError as exc:
            result.problems.extend(_problems(ACTIVITY_SHEET, row_number, exc, header_of))
            continue
        if values["type"] not in jurisdiction.vocabulary.codes("activity_types"):
            result.problems.append(RowProblem(ACTIVITY_SHEET, row_number, "类型", "not a valid choice"))
            continue
        activities[ref] = (row_number, values)
    attendance: dict[str, list[dict[str, Any]]] = {ref: [] for ref in activities}
    for row_number, raw in sheets[ATTENDANCE_SHEET]:
        row, header_of = _row(raw, ATTENDANCE_COLUMNS, jurisdiction)
        ref = row.pop("activity", None)
        if ref not in activities:
            result.problems.append(RowProblem(ATTENDANCE_SHEET, row_number, "活动序号", "no activity with this number"))
            continue
        pid = person_id(row.pop("name", None), ATTENDANCE_SHEET, row_number, "姓名")
        if pid is None:
            continue
        row["person_id"] = pid
        try:
            attendance[ref].append(AttendanceInput().load(row))
        except ValidationError as exc:
            result.problems.extend(_problems(ATTENDANCE_SHEET, row_number, exc, header_of))
    if result.problems:
        return result
    for ref, (row_number, values) in sorted(activities.items(), key=lambda item: item[1][1]["date"]):
        try:
            with session.begin_nested():
                _activity, removed = ws.record_activity(session, actor, jurisdictions, studio, values, attendance[ref])
            result.activities += 1
            result.removed.extend(removed)
        except ValidationError as exc:
            result.problems.extend(
                _problems(ACTIVITY_SHEET, row_number, exc, {v: k for k, v in ACTIVITY_COLUMNS.items()})
            )
    return result


def _problems(sheet: str, row: int, exc: ValidationError, header_of: Mapping[str, str]) -> list[RowProblem]:
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    found = []
    for name, value in messages.items():
        values = value if isinstance(value, list) else [value]
        for message in values:
            found.append(RowProblem(sheet, row, header_of.get(str(name), str(name)), message))
    return found
