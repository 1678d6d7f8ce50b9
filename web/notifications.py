"""A user's reminders under ``/<tenant>/notifications``: the list (newest first, a page at a time),
marking one or all read, opening the thing one reminds of; and the bell's number in the top bar.

The reminders are written by the reminder pass (:mod:`mingshi.core.services.notifications`, run by the
worker), never here; a user sees only their own (another user's or another tenant's id → 404).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user

from mingshi.core.services import notifications as service
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session
from mingshi.web.render import page

bp = Blueprint("notifications", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)


def _back():
    """To the list's page the form was on (htmx follows the redirect and swaps the list)."""
    number = request.form.get("page", type=int) or 1
    return redirect(url_for("notifications.index", page=max(1, min(number, 1_000_000))), 303)


def _list(status: int = 200):
    db = db_session()
    number = tenant_views.page_number()
    rows, total = service.page_of(db, current_user.id, number=number, size=service.PAGE)
    return page(
        "notifications/index.html",
        status=status,
        rows=[(row, service.text_of(row), service.link_of(row, g.tenant.code)) for row in rows],
        email_states={row.id: service.email_state(row) for row in rows},
        number=number,
        size=service.PAGE,
        total=total,
    )


@bp.get("/notifications")
def index():
    return _list()


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int):
    db = db_session()
    try:
        service.mark_read(db, current_user.id, notification_id)
    except service.NotFound:
        abort(404)
    db.commit()
    return _back()


@bp.post("/notifications/<int:notification_id>/open")
def open_(notification_id: int):
    """Read, then go to the thing (a form button: reading is a change, never a GET)."""
    db = db_session()
    try:
        row = service.mark_read(db, current_user.id, notification_id)
    except service.NotFound:
        abort(404)
    db.commit()
    return redirect(service.link_of(row, g.tenant.code), 303)


@bp.post("/notifications/read")
def read_all():
    db = db_session()
    service.mark_all_read(db, current_user.id)
    db.commit()
    return _back()


@bp.app_context_processor
def _bell():
    def unread_reminders() -> int | None:
        """The bell's number on a tenant's pages (None elsewhere: no bell)."""
        if getattr(g, "tenant", None) is None or getattr(g, "actor", None) is None:
            return None
        if not current_user.is_authenticated or current_user.tenant_id != g.tenant.id:
            return None
        return service.unread_count(db_session(), current_user.id)

    return {"unread_reminders": unread_reminders}
