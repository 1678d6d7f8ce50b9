"""The application factory and the per-request database session."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from typing import Any

from flask import Flask, g, request, session
from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from mingshi.core import cache, config, roles
from mingshi.core.db import default_database_url, make_engine, make_session_factory
from mingshi.core.i18n import normalize_locale
from mingshi.core.plugins import Jurisdictions
from mingshi.core.storage import storage_from_url

EXTENSION = "mingshi"

csrf = CSRFProtect()
login_manager = LoginManager()
htmx = HTMX()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The web application, configured by :mod:`mingshi.core.config` (``test_config`` overrides).

    Refuses (:class:`~mingshi.core.config.ConfigError`) to start without a secret key outside the
    demo, development and tests (``MINGSHI_DEMO`` / ``TESTING``), and on PostgreSQL
    (:class:`~mingshi.core.roles.PrivilegedConnection`) as a role that could take the database's
    walls down, unless ``MINGSHI_ALLOW_PRIVILEGED_DATABASE`` says so.
    """
    settings = config.load()
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=None,
        MINGSHI_DEMO=False,
        ALLOW_PRIVILEGED_DATABASE=settings.allow_privileged_database,
        TRUSTED_PROXIES=settings.trusted_proxies,
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        BABEL_DOMAIN="mingshi_web",
        # a form left open over lunch must still submit: a working day
        WTF_CSRF_TIME_LIMIT=10 * 3600,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        # evidence files: where they are kept, and the largest accepted (core/storage.py)
        STORAGE_URL=settings.storage_url,
        UPLOAD_MAX_BYTES=settings.upload_max_mb * 1024 * 1024,
        # results of the rules kept per process under their facts' revisions (core/cache.py)
        RESULT_CACHE=settings.result_cache,
        MINGSHI_TODAY=None,
    )
    if test_config:
        app.config.update(test_config)
    # a request larger than this is refused before it is read: an evidence file and its form (a
    # spreadsheet is at most 5 MB, checked by its import)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = max(6 * 1024 * 1024, app.config["UPLOAD_MAX_BYTES"] + 1024 * 1024)
    if not app.config["SECRET_KEY"]:
        if not (app.config["MINGSHI_DEMO"] or app.config["TESTING"]):
            config.require_secret_key(settings)
        app.config["SECRET_KEY"] = _instance_secret(app)
    cache.results.resize(int(app.config["RESULT_CACHE"]))
    url = app.config["DATABASE_URL"] or default_database_url()
    engine = make_engine(url)
    if not app.config["ALLOW_PRIVILEGED_DATABASE"]:
        try:
            with engine.connect() as connection:
                roles.check_not_privileged(connection, config.app_role_for(url))
        except BaseException:
            engine.dispose()
            raise
    jurisdictions = app.config.get("JURISDICTIONS") or Jurisdictions.load(
        only=list(settings.jurisdictions) if settings.jurisdictions else None
    )
    app.extensions[EXTENSION] = {
        "engine": engine,
        "sessions": make_session_factory(engine),
        "jurisdictions": jurisdictions,
        "storage": storage_from_url(app.config["STORAGE_URL"]),
    }
    Babel(app, locale_selector=_select_locale)
    app.before_request(_remember_language)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)

    # ids in URLs are 64-bit: a larger number is no id of ours (404), not an overflow (500)
    app.url_map.converters["int"] = Id64Converter

    from mingshi.core import jobs as core_jobs
    from mingshi.web import (
        account,
        admin,
        auth,
        bureau,
        central,
        credits,
        documents,
        errors,
        evidence,
        filters,
        health,
        home,
        jobs,
        notifications,
        plans,
        requestlog,
        tenant,
    )

    core_jobs.configure(app.extensions[EXTENSION]["sessions"], jurisdictions, app.extensions[EXTENSION]["storage"])

    requestlog.init_app(app, settings)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        # the client's address for the sign-in limit and the audit log, the scheme for secure cookies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n)  # type: ignore[method-assign]
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(central.bp)
    app.register_blueprint(tenant.bp)
    app.register_blueprint(bureau.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(evidence.bp)
    app.register_blueprint(credits.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(plans.bp)
    errors.register(app)
    filters.register(app)
    app.teardown_appcontext(_close_session)
    app.after_request(_security_headers)
    return app


class Id64Converter(IntegerConverter):
    """``<int:…>`` limited to what a BIGINT id holds (0 … 2**63 - 1)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def _instance_secret(app: Flask) -> str:
    """A secret kept in the instance folder, so that sessions survive a restart of the demo."""
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        # created readable by its owner only (0600), whatever the umask
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(secrets.token_hex(32))
    with open(path, encoding="utf-8") as fh:
        return fh.read().strip()


def _remember_language() -> None:
    """``?lang=en`` on any URL is the reader's choice from then on: kept in the session, so that the
    next htmx request, a redirect or the print view answer in it too."""
    chosen = request.args.get("lang")
    if chosen:
        try:
            code = normalize_locale(chosen)
        except ValueError:
            return
        session["lang"] = "en" if code.startswith("en") else "zh_CN"


def _select_locale() -> str:
    chosen = request.args.get("lang") or session.get("lang")
    try:
        return normalize_locale(chosen) if chosen else "zh_CN"
    except ValueError:
        return "zh_CN"


def _security_headers(response):
    from flask import current_app

    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    )
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def db_session() -> Session:
    """The request's session (created on first use, closed at the end of the request).

    On SQLite the write lock is taken at the request's first write, not before (``core.db``):
    reading, validating, hashing a password and parsing a spreadsheet hold no lock, so one slow
    request does not stop the others.
    """
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION]["sessions"]()
    return g.db_session


def jurisdictions() -> Jurisdictions:
    from flask import current_app

    return current_app.extensions[EXTENSION]["jurisdictions"]


def today() -> dt.date:
    """The application's today (tests may pin it with MINGSHI_TODAY)."""
    from flask import current_app

    pinned = current_app.config.get("MINGSHI_TODAY")
    return pinned if isinstance(pinned, dt.date) else dt.date.today()


def _close_session(_exc: BaseException | None) -> None:
    db = g.pop("db_session", None)
    if db is not None:
        db.close()
