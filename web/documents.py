"""Generated documents under ``/<tenant>/documents/``: PDF (WeasyPrint) and .docx (python-docx).

The core builds what a document says (``core/services/documents.py``); this module lays it out in
Chinese official-document layout (GB/T 9704): A4, the organ in red over a red rule, the title in
小标宋, the body in 仿宋, page numbers "— 1 —". Fonts: 小标宋 and 仿宋 are used where the server has
them; otherwise Noto Serif CJK, which the project installs (``fonts-noto-cjk``), stands in. The .docx
names 方正小标宋简体 and 仿宋_GB2312, the fonts a bureau's office has, so that it prints right there
after editing. A document is in the reader's language.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from flask import Blueprint, abort, g, make_response, render_template, request
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import documents as docs
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session, today
from mingshi.web.filters import locale_code

bp = Blueprint("documents", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"


def _english() -> bool:
    return locale_code().lower().startswith("en")


def pdf(doc: docs.OfficialDocument) -> bytes:
    from weasyprint import HTML

    html = render_template("documents/official.html", doc=doc, english=_english())
    return HTML(string=html).write_pdf()


def _font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _bottom_rule(paragraph, color: str = "C00000") -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "16"), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def docx(doc: docs.OfficialDocument) -> bytes:
    english = _english()

    def text(value) -> str:
        if hasattr(value, "en") and hasattr(value, "zh"):
            return value.en if english else value.zh
        return str(value)

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number(section.footer.paragraphs[0])

    organ = document.add_paragraph()
    organ.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(organ.add_run(text(doc.organ)), TITLE_FONT, 30, bold=True, color=RGBColor(0xCC, 0, 0))
    _bottom_rule(organ)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(18)
    _font(title.add_run(text(doc.title)), TITLE_FONT, 22)
    for paragraph in (*doc.paragraphs,):
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.line_spacing = Pt(28.9)
        _font(p.add_run(text(paragraph)), BODY_FONT, 16)
    if doc.table is not None:
        table = document.add_table(rows=1, cols=len(doc.table.headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, doc.table.headers, strict=True):
            _font(cell.paragraphs[0].add_run(text(header)), HEAD_FONT, 12, bold=True)
        for row in doc.table.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                _font(cell.paragraphs[0].add_run(text(value)), BODY_FONT, 12)
    for paragraph in doc.closing:
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _font(p.add_run(text(paragraph)), BODY_FONT, 16)
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.space_before = Pt(36)
    day = doc.date.isoformat() if english else f"{doc.date.year}年{doc.date.month}月{doc.date.day}日"
    _font(signature.add_run(text(doc.organ)), BODY_FONT, 16)
    signature.add_run().add_break()
    _font(signature.add_run(day), BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _send(doc: docs.OfficialDocument, doc_format: str):
    if doc_format not in FORMATS:
        abort(404)
    data = pdf(doc) if doc_format == "pdf" else docx(doc)
    name = f"{doc.stem}{'-en' if _english() else ''}.{doc_format}"
    response = make_response(data)
    response.headers["Content-Type"] = FORMATS[doc_format]
    response.headers["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _require_bureau() -> None:
    """The lists of a round are the bureau's: its administrator and its reviewers."""
    if not (g.actor.is_admin or g.actor.is_reviewer):
        abort(403)


@bp.get("/documents/notice.<doc_format>")
def notice(doc_format: str):
    _require_bureau()
    return _send(docs.notice_list(db_session(), g.jurisdiction, today=today()), doc_format)


@bp.get("/documents/plaque/<int:year>.<doc_format>")
def plaque(year: int, doc_format: str):
    _require_bureau()
    if not 1990 <= year <= 2200:
        abort(404)
    return _send(docs.plaque_list(db_session(), g.jurisdiction, year=year, today=today()), doc_format)


@bp.get("/studios/<int:studio_id>/assessment/report.<doc_format>")
def assessment_report(studio_id: int, doc_format: str):
    """A stored assessment of the studio as a document: ``?record=<id>``, or the latest one in force."""
    studio = tenant_views._studio(studio_id)
    query = select(m.AssessmentRecord).where(m.AssessmentRecord.studio_id == studio.id)
    chosen = request.args.get("record", type=int)
    if chosen is not None:
        query = query.where(m.AssessmentRecord.id == chosen)
    else:
        query = query.where(m.AssessmentRecord.withdrawn_at.is_(None)).order_by(m.AssessmentRecord.id.desc())
    record = db_session().scalars(query.limit(1)).first()
    if record is None:
        abort(404)
    return _send(docs.assessment_report(db_session(), g.jurisdiction, record, today=today()), doc_format)


@bp.get("/studios/<int:studio_id>/funds/<int:year>/report.<doc_format>")
def fund_usage(studio_id: int, year: int, doc_format: str):
    studio = tenant_views._studio(studio_id)
    if not 1990 <= year <= 2200:
        abort(404)
    return _send(docs.fund_usage_report(db_session(), g.jurisdiction, studio, year=year, today=today()), doc_format)


@bp.get("/studios/<int:studio_id>/cycle/summary.<doc_format>")
def cycle_summary(studio_id: int, doc_format: str):
    studio = tenant_views._studio(studio_id)
    try:
        doc = docs.cycle_summary(db_session(), g.jurisdiction, studio, today=today())
    except LookupError:
        abort(404)
    return _send(doc, doc_format)
