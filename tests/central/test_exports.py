"""core.exports: tables to .xlsx and CSV, with formula injection neutralized."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from mingshi.core.exports import safe_cell, sheet_name, table_to_csv, table_to_xlsx

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://evil","点我")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_looking_text_gets_an_apostrophe(text) -> None:
    assert safe_cell(text) == "'" + text


def test_numbers_dates_and_plain_text_stay_as_they_are() -> None:
    assert safe_cell(42) == 42 and safe_cell(-5) == -5
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)
    assert safe_cell("沈阳市") == "沈阳市" and safe_cell(None) == ""
    with pytest.raises(TypeError):
        safe_cell(0.1)


def test_csv_has_a_bom_and_neutralized_cells() -> None:
    body = table_to_csv(["地区", "金额"], [["=cmd|' /C calc'!A0", Decimal("12.30")], ["沈阳市", -3]])
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows == [["地区", "金额"], ["'=cmd|' /C calc'!A0", "12.30"], ["沈阳市", "-3"]]
    assert body.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers() -> None:
    data = table_to_xlsx(
        "经费 [2025]", ["地区", "下拨（元）"], [[t, Decimal("1.25")] for t in DANGEROUS] + [["温州市", 7]]
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet.title == "经费 _2025_"
    assert sheet["A1"].value == "地区" and sheet["A1"].font.bold
    for row, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s", text  # a string cell is never evaluated
        assert cell.quotePrefix
        # a carriage return is kept by lxml (openpyxl's parser when installed) and read as a line feed without it
        assert cell.value in (text, text.replace("\r", "\n"))
        assert sheet.cell(row=row, column=2).value == pytest.approx(1.25)
    last = len(DANGEROUS) + 2
    assert sheet.cell(row=last, column=1).value == "温州市" and not sheet.cell(row=last, column=1).quotePrefix
    assert sheet.cell(row=last, column=2).value == 7


def test_sheet_names_are_what_excel_accepts() -> None:
    assert sheet_name("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert len(sheet_name("长" * 40)) == 31
    assert sheet_name("''") == "Sheet"
