"""Parameters with dated values and a what-if preview; spreadsheets in (all rows or none) and out."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from mingshi.core import models as m
from tests.bureau.conftest import TODAY
from tests.web.conftest import studio_of


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_parameters_show_values_in_force_with_their_article(visitor) -> None:
    visitor.login("shenyang-reviewer")
    page = _text(visitor.get("/shenyang/parameters"))
    assert 'data-param="sy.funding.studio"' in page and "¥25,000.00" in page and "第十二条" in page
    assert "A new value from a date" not in page and "自某日起的新取值" not in page  # reviewers read only


def test_an_administrator_adds_a_dated_value_with_a_reason(visitor, app) -> None:
    visitor.login("shenyang-admin")
    refused = visitor.post(
        "/shenyang/parameters",
        {"param_id": "sy.member.max_absence_ratio", "value": "1.5", "valid_from": "2026-01-01", "reason": "x"},
    )
    assert refused.status_code == 422 and 'value="1.5"' in _text(refused)
    done = visitor.post(
        "/shenyang/parameters",
        {"param_id": "sy.funding.studio", "value": "30000", "valid_from": "2026-01-01", "reason": "市财政追加"},
    )
    assert done.status_code == 302
    page = _text(visitor.get("/shenyang/parameters"))
    row = re.search(r'data-param="sy.funding.studio">(.*?)</tr>', page).group(1)
    assert (
        "¥30,000.00" in row and "本局设定" in row and "市财政追加" in row and "¥25,000.00" in row
    )  # the history stays


def test_the_reviewer_cannot_change_a_parameter(visitor) -> None:
    visitor.login("shenyang-reviewer")
    response = visitor.post(
        "/shenyang/parameters",
        {"param_id": "sy.funding.studio", "value": "1", "valid_from": "2026-01-01", "reason": "x"},
    )
    assert response.status_code == 403


def test_the_preview_lists_the_studios_a_new_value_would_change(visitor) -> None:
    visitor.login("wenzhou-admin")
    response = visitor.post(
        "/wenzhou/parameters/preview", {"param_id": "wz.funding.cycle", "value": "30000", "kind": "cycle"}, htmx=True
    )
    page = _text(response)
    assert response.status_code == 200 and 'id="preview"' in page
    assert "¥20,000.00" in page and "¥30,000.00" in page


# -- spreadsheets -----------------------------------------------------------------------------


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(visitor, path: str, data: bytes):
    return visitor.post(path, {"file": (io.BytesIO(data), "import.xlsx")}, content_type="multipart/form-data")


HEADER = ["姓名", "性别", "出生日期", "学校", "职务", "职称", "骨干级别", "角色", "类别", "加入日期"]


def test_the_template_downloads(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    response = visitor.get(f"/shenyang/studios/{studio.id}/import/template/activities")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["活动", "考勤", "代码"]


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    data = _workbook(
        {
            "成员": [
                HEADER,
                [
                    "林一",
                    "女",
                    "1988-02-01",
                    None,
                    "教师",
                    "中级",
                    "县（区、旗）级",
                    "成员",
                    "骨干教师",
                    TODAY.isoformat(),
                ],
                ["王二", "男", "1990-02-30", None, "教师", "中级", None, "成员", None, TODAY.isoformat()],
                ["张三", "男", None, "不存在的学校", "教师", None, None, "成员", None, TODAY.isoformat()],
            ]
        }
    )
    response = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", data)
    page = _text(response)
    assert response.status_code == 422 and "未导入任何数据" in page
    assert re.search(r"<td>成员</td><td>3</td><td>出生日期</td><td>“1990-02-30”不是日期：请写作 2024-03-04", page)
    assert re.search(r"<td>成员</td><td>4</td><td>学校</td><td>学校名单中没有“不存在的学校”</td>", page)
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        assert (
            session.scalar(
                select(m.Person).where(m.Person.name == "林一").execution_options(mingshi_all_tenants="test")
            )
            is None
        )


def test_a_good_file_imports_every_row(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    data = _workbook(
        {
            "成员": [
                HEADER,
                ["林一", "女", "1988-02-01", None, "教师", "中级", "县（区、旗）级", "成员", None, TODAY.isoformat()],
            ]
        }
    )
    response = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", data)
    assert response.status_code == 200 and "已导入成员1名" in _text(response)
    assert 'data-person="林一"' in _text(visitor.get(f"/shenyang/studios/{studio.id}/members"))


def test_activities_with_attendance_apply_the_rules(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        from mingshi.core.tenancy import bind_tenant

        bind_tenant(session, studio.tenant_id)
        trainee = session.scalars(
            select(m.Membership).where(
                m.Membership.studio_id == studio.id, m.Membership.role == "trainee", m.Membership.left.is_(None)
            )
        ).first()
        name = trainee.person.name
        for record in session.scalars(select(m.Attendance).where(m.Attendance.person_id == trainee.person_id)):
            record.status = "present"
        session.commit()
    header = [
        "序号",
        "日期",
        "类型",
        "形式",
        "范围",
        "标题",
        "地点学校",
        "主持人",
        "通知发布日期",
        "方案审批日期",
        "报道发布日期",
    ]
    data = _workbook(
        {
            "活动": [
                header,
                [
                    "1",
                    "2026-11-03",
                    "公开课/示范课",
                    "线下",
                    "工作室内",
                    "导入活动一",
                    None,
                    None,
                    "2026-11-01",
                    None,
                    None,
                ],
                ["2", "2026-11-13", "讲座", "线下", "工作室内", "导入活动二", None, None, "2026-11-10", None, None],
            ],
            "考勤": [
                ["活动序号", "姓名", "出勤", "请假批准日期"],
                ["1", name, "缺席", None],
                ["2", name, "缺席", None],
            ],
        }
    )
    response = _upload(visitor, f"/wenzhou/studios/{studio.id}/import/activities", data)
    page = _text(response)
    assert response.status_code == 200 and "活动2次" in page
    assert f"{name}自2026年11月13日起被取消资格" in page


def test_a_file_that_is_not_a_workbook_or_lacks_the_sheet_is_refused(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    garbage = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", b"not a spreadsheet at all")
    assert garbage.status_code == 422 and "文件不是 Excel 工作簿（.xlsx）" in _text(garbage)
    wrong = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", _workbook({"Sheet1": [["a"]]}))
    assert wrong.status_code == 422 and "成员" in _text(wrong)


def test_exports_neutralize_formulas(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        from mingshi.core.tenancy import bind_tenant

        bind_tenant(session, studio.tenant_id)
        target = session.get(m.Studio, studio.id)
        target.name = '=HYPERLINK("http://evil.example","点我")'
        session.commit()
    response = visitor.get("/shenyang/studios.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=HYPERLINK"))
    # stored as text with the quote prefix: Excel shows it and never evaluates it
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(row[0].data_type == "f" for row in sheet.iter_rows(min_row=2))


def test_an_oversized_file_is_refused(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    big = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", b"PK" + b"\0" * (5 * 1024 * 1024 + 10))
    assert big.status_code == 422 and "文件大于 5 MB" in _text(big)
    # beyond the largest request (an evidence file and its form): refused before it is read
    limit = app.config["MAX_CONTENT_LENGTH"]
    huge = _upload(visitor, f"/shenyang/studios/{studio.id}/import/members", b"\0" * (limit + 1))
    assert huge.status_code == 413


def test_the_preview_names_its_year_and_never_says_none(visitor) -> None:
    """Issue 13, observation 6: "…None年度…" in Shenyang and Lianyungang when the form names no year."""
    for code, param, value in (("shenyang", "sy.funding.studio", "30000"), ("lianyungang", "lyg.cycle_years", "4")):
        visitor.login(f"{code}-admin")
        response = visitor.post(f"/{code}/parameters/preview", {"param_id": param, "value": value}, htmx=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and 'id="preview"' in page, code
        assert "None" not in page and "2025" in page, code


def test_the_preview_of_a_wenzhou_parameter_runs_the_cycle_it_has(visitor) -> None:
    """Issue 13, observation 6: wz.trainee.max_unexcused answered an error without a message."""
    visitor.login("wenzhou-admin")
    response = visitor.post(
        "/wenzhou/parameters/preview", {"param_id": "wz.trainee.max_unexcused", "value": "3"}, htmx=True
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview"' in page
    assert "wz.trainee.max_unexcused =" not in page and "周期" in page
