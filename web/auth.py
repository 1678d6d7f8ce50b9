"""Sign-in and sign-out.

Passwords are hashed by Werkzeug (scrypt). The session remembers the user's ``alt_id``, which is
rotated at sign-out, so that a copied session cookie stops working. An htmx request that needs
sign-in gets ``HX-Redirect`` to the sign-in page instead of a login form swapped into a fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from core import models as m
from web.app import db_session, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(alt_id: str) -> m.User | None:
    user = db_session().scalar(select(m.User).where(m.User.alt_id == alt_id))
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def home_of(user: m.User) -> str:
    if user.has_role("central") and user.tenant_id is None:
        return url_for("home.index")
    tenant = db_session().get(m.Tenant, user.tenant_id)
    return url_for("tenant.dashboard", tenant=tenant.code) if tenant else url_for("home.index")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        user = db_session().scalar(select(m.User).where(m.User.username == username)) if username else None
        if user is None or not user.active or not check_password_hash(user.password_hash, password):
            error = _("The user name or the password is wrong.")
        else:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_of(user))
    return render_template("auth/login.html", error=error, username=username), (401 if error else 200)


@bp.post("/logout")
@login_required
def logout():
    import uuid

    db = db_session()
    user = db.get(m.User, current_user.id)
    user.alt_id = str(uuid.uuid4())  # revokes every copy of the session cookie
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    session["lang"] = "en" if code.startswith("en") else "zh_CN"
    return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
