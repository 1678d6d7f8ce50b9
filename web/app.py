"""The application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, g
from flask_babel import Babel
from sqlalchemy.orm import Session

from core.db import default_database_url, make_engine, make_session_factory
from core.i18n import normalize_locale
from core.plugins import Jurisdictions

EXTENSION = "mingshi"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("MINGSHI_SECRET_KEY", "dev-only-change-me"),
        DATABASE_URL=None,
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_TRANSLATION_DIRECTORIES="translations",
    )
    if test_config:
        app.config.update(test_config)
    url = app.config["DATABASE_URL"] or default_database_url(app.instance_path)
    engine = make_engine(url)
    jurisdictions = app.config.get("JURISDICTIONS") or Jurisdictions.load()
    app.extensions[EXTENSION] = {
        "engine": engine,
        "sessions": make_session_factory(engine),
        "jurisdictions": jurisdictions,
    }
    Babel(app, locale_selector=_select_locale)

    from web.views import bp

    app.register_blueprint(bp)
    app.teardown_appcontext(_close_session)
    return app


def _select_locale() -> str:
    from flask import request, session

    chosen = request.args.get("lang") or session.get("lang")
    try:
        return normalize_locale(chosen) if chosen else "zh_CN"
    except ValueError:
        return "zh_CN"


def db_session() -> Session:
    """The request's session (created on first use, closed at the end of the request)."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION]["sessions"]()
    return g.db_session


def jurisdictions() -> Jurisdictions:
    from flask import current_app

    return current_app.extensions[EXTENSION]["jurisdictions"]


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
