"""One log line per request: time, request id, method, path, status, duration, user id — as text or JSON.

Never the query string, a form body or a password: the path only. The request id is the client's
``X-Request-ID`` when it is a plain token (nginx's ``$request_id``), else a new one; it is sent back
in the response's ``X-Request-ID``. The format and level are the settings ``MINGSHI_LOG_FORMAT`` and
``MINGSHI_LOG_LEVEL``; the lines go to stderr (gunicorn and systemd collect them).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, g, request
from flask import logging as flask_logging

from mingshi.core.config import Config

LOGGER = "mingshi"
REQUEST_LOGGER = "mingshi.request"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: the fields of a request line, in the order the text format writes them
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "remote_addr")


def _utc(record: logging.LogRecord) -> str:
    moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": _utc(record), "level": record.levelname, "logger": record.name}
        fields = getattr(record, "request", None)
        if fields:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "request", None)
        if fields:
            body = " ".join(f"{name}={fields[name]}" for name in FIELDS if fields.get(name) is not None)
        else:
            body = record.getMessage()
        text = f"{_utc(record)} {record.levelname} {record.name} {body}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class _Handler(logging.StreamHandler):
    """mingshi's own handler (recognised so that a second application replaces it instead of adding one)."""


def configure_logging(settings: Config) -> None:
    logger = logging.getLogger(LOGGER)
    handler = next((h for h in logger.handlers if isinstance(h, _Handler)), None)
    if handler is None:
        handler = _Handler(sys.stderr)
        logger.addHandler(handler)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    logger.setLevel(settings.log_level)
    logger.propagate = False


def init_app(app: Flask, settings: Config) -> None:
    configure_logging(settings)
    # Flask's logger is "mingshi.web.app", a child of "mingshi": it writes through the same handler
    app.logger.removeHandler(flask_logging.default_handler)
    app.before_request(_start)
    app.after_request(_log)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _user_id() -> int | None:
    # the user Flask-Login loaded for this request, if any (no query of its own)
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def _log(response):
    started = g.get("request_started")
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    fields = {
        "request_id": request_id,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": _user_id(),
        "remote_addr": request.remote_addr,
    }
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s", request.method, request.path, response.status_code, extra={"request": fields}
    )
    return response
