"""Plans and reports under ``/<tenant>/``: a studio's tab of the documents it must file, one document's
page (file, submit, review, withdraw, history).

Views load, check access, render; the service (``core/services/submissions.py``) checks again and
does the work. Another tenant's studio or submission is simply not found (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, request, url_for
from marshmallow import ValidationError

from mingshi.core import models as m
from mingshi.core.schemas.submissions import DocumentInput, ReviewInput, TakeBackInput
from mingshi.core.services import submissions as sv
from mingshi.core.services.access import Forbidden
from mingshi.core.services.evidence import PURPOSE_LABELS
from mingshi.web import tenant as tenant_views
from mingshi.web.app import EXTENSION, db_session, today
from mingshi.web.render import form_errors, is_partial, page

bp = Blueprint("plans", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)


def _storage():
    return current_app.extensions[EXTENSION]["storage"]


def _year(db) -> int:
    asked = request.values.get("year", "")
    if asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    from mingshi.core.services import judgements as jg

    return jg.current_year(db, g.jurisdiction, today())


def _common() -> dict[str, Any]:
    return {
        "state_labels": sv.STATE_LABELS,
        "timing_labels": sv.TIMING_LABELS,
        "purpose_labels": PURPOSE_LABELS,
        "rules": g.jurisdiction.rules,
    }


def _list_page(studio: m.Studio, *, form=None, errors=None, status: int = 200):
    db = db_session()
    year = _year(db)
    rows = sv.documents(db, g.actor, g.jurisdiction, studio, year, today=today())
    params = g.jurisdiction.paramset(sv.tenant_parameter_values(db))
    response = page(
        "tenant/plans.html",
        status,
        rows=rows,
        year=year,
        ahead=sv.templates(g.jurisdiction, studio, year, params),
        form=form or {},
        errors=errors or {},
        **_common(),
        **tenant_views._studio_context(studio),
    )
    db.rollback()  # reads only
    return response


@bp.get("/studios/<int:studio_id>/documents")
def documents(studio_id: int):
    return _list_page(tenant_views._studio(studio_id))


def _document_page(row: sv.DocumentRow, *, form=None, errors=None, status: int = 200):
    db = db_session()
    sub = row.submission
    history = []
    if sub is not None:
        from pathlib import Path

        from mingshi.core.i18n import Translator
        from mingshi.core.services import audit_text

        messages = Translator("mingshi_web", Path(__file__).parent / "translations")
        history = audit_text.describe(
            db,
            sv.history(db, g.actor, sub.id),
            vocabulary=g.jurisdiction.vocabulary,
            translator=messages,
            rules=g.jurisdiction.rules,
        )
    return page(
        "tenant/plan.html",
        status,
        row=row,
        sub=sub,
        history=history,
        max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        form=form or {},
        errors=errors or {},
        **_common(),
        **tenant_views._studio_context(row.studio),
    )


def _find(studio: m.Studio, code: str, period_key: str) -> sv.DocumentRow:
    if not code or not period_key or len(code) > 64 or len(period_key) > 40:
        abort(404)
    try:
        return sv.find(db_session(), g.jurisdiction, studio, code, period_key, today=today())
    except LookupError:
        abort(404)


def _submission(submission_id: int) -> tuple[m.DocumentSubmission, sv.DocumentRow]:
    db = db_session()
    try:
        sub = sv.get(db, g.actor, submission_id)
    except LookupError:
        abort(404)
    studio = tenant_views._studio(sub.studio_id)
    return sub, _find(studio, sub.code, sub.period_key)


@bp.get("/studios/<int:studio_id>/documents/file")
def new_document(studio_id: int):
    """A document not started yet (``?code=&key=``), or one to file ahead of an activity (``?code=&day=``)."""
    studio = tenant_views._studio(studio_id)
    code = request.args.get("code", "")
    key = request.args.get("key", "")
    day = request.args.get("day", "")
    if day and not key:
        try:
            key = dt.date.fromisoformat(day).isoformat()
        except ValueError:
            return _list_page(studio, form=request.args.to_dict(), errors={"day": ["not a valid date"]}, status=422)
    row = _find(studio, code, key)
    if row.submission is not None:
        return redirect(url_for("plans.submission", submission_id=row.submission.id))
    return _document_page(row)


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int):
    _sub, row = _submission(submission_id)
    return _document_page(row)


def _after(sub_id: int):
    db = db_session()
    db.commit()
    if is_partial():
        _sub, row = _submission(sub_id)
        return _document_page(row)
    return redirect(url_for("plans.submission", submission_id=sub_id), 303)


@bp.post("/studios/<int:studio_id>/documents/file")
def save_document(studio_id: int):
    studio = tenant_views._studio(studio_id)
    if not g.actor.can_manage_studio(studio.id):
        abort(403)
    row = _find(studio, request.form.get("code", ""), request.form.get("key", ""))
    form = request.form.to_dict()
    try:
        data_in = DocumentInput().load_form(request.form)
    except ValidationError as exc:
        return _document_page(row, form=form, errors=form_errors(exc), status=422)
    upload = request.files.get("file")
    data = None
    if upload is not None and upload.filename:
        data = (upload.filename, upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1))
    db = db_session()
    try:
        sub = sv.save(
            db,
            g.actor,
            g.jurisdiction,
            _storage(),
            row,
            title=data_in["title"],
            submit=data_in["action"] == "submit",
            upload=data,
            purpose=data_in["purpose"],
            max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            version=data_in["version"],
        )
    except sv.SubmissionError as exc:
        db.rollback()
        return _document_page(
            _find(studio, row.document.code, row.document.period_key), form=form, errors=exc.errors, status=422
        )
    except sv.Conflict:
        db.rollback()
        again = _find(studio, row.document.code, row.document.period_key)
        return _document_page(again, form=form, errors={"_schema": ["changed meanwhile: look again"]}, status=409)
    return _after(sub.id)


def _decide(submission_id: int, schema: Any, form: dict, call: Any, *, conflict_form: dict | None = None):
    """Load the form with ``schema`` and run ``call(db, data)`` (a core service) on the submission; a
    bad form or a refusal shows the document page again with what was typed (422), a change made
    meanwhile asks to look again (409)."""
    db = db_session()
    try:
        data_in = schema().load_form(request.form)
    except ValidationError as exc:
        return _document_page(_submission(submission_id)[1], form=form, errors=form_errors(exc), status=422)
    try:
        call(db, data_in)
    except sv.SubmissionError as exc:
        db.rollback()
        return _document_page(_submission(submission_id)[1], form=form, errors=exc.errors, status=422)
    except sv.Conflict:
        db.rollback()
        again = _submission(submission_id)[1]
        errors = {"_schema": ["changed meanwhile: look again"]}
        return _document_page(again, form=form if conflict_form is None else conflict_form, errors=errors, status=409)
    except Forbidden:
        abort(403)
    return _after(submission_id)


@bp.post("/submissions/<int:submission_id>/review")
def review(submission_id: int):
    sub, _row = _submission(submission_id)
    if not g.actor.is_admin:
        abort(403)

    def call(db, data):
        sv.review(db, g.actor, sub.id, jurisdiction=g.jurisdiction, decision=data["decision"], reason=data["reason"],
                  version=data["version"])  # fmt: skip

    return _decide(submission_id, ReviewInput, request.form.to_dict(), call)


@bp.post("/submissions/<int:submission_id>/withdraw")
def withdraw(submission_id: int):
    sub, _row = _submission(submission_id)
    if not g.actor.can_manage_studio(sub.studio_id):
        abort(403)

    def call(db, data):
        sv.withdraw(db, g.actor, sub.id, jurisdiction=g.jurisdiction, reason=data["reason"], version=data["version"])

    form = request.form.to_dict()
    return _decide(submission_id, TakeBackInput, {**form, "withdrawing": "1"}, call, conflict_form=form)
