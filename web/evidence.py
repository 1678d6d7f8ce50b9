"""Evidence files under ``/<tenant>/``: a record's files (list, upload, withdraw) and a file's download.

Views load, check access (in the service), render. A file is always sent as an attachment with its
stored media type (never HTML: such a file is not accepted), ``nosniff`` and a sandboxing CSP.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, g, make_response, redirect, request, url_for

from mingshi.core.services import evidence as ev
from mingshi.core.services.access import Forbidden
from mingshi.web import tenant as tenant_views
from mingshi.web.app import EXTENSION, db_session
from mingshi.web.render import page

bp = Blueprint("evidence", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)


def _storage():
    return current_app.extensions[EXTENSION]["storage"]


def _record(kind: str, record_id: int) -> ev.Record:
    try:
        record = ev.record_of(db_session(), kind, record_id)
    except LookupError:
        abort(404)
    if not g.actor.can_view_studio(record.studio_id):
        abort(404)
    return record


def _page(record: ev.Record, *, form=None, errors=None, status: int = 200):
    db = db_session()
    studio = tenant_views._studio(record.studio_id)
    return page(
        "tenant/evidence.html",
        status,
        record=record,
        files=ev.files_of(db, g.actor, record),
        purposes=ev.KINDS[record.kind][1],
        purpose_labels=ev.PURPOSE_LABELS,
        kind_label=ev.KIND_LABELS[record.kind],
        max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        form=form or {},
        errors=errors or {},
        **tenant_views._studio_context(studio),
    )


@bp.get("/evidence/<record_kind>/<int:record_id>")
def files(record_kind: str, record_id: int):
    return _page(_record(record_kind, record_id))


@bp.post("/evidence/<record_kind>/<int:record_id>")
def upload(record_kind: str, record_id: int):
    record = _record(record_kind, record_id)
    if not g.actor.can_manage_studio(record.studio_id):
        abort(403)
    form = {"purpose": request.form.get("purpose") or ""}
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(record, form=form, errors={"file": ["missing"]}, status=422)
    data = upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    db = db_session()
    try:
        ev.attach(
            db,
            g.actor,
            _storage(),
            record,
            purpose=form["purpose"],
            filename=upload.filename,
            data=data,
            max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        )
    except ev.EvidenceError as exc:
        db.rollback()
        return _page(record, form=form, errors=exc.errors, status=422)
    db.commit()
    return redirect(url_for("evidence.files", record_kind=record_kind, record_id=record_id), 303)


@bp.post("/files/<int:evidence_id>/withdraw")
def withdraw(evidence_id: int):
    db = db_session()
    try:
        row = ev.get(db, g.actor, evidence_id)
    except (LookupError, Forbidden):
        abort(404)
    kind, record_id = row.record
    record = ev.Record(kind, record_id, row.studio_id)
    try:
        ev.withdraw(db, g.actor, evidence_id, request.form.get("reason") or "")
    except ev.EvidenceError as exc:
        db.rollback()
        return _page(record, form={"withdraw": evidence_id}, errors=exc.errors, status=422)
    except Forbidden:
        abort(403)
    db.commit()
    return redirect(url_for("evidence.files", record_kind=kind, record_id=record_id), 303)


@bp.get("/files/<int:evidence_id>")
def download(evidence_id: int):
    db = db_session()
    try:
        row, data = ev.read(db, g.actor, _storage(), evidence_id)
    except (LookupError, Forbidden):
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = row.media_type
    ascii_name = row.filename.encode("ascii", "replace").decode().replace('"', "'")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(row.filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = f'"{row.sha256}"'
    return response
