"""Import members and activities (with attendance) from .xlsx — all rows or none.

A downloadable template names the sheets and columns (Chinese headers; codes or their Chinese
labels are both accepted). Every row is validated first — through the same marshmallow schemas and
services as the web forms — and each problem is reported with its sheet, row and column; if any row
is bad nothing is imported. A file that is not a workbook, too large, or without the expected sheet
is refused with a message.

An uploaded workbook is untrusted. It is parsed by openpyxl with defusedxml (a dependency: no DTD
entity is expanded, a billion-laughs or an undefined entity is refused) in read-only streaming
mode, after checks that bound the work: the file's size, the sum of the sizes its parts unpack to
(a zip bomb), and while streaming, the columns of a row, the cells of a sheet and the characters
of a cell. Each refusal says which limit, in the user's language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.exports import safe_cell
from mingshi.core.i18n import Text
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.schemas.workspace import ActivityInput, AttendanceInput, MemberInput
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import Actor

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: what the parts of the file may unpack to, together (a 5 MB zip of one repeated byte is gigabytes)
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
#: the templates have at most 11 columns; a row with more values than this is not one of them
MAX_COLUMNS = 40
#: cells read from one sheet (empty ones included: they cost as much to parse)
MAX_CELLS = MAX_ROWS * 20
#: characters of one cell (the longest field of a form is 500)
MAX_CELL_CHARS = 2000

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


#: a refusal names no exception: it says what the file is not and what to do
NOT_A_WORKBOOK = "the file is not an Excel workbook (.xlsx): save it in Excel as “Excel Workbook” and upload it again"
XML_REFUSED = "the workbook contains XML that is refused (a document type declaration or an entity)"
NOT_ONE_OF = "“%(value)s” is not one of: %(choices)s"
NOT_A_DATE = "“%(value)s” is not a date: write it as 2024-03-04, 2024/3/4 or 2024年3月4日"
NO_SUCH_SCHOOL = "no school named “%(value)s” in the list of schools"
#: columns that hold dates: typed as 2024-03-04, 2024/3/4, 2024.3.4, 2024年3月4日, or a date cell
DATE_COLUMNS = {"born", "joined", "date", "notice_published", "plan_approved", "report_published", "leave_approved"}
_DATE_TEXT = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")


#: an activity's ``title`` is its name, not a professional title: no code there
ACTIVITY_CODED = {k: v for k, v in CODED.items() if k != "title"}


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


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_archive(data: bytes) -> None:
    """Bound the work before openpyxl sees the file (it scans a whole sheet just to open it).

    The sum of the sizes the parts unpack to; then every XML part is streamed once through
    defusedxml (no DTD at all, so no entity), the worksheets and shared strings counting rows,
    cells, the columns a row reaches and the characters of a text, stopping at the first limit.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            # a part's declared size is also what zipfile lets it unpack to: the sum bounds the work
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise ImportRefused(
                    Text("the workbook unpacks to more than %(mb)s MB", {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
                )
            for info in infos:
                name = info.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(info) as part:
                        _scan_sheet(part, name.rsplit("/", 1)[-1])
                elif name == "xl/sharedStrings.xml":
                    with archive.open(info) as part:
                        _scan_texts(part)
                elif name.endswith((".xml", ".rels")):  # every other XML part: no DTD either
                    with archive.open(info) as part:
                        for _event, element in DefusedET.iterparse(part, events=("end",), forbid_dtd=True):
                            element.clear()
    except ImportRefused:
        raise
    except (DefusedXmlException, ParseError):
        raise ImportRefused(Text(XML_REFUSED)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(Text(NOT_A_WORKBOOK)) from None


def _column_number(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
        if number > MAX_COLUMNS:
            break
    return number


def _scan_sheet(part: Any, sheet: str) -> None:
    rows = cells = in_row = 0
    for _event, element in DefusedET.iterparse(part, events=("end",), forbid_dtd=True):
        tag = element.tag
        if tag == f"{_MAIN}c":
            cells += 1
            in_row += 1
            if in_row > MAX_COLUMNS or _column_number(element.get("r") or "") > MAX_COLUMNS:
                raise ImportRefused(
                    Text(
                        "row %(row)s of the sheet %(sheet)s has more than %(columns)s columns",
                        {"row": rows + 1, "sheet": sheet, "columns": MAX_COLUMNS},
                    )
                )
            if cells > MAX_CELLS:
                raise ImportRefused(
                    Text("the sheet %(sheet)s has more than %(cells)s cells", {"sheet": sheet, "cells": MAX_CELLS})
                )
            element.clear()
        elif tag in (f"{_MAIN}t", f"{_MAIN}v") and len(element.text or "") > MAX_CELL_CHARS:
            raise _long_cell(rows + 1, sheet)
        elif tag == f"{_MAIN}row":
            rows += 1
            in_row = 0
            if rows > MAX_ROWS + 1:
                raise ImportRefused(
                    Text("the sheet %(sheet)s has more than %(rows)s rows", {"sheet": sheet, "rows": MAX_ROWS})
                )
            element.clear()


def _scan_texts(part: Any) -> None:
    for _event, element in DefusedET.iterparse(part, events=("end",), forbid_dtd=True):
        if element.tag == f"{_MAIN}t" and len(element.text or "") > MAX_CELL_CHARS:
            raise _long_cell(None, None)
        if element.tag == f"{_MAIN}si":
            element.clear()


def _long_cell(row: int | None, sheet: str | None) -> ImportRefused:
    if row is None:
        return ImportRefused(Text("a cell has more than %(chars)s characters", {"chars": MAX_CELL_CHARS}))
    return ImportRefused(
        Text(
            "a cell of row %(row)s of the sheet %(sheet)s has more than %(chars)s characters",
            {"row": row, "sheet": sheet, "chars": MAX_CELL_CHARS},
        )
    )


def _read(data: bytes, wanted: Iterable[str]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused(Text("the file is larger than %(mb)s MB", {"mb": MAX_BYTES // (1024 * 1024)}))
    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False in the environment: fail closed
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse an uploaded workbook")
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (DefusedXmlException, ParseError):
        raise ImportRefused(Text(XML_REFUSED)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportRefused(Text(NOT_A_WORKBOOK)) from None
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    try:
        for name in wanted:
            if name not in workbook.sheetnames:
                raise ImportRefused(
                    Text("the workbook has no sheet named %(sheet)s (download the template)", {"sheet": name})
                )
            sheets[name] = _read_sheet(workbook[name], name)
    except (DefusedXmlException, ParseError):
        raise ImportRefused(Text(XML_REFUSED)) from None
    finally:
        workbook.close()
    return sheets


def _read_sheet(sheet: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ImportRefused(Text("the sheet %(sheet)s has no header row", {"sheet": name}))
    _check_row(header, name, 1)
    names = [str(h).strip() if h is not None else "" for h in header]
    found: list[tuple[int, dict[str, Any]]] = []
    cells = len(header)
    for index, values in enumerate(rows, start=2):
        if index - 1 > MAX_ROWS:
            raise ImportRefused(
                Text("the sheet %(sheet)s has more than %(rows)s rows", {"sheet": name, "rows": MAX_ROWS})
            )
        _check_row(values, name, index)
        cells += len(values)
        if cells > MAX_CELLS:
            raise ImportRefused(
                Text("the sheet %(sheet)s has more than %(cells)s cells", {"sheet": name, "cells": MAX_CELLS})
            )
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        found.append((index, {names[i]: v for i, v in enumerate(values) if i < len(names) and names[i]}))
    return found


def _check_row(values: tuple[Any, ...], sheet: str, row: int) -> None:
    if len(values) > MAX_COLUMNS:
        raise ImportRefused(
            Text(
                "row %(row)s of the sheet %(sheet)s has more than %(columns)s columns",
                {"row": row, "sheet": sheet, "columns": MAX_COLUMNS},
            )
        )
    for value in values:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise ImportRefused(
                Text(
                    "a cell of row %(row)s of the sheet %(sheet)s has more than %(chars)s characters",
                    {"row": row, "sheet": sheet, "chars": MAX_CELL_CHARS},
                )
            )


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


def _date(value: Any) -> str | None:
    """A date cell or a date as a bureau types it, as ISO text; None when it is no date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        # a date cell stored without its date format: Excel's serial day number
        converted = from_excel(value)
        return (converted.date() if isinstance(converted, dt.datetime) else converted).isoformat()
    found = _DATE_TEXT.fullmatch(str(value).strip())
    if found is None:
        return None
    try:
        return dt.date(*(int(p) for p in found.groups())).isoformat()
    except ValueError:
        return None


def _coded(jurisdiction: Jurisdiction, kind: str, value: str | None) -> str | None:
    """The code a cell names (its code, its Chinese or its English label); None when it names none."""
    if value is None:
        return None
    entries = jurisdiction.vocabulary.kinds.get(kind, {})
    if value in entries:
        return value
    for code, label in entries.items():
        if value in (label.zh, label.en) or value.lower() == label.en.lower():
            return code
    return None


#: the codes a schema accepts for a column (the jurisdiction's vocabulary may name more)
ACCEPTED: dict[str, tuple[str, ...]] = {
    "sex": ("M", "F"),
    "position": ("teacher", "principal", "vice_principal", "researcher"),
    "role": ("member", "trainee", "host"),
    "mode": ("offline", "online"),
    "status": ("present", "excused", "absent"),
}


def _row(
    raw: Mapping[str, Any], columns: Mapping[str, str], jurisdiction: Jurisdiction, coded: Mapping[str, str] = CODED
) -> tuple[dict[str, Any], dict[str, str], dict[str, Text]]:
    """A row's values by field, the header of each field, and the problems of its cells by field."""
    data: dict[str, Any] = {}
    header_of: dict[str, str] = {}
    problems: dict[str, Text] = {}
    for header, name in columns.items():
        header_of[name] = header
        cell = raw.get(header)
        value = _text(cell)
        if value is not None and name in DATE_COLUMNS:
            typed = value
            value = _date(cell)
            if value is None:
                problems[name] = Text(NOT_A_DATE, {"value": typed})
                continue
        if value is not None and name in coded:
            entries = jurisdiction.vocabulary.kinds.get(coded[name], {})
            code = _coded(jurisdiction, coded[name], value)
            accepted = ACCEPTED.get(name, tuple(entries))
            if code is None or code not in accepted:
                choices = [entries.get(c, c) for c in accepted]
                problems[name] = Text(NOT_ONE_OF, {"value": value, "choices": choices})
                continue
            value = code
        if value is not None:
            data[name] = value
    return data, header_of, problems


def _cell_problems(
    sheet: str, row: int, problems: Mapping[str, Text], header_of: Mapping[str, str]
) -> list[RowProblem]:
    return [RowProblem(sheet, row, header_of.get(name, name), message) for name, message in problems.items()]


def import_members(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: bytes
) -> ImportResult:
    """Every problem of every row is reported at once: the cells (codes, dates, schools), the form's
    checks, and the service's (a member twice, a date in the future) for each row that passed the
    first two. The caller keeps nothing when there is a problem (all rows or none)."""
    actor.require_manage_studio(studio.id)
    jurisdiction = ws.jurisdiction_of(session, jurisdictions)
    sheets = _read(data, [MEMBER_SHEET])
    schools = {s.name: s.id for s in session.scalars(select(m.School))}
    result = ImportResult()
    loaded: list[tuple[int, dict[str, Any], dict[str, str]]] = []
    for row_number, raw in sheets[MEMBER_SHEET]:
        row, header_of, cells = _row(raw, MEMBER_COLUMNS, jurisdiction)
        school = row.pop("school", None)
        if school is not None:
            if school in schools:
                row["school_id"] = schools[school]
            else:
                cells["school"] = Text(NO_SUCH_SCHOOL, {"value": school})
        row.setdefault("role", jurisdiction.info.member_role)
        if not row.get("name"):  # a file names its people (the schema says so only when the rest is sound)
            cells["name"] = Text("missing")
        problems = _cell_problems(MEMBER_SHEET, row_number, cells, header_of)
        try:
            values = MemberInput().load(row)
        except ValidationError as exc:
            problems.extend(_problems(MEMBER_SHEET, row_number, exc, header_of, known=cells))
        result.problems.extend(problems)
        if not problems:
            loaded.append((row_number, values, header_of))
    for row_number, values, header_of in loaded:
        try:
            with session.begin_nested():
                ws.add_member(session, actor, jurisdictions, studio, values)
            result.members += 1
        except ValidationError as exc:
            result.problems.extend(_problems(MEMBER_SHEET, row_number, exc, header_of))
    if result.problems:
        result.members = 0
    result.problems.sort(key=lambda p: (p.sheet != MEMBER_SHEET, p.row))
    return result


def import_activities(
    session: Session, actor: Actor, jurisdictions: Jurisdictions, studio: m.Studio, data: bytes
) -> ImportResult:
    """As :func:`import_members`: every problem of every row of both sheets at once."""
    actor.require_manage_studio(studio.id)
    jurisdiction = ws.jurisdiction_of(session, jurisdictions)
    sheets = _read(data, [ACTIVITY_SHEET, ATTENDANCE_SHEET])
    schools = {s.name: s.id for s in session.scalars(select(m.School))}
    people: dict[str, list[int]] = {}
    for ms in ws.memberships(session, studio):
        people.setdefault(ms.person.name, []).append(ms.person_id)
    result = ImportResult()
    problem_rows: set[tuple[str, int]] = set()

    def report(problem: RowProblem) -> None:
        result.problems.append(problem)
        problem_rows.add((problem.sheet, problem.row))

    def person_id(name: str | None, sheet: str, row_number: int, column: str) -> int | None:
        ids = people.get(name or "", [])
        if len(set(ids)) != 1:
            message = "not a member of this studio" if not ids else "two members have this name; use the web form"
            report(RowProblem(sheet, row_number, column, message))
            return None
        return ids[0]

    activities: dict[str, tuple[int, dict[str, Any]]] = {}
    refs: set[str] = set()
    for row_number, raw in sheets[ACTIVITY_SHEET]:
        row, header_of, cells = _row(raw, ACTIVITY_COLUMNS, jurisdiction, ACTIVITY_CODED)
        ref = row.pop("ref", None) or str(row_number)
        if ref in refs:
            report(RowProblem(ACTIVITY_SHEET, row_number, "序号", "the same number twice"))
        refs.add(ref)
        school = row.pop("school", None)
        if school is not None:
            if school in schools:
                row["school_id"] = schools[school]
            else:
                cells["school"] = Text(NO_SUCH_SCHOOL, {"value": school})
        for problem in _cell_problems(ACTIVITY_SHEET, row_number, cells, header_of):
            report(problem)
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
            for problem in _problems(ACTIVITY_SHEET, row_number, exc, header_of, known=cells):
                report(problem)
            continue
        if values["type"] not in jurisdiction.offered("activity_types"):
            # only the types the jurisdiction's policy names (hook ``mingshi_terms``), as in the form
            known = values["type"] in jurisdiction.vocabulary.codes("activity_types")
            problem = "not a type this jurisdiction's policy names" if known else "not a valid choice"
            report(RowProblem(ACTIVITY_SHEET, row_number, "类型", problem))
            continue
        if (ACTIVITY_SHEET, row_number) not in problem_rows:
            activities[ref] = (row_number, values)
    attendance: dict[str, list[dict[str, Any]]] = {ref: [] for ref in activities}
    for row_number, raw in sheets[ATTENDANCE_SHEET]:
        row, header_of, cells = _row(raw, ATTENDANCE_COLUMNS, jurisdiction)
        ref = row.pop("activity", None)
        if ref not in refs:
            report(RowProblem(ATTENDANCE_SHEET, row_number, "活动序号", "no activity with this number"))
        for problem in _cell_problems(ATTENDANCE_SHEET, row_number, cells, header_of):
            report(problem)
        pid = person_id(row.pop("name", None), ATTENDANCE_SHEET, row_number, "姓名")
        row["person_id"] = pid if pid is not None else 1  # checked above; the other fields are checked still
        try:
            values = AttendanceInput().load(row)
        except ValidationError as exc:
            for problem in _problems(ATTENDANCE_SHEET, row_number, exc, header_of, known=cells):
                report(problem)
            continue
        if ref in attendance and (ATTENDANCE_SHEET, row_number) not in problem_rows:
            attendance[ref].append(values)
    # the services' checks (dates in the future, leaders and attendance in the studio …) for every
    # activity whose rows are sound, even when others are not: all is rolled back on any problem
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
    if result.problems:
        result.activities, result.removed = 0, []
    result.problems.sort(key=lambda p: (p.sheet != ACTIVITY_SHEET, p.row))
    return result


def _problems(
    sheet: str, row: int, exc: ValidationError, header_of: Mapping[str, str], known: Mapping[str, Any] | None = None
) -> list[RowProblem]:
    """The messages of a ValidationError as problems of the row; a field whose cell was already
    reported (``known``: left out of the data, so "missing" here) is not reported twice."""
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    found = []
    for name, value in messages.items():
        if known and name in known:
            continue
        values = value if isinstance(value, list) else [value]
        for message in values:
            found.append(RowProblem(sheet, row, header_of.get(str(name), str(name)), message))
    return found
