"""Every signed-in user's own account: their roles and studios, last sign-ins, their password.

A user who signed in with a one-time password is sent here before anything else until they
have chosen their own (``must_change_password``).
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user, login_required, login_user
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.schemas.registry import EmailPreferenceInput, PasswordInput
from mingshi.core.services import accounts
from mingshi.core.services.access import actor_for
from mingshi.core.tenancy import bind_tenant
from mingshi.web.app import db_session, today
from mingshi.web.render import form_errors, page

bp = Blueprint("account", __name__, url_prefix="/account")

#: what a user who must change their password may still open
OPEN_ENDPOINTS = frozenset({"account.index", "account.password", "auth.logout", "auth.login", "auth.set_language",
                            "static"})  # fmt: skip


@bp.before_app_request
def _temporary_password_first():
    if current_user.is_authenticated and current_user.must_change_password and request.endpoint not in OPEN_ENDPOINTS:
        if request.headers.get("HX-Request") == "true":
            from flask import make_response

            response = make_response("", 403)
            response.headers["HX-Redirect"] = url_for("account.index")
            return response
        return redirect(url_for("account.index"))
    return None


def _memberships(user: m.User) -> list[tuple[str, str, str]]:
    """(tenant, role, studio) of every role the user holds and every studio they work in."""
    db = db_session()
    rows: list[tuple[str, str, str]] = []
    tenant = db.get(m.Tenant, user.tenant_id) if user.tenant_id else None
    if tenant is not None:
        bind_tenant(db, tenant.id)
    studios = {}
    if tenant is not None:
        actor = actor_for(db, user, today=today())
        ids = {r.studio_id for r in user.roles if r.studio_id} | set(actor.hosted) | set(actor.joined)
        if ids:
            studios = dict(db.execute(select(m.Studio.id, m.Studio.name).where(m.Studio.id.in_(ids))).all())
        for sid in sorted(actor.hosted):
            rows.append((tenant.name, "host", studios.get(sid, "")))
        for sid in sorted(actor.joined):
            rows.append((tenant.name, "member", studios.get(sid, "")))
    for role in user.roles:
        studio = studios.get(role.studio_id, "") if role.studio_id else ""
        entry = (tenant.name if tenant else "", role.role, studio)
        if entry not in rows:
            rows.append(entry)
    return rows


def _page(*, form=None, errors=None, status: int = 200, changed: bool = False, email_form=None, saved: bool = False):
    db = db_session()
    user = db.get(m.User, current_user.id)
    return page(
        "account/index.html",
        status=status,
        account=user,
        roles=_memberships(user),
        sign_ins=accounts.last_sign_ins(db, user),
        form=form or {},
        errors=errors or {},
        changed=changed,
        min_length=accounts.MIN_PASSWORD_LENGTH,
        email_form=email_form
        if email_form is not None
        else {"email": user.email or "", "email_reminders": "on" if user.email_reminders else ""},
        saved=saved or request.args.get("saved") == "email",
    )


@bp.get("/")
@login_required
def index():
    return _page()


@bp.post("/password")
@login_required
def password():
    db = db_session()
    user = db.get(m.User, current_user.id)
    try:
        data = PasswordInput().load(
            {k: request.form.get(k) for k in ("current", "new", "repeated") if request.form.get(k) is not None}
        )
        accounts.change_own_password(db, user, data["current"], data["new"], data["repeated"])
    except ValidationError as exc:
        db.rollback()
        # the passwords typed are not sent back
        return _page(errors=form_errors(exc), status=422)
    db.commit()
    login_user(user)  # the session follows the rotated id; every other session has ended
    return redirect(url_for("account.index", changed=1))


@bp.post("/email")
@login_required
def email():
    """The address reminders are e-mailed to, and whether they are (the worker sends them)."""
    db = db_session()
    user = db.get(m.User, current_user.id)
    typed = {k: request.form.get(k, "") for k in ("email", "email_reminders")}
    try:
        data = EmailPreferenceInput().load_form(request.form)
    except ValidationError as exc:
        return _page(errors=form_errors(exc), status=422, email_form=typed)  # what was typed is kept
    accounts.set_own_email(db, user, data.get("email"), data["email_reminders"])
    db.commit()
    return redirect(url_for("account.index", saved="email"), 303)
