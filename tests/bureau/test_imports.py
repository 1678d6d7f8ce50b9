"""Imports from a spreadsheet: every problem of every row at once, in the reader's language, and the
dates a bureau types (2024/3/4, 2024-03-04, 2024年3月4日, a date cell)."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.spreadsheets import _date
from mingshi.core.tenancy import bind_tenant
from tests.bureau.conftest import TODAY
from tests.web.conftest import studio_of

HEADER = ["姓名", "性别", "出生日期", "学校", "职务", "职称", "骨干级别", "角色", "类别", "加入日期"]


def _workbook(rows: list[list], title: str = "成员", date_cells: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if date_cells:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy/m/d"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(visitor, path: str, data: bytes):
    return visitor.post(path, {"file": (io.BytesIO(data), "import.xlsx")}, content_type="multipart/form-data")


def _problems(response) -> list[tuple[str, str, str]]:
    body = re.sub(r"\s+", " ", response.get_data(as_text=True))
    table = re.search(r'id="problems">(.*?)</table>', body)
    assert table, "no table of problems"
    return re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table.group(1))


def _people_named(app, names: set[str]) -> set[str]:
    with app.extensions["mingshi"]["sessions"]() as session:
        return set(
            session.scalars(
                select(m.Person.name).where(m.Person.name.in_(names)).execution_options(mingshi_all_tenants="test")
            )
        )


BAD_ROWS = [
    HEADER,
    # one row, four problems: a sex, a date, a school and a title that are none of the choices
    ["林一", "X", "1988-13-01", "不存在的学校", "教师", "特级", None, "成员", None, TODAY.isoformat()],
    # another row, two problems: no name, a join date that is no date
    [None, "女", None, None, "教师", None, None, "成员", None, "昨天"],
    # a sound row, refused by the service (a join date in the future): reported in the same answer
    ["王二", "男", None, None, "教师", None, None, "成员", None, (TODAY + dt.timedelta(days=400)).isoformat()],
]


def test_an_import_reports_every_problem_of_every_row_at_once(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    response = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", _workbook(BAD_ROWS))
    assert response.status_code == 422
    found = _problems(response)
    by_row: dict[str, set[str]] = {}
    for row, column, _message in found:
        by_row.setdefault(row, set()).add(column)
    assert by_row["2"] == {"性别", "出生日期", "学校", "职称"}, found
    assert by_row["3"] == {"姓名", "加入日期"}, found
    assert by_row["4"] == {"加入日期"}, found
    assert _people_named(app, {"林一", "王二"}) == set()  # all rows or none


def test_an_import_speaks_the_readers_language(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    path = f"/shenyang/studios/{studio.id}/import/members"
    zh = {column: message for _row, column, message in _problems(_upload(visitor, path, _workbook(BAD_ROWS)))}
    assert zh["性别"] == "“X”不是可选值之一：男、女"
    assert zh["出生日期"].startswith("“1988-13-01”不是日期")
    assert zh["学校"] == "学校名单中没有“不存在的学校”"
    visitor.get("/lang/en")
    en = {column: message for _row, column, message in _problems(_upload(visitor, path, _workbook(BAD_ROWS)))}
    assert en["性别"] == "“X” is not one of: male, female"
    assert en["学校"] == "no school named “不存在的学校” in the list of schools"
    for message in [*zh.values(), *en.values()]:
        assert "must be one of" not in message and "M, F" not in message and "Error" not in message
    refused = _upload(visitor, path, b"not a spreadsheet at all")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "is not an Excel workbook" in body and "BadZipFile" not in body


def test_an_import_accepts_the_date_forms_a_bureau_types(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    rows = [
        HEADER,
        ["甲一", "女", "1988/3/4", None, "教师", "中级", None, "成员", None, "2026/11/2"],
        ["甲二", "男", "1988-03-04", None, "教师", None, None, "成员", None, "2026-11-02"],
        ["甲三", "女", "1988年3月4日", None, "教师", None, None, "成员", None, "2026年11月2日"],
        ["甲四", "男", dt.date(1988, 3, 4), None, "教师", None, None, "成员", None, dt.date(2026, 11, 2)],
    ]
    response = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", _workbook(rows, date_cells=True))
    assert response.status_code == 200, _problems(response)
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        people = session.scalars(select(m.Person).where(m.Person.name.in_(["甲一", "甲二", "甲三", "甲四"]))).all()
        assert {p.born for p in people} == {dt.date(1988, 3, 4)} and len(people) == 4
        joined = session.scalars(
            select(m.Membership.joined).where(m.Membership.person_id.in_([p.id for p in people]))
        ).all()
        assert set(joined) == {dt.date(2026, 11, 2)}


def test_the_date_reader_takes_each_form_and_refuses_what_is_no_date() -> None:
    day = "2024-03-04"
    for typed in ("2024/3/4", "2024-03-04", "2024年3月4日", "2024.3.4", " 2024 年 3 月 4 日 "):
        assert _date(typed) == day, typed
    assert _date(dt.datetime(2024, 3, 4, 0, 0)) == day
    assert _date(dt.date(2024, 3, 4)) == day
    assert _date(45355) == day  # a date cell without its format: Excel's serial number
    for wrong in ("2024/2/30", "3/4/2024", "昨天", "2024-3", ""):
        assert _date(wrong) is None, wrong
