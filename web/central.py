"""The central area under ``/central/``: central staff compare the tenants, read-only.

Only a user with the ``central`` role and no tenant gets in; anyone else gets 404 (a tenant's
users are not told the area exists). Every route is a GET: there is nothing to change here, and
the sessions the views read through refuse any write (:func:`mingshi.core.services.central.read_only_session`).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from mingshi.core.exports import table_to_csv, table_to_xlsx
from mingshi.core.services import central
from mingshi.core.services import workspace as ws
from mingshi.web.app import EXTENSION, jurisdictions, login_manager, today
from mingshi.web.central_tables import APPLICATION_STATUSES, Tables
from mingshi.web.filters import locale_code
from mingshi.web.render import page

bp = Blueprint("central", __name__, url_prefix="/central")

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@bp.before_request
def _central_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.tenant_id is not None or not current_user.has_role("central"):
        abort(404)
    return None


def _sessions():
    return current_app.extensions[EXTENSION]["sessions"]


def _year() -> tuple[int | None, str | None]:
    """The ``year`` asked for: (year, None), (None, None) when not given, (None, message) when bad."""
    raw = (request.args.get("year") or "").strip()
    if not raw:
        return None, None
    try:
        return central.check_year(int(raw)), None
    except ValueError:
        return None, _(
            "year: give a year between %(first)s and %(last)s", first=central.MIN_YEAR, last=central.MAX_YEAR
        )


def _comparison(year: int | None):
    with central.read_only_session(_sessions()) as session:
        years, default = central.year_choices(session, today())
        chosen = year or default
        if chosen not in years:
            years = sorted({*years, chosen}, reverse=True)
        comparison = central.compare(session, jurisdictions(), central.trend_years(chosen))
    return comparison, chosen, years


@bp.get("/")
def compare():
    year, error = _year()
    comparison, chosen, years = _comparison(year)
    tables = Tables(comparison, chosen, locale_code()).all()
    return page(
        "central/compare.html",
        status=400 if error else 200,
        error=error,
        year=chosen,
        years=years,
        tables=tables,
        skipped=comparison.tenants.skipped,
        as_of=comparison.as_of,
    )


@bp.get("/export/<key>.<fmt>")
def export(key: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    year, error = _year()
    if error:
        return Response(error, status=400, mimetype="text/plain")
    comparison, chosen, _years = _comparison(year)
    builder = Tables(comparison, chosen, locale_code()).builders().get(key)
    if builder is None:
        abort(404)
    table = builder()
    if fmt == "xlsx":
        body: bytes | str = table_to_xlsx(table.title, table.headers, table.export_rows())
    else:
        body = table_to_csv(table.headers, table.export_rows())
    response = Response(body, mimetype=FORMATS[fmt])
    filename = f"mingshi-{re.sub(r'[^a-z0-9-]', '', key)}-{chosen}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<tenant>/studios")
def studios(tenant: str):
    """A tenant's studios, read-only: the drill-down from the comparison's figures."""
    sessions = _sessions()
    with central.read_only_session(sessions) as session:
        found = central.tenants(session, jurisdictions()).get(tenant)
    if found is None:
        abort(404)
    info = found.jurisdiction.info
    status = (request.args.get("status") or "").strip() or None
    kind = (request.args.get("kind") or "").strip() or None
    errors = {}
    if status is not None and status not in central.RUNNING_STATUSES + APPLICATION_STATUSES + ("rejected",):
        errors["status"] = _("not a valid choice")
    if kind is not None and kind not in info.studio_kinds:
        errors["kind"] = _("not a valid choice")
    number = max(1, min(request.args.get("page", default=1, type=int) or 1, 1_000_000))
    size = ws.STUDIO_PAGE
    with central.read_only_session(sessions, found.id) as session:
        rows, total = [], 0
        if not errors:
            total = ws.count_studios(session, status=status, kind=kind).total
            rows = ws.list_studios(session, status=status, kind=kind, limit=size, offset=(number - 1) * size)
        filters = {"status": status, "kind": kind}
        return page(
            "central/studios.html",
            status=400 if errors else 200,
            tenant=found,
            info=info,
            rows=rows,
            filters=filters,
            errors=errors,
            number=number,
            size=size,
            total=total,
            pager_args={k: v for k, v in filters.items() if v},
        )


WRITES = ["POST", "PUT", "PATCH", "DELETE"]


@bp.route("/", methods=WRITES, endpoint="refuse_root")
@bp.route("/<path:_anything>", methods=WRITES)
def refuse(_anything: str | None = None):
    """Central staff change nothing: every write is refused (others got 404 before this)."""
    abort(405, valid_methods=["GET", "HEAD"])
