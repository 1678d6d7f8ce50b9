"""``/healthz`` (the process answers) and ``/readyz`` (the database answers, its schema is at the head).

For a load balancer or an orchestrator: no sign-in, no tenant data, no session cookie; the answer is
a small JSON object, 200 or 503.
"""

from __future__ import annotations

from functools import cache

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)


@cache
def _head() -> str | None:
    from mingshi.core.migrate import head_revision

    return head_revision()


def _answer(code: int, **body: object):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _answer(200, status="ok")


@bp.get("/readyz")
def readyz():
    engine = current_app.extensions["mingshi"]["engine"]
    try:
        with engine.connect() as connection:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as exc:  # the answer says why; the log has the rest
        current_app.logger.warning("readyz: the database does not answer: %s", type(exc).__name__)
        return _answer(503, status="unavailable", reason="the database does not answer or has no schema")
    head = _head()
    if revision != head:
        return _answer(
            503,
            status="unavailable",
            reason="the schema is not at the migrations' head: run mingshi db upgrade",
            revision=revision,
            head=head,
        )
    return _answer(200, status="ready", revision=revision)
