"""Error pages that never show a traceback; htmx requests get a message they can swap."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from mingshi.core.services.access import Forbidden
from mingshi.core.tenancy import ReferenceNotFound


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if request.headers.get("HX-Request") == "true":
            response = make_response("", 400)
            response.headers["HX-Refresh"] = "true"
            return response
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(Forbidden)
    def forbidden(exc: Forbidden):
        return render_template("errors/error.html", code=403, reason="forbidden"), 403

    @app.errorhandler(ReferenceNotFound)
    def not_found(exc: ReferenceNotFound):
        # another tenant's id and an id that does not exist answer alike: no existence oracle
        return render_template("errors/error.html", code=404, reason=None), 404

    @app.errorhandler(OperationalError)
    def busy(exc: OperationalError):
        # SQLite's write lock not obtained within the busy timeout: say so, nothing was written
        if "database is locked" not in str(exc.orig) and "database is busy" not in str(exc.orig):
            return unexpected(exc)
        app.logger.warning("write lock timeout on %s %s", request.method, request.path)
        response = make_response(render_template("errors/error.html", code=503, reason="busy"), 503)
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        return render_template("errors/error.html", code=code, reason=None), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if app.testing:
            raise exc
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_template("errors/error.html", code=500, reason=None), 500
