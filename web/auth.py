"""Sign-in and sign-out.

Passwords are hashed by Werkzeug (scrypt); failed attempts are limited per user name and address
(:mod:`mingshi.core.services.signin`: counted in the database, so every worker process sees them). The
session remembers the user's ``alt_id``, which is rotated at sign-out, so that a copied session
cookie stops working. An htmx request that needs sign-in gets ``HX-Redirect`` to the sign-in page
instead of a login form swapped into a fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import signin
from mingshi.web.app import db_session, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(alt_id: str) -> m.User | None:
    user = db_session().scalar(select(m.User).where(m.User.alt_id == alt_id))
    if user is None or not user.active or not signin.tenant_active(db_session(), user):
        return None
    return user


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
        db = db_session()
        result = signin.sign_in(db, username, password, request.remote_addr)
        db.commit()  # a failure is counted too
        if result.locked:
            error = _("Too many failed attempts. Wait %(minutes)s minutes and try again.", minutes=_lockout_minutes())
            return render_template("auth/login.html", error=error, username=username), 429
        if result.user is None:
            error = _("The user name or the password is wrong.")
        else:
            # a new session, in the language chosen before signing in, else the one the user last chose
            language = session.get("lang") or result.user.language
            session.clear()
            if language:
                session["lang"] = language
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")) or home_of(result.user))
    return render_template("auth/login.html", error=error, username=username), (401 if error else 200)


def _lockout_minutes() -> int:
    return int(signin.WINDOW.total_seconds() // 60)


@bp.post("/logout")
@login_required
def logout():
    import uuid

    db = db_session()
    user = db.get(m.User, current_user.id)
    user.alt_id = str(uuid.uuid4())  # revokes every copy of the session cookie
    db.commit()
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    session["lang"] = "en" if code.startswith("en") else "zh_CN"
    if current_user.is_authenticated:
        # kept on the account too: the user's e-mails are written in it (core/services/notifications.py)
        from mingshi.core.services import accounts

        db = db_session()
        user = db.get(m.User, current_user.id)
        if user is not None and user.language != session["lang"]:
            accounts.remember_language(user, session["lang"])
            db.commit()
    return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
