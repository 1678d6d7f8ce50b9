"""What a deployment relies on: health endpoints, one log line per request, the client's address
behind a proxy, the secret key and the database rights the application insists on."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import text

from mingshi.core.config import ConfigError
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.migrate import head_revision
from mingshi.core.roles import PrivilegedConnection
from mingshi.core.services import signin
from mingshi.web import create_app
from mingshi.web.requestlog import REQUEST_LOGGER, JsonFormatter
from tests.conftest import PG_URL, postgres_only, served_url
from tests.web.conftest import TODAY, Browser


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def request_lines():
    handler = Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def _app(url: str, jurisdictions, **config):
    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "JURISDICTIONS": jurisdictions, "SECRET_KEY": "test", **config}
    )


def test_healthz_answers_without_sign_in_or_cookie(visitor) -> None:
    response = visitor.client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_green_at_the_head(visitor) -> None:
    response = visitor.client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {"status": "ready", "revision": head_revision()}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_red_without_a_schema(tmp_path, jurisdictions) -> None:
    app = _app(f"sqlite:///{tmp_path / 'empty.db'}", jurisdictions)
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503 and response.json["status"] == "unavailable"
    finally:
        app.extensions["mingshi"]["engine"].dispose()


@pytest.mark.skipif(bool(PG_URL), reason="an old revision is set on SQLite only (PostgreSQL's database is shared)")
def test_readyz_is_red_behind_the_head(demo_url, jurisdictions) -> None:
    app = _app(demo_url, jurisdictions)
    try:
        with app.extensions["mingshi"]["engine"].begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["revision"] == "0003" and "mingshi db upgrade" in response.json["reason"]
    finally:
        app.extensions["mingshi"]["engine"].dispose()


def test_one_log_line_per_request_without_password_or_body(app, request_lines) -> None:
    browser = Browser(app)
    browser.login("shenyang-admin")
    request_lines.clear()
    response = browser.client.get("/shenyang/studios?q=secret-search", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "abc-123"
    browser.client.post("/login", data={"username": "wenzhou-admin", "password": "hunter2-wrong"})
    assert len(request_lines) == 2
    first, second = request_lines
    assert first["request_id"] == "abc-123" and first["method"] == "GET" and first["path"] == "/shenyang/studios"
    assert first["status"] == 200 and first["duration_ms"] >= 0 and isinstance(first["user_id"], int)
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first["time"])
    assert (
        second["method"] == "POST" and second["path"] == "/login" and re.match(r"^[0-9a-f]{32}$", second["request_id"])
    )
    written = json.dumps(request_lines)
    for secret in ("hunter2", DEMO_PASSWORD, "secret-search", "wenzhou-admin"):
        assert secret not in written


def test_an_unsafe_request_id_is_replaced(app) -> None:
    response = app.test_client().get("/healthz", headers={"X-Request-ID": "a b forged=1 " + "x" * 80})
    assert re.match(r"^[0-9a-f]{32}$", response.headers["X-Request-ID"])


def _fail_signins_from(app, address: str | None, **environ) -> None:
    browser = Browser(app)
    headers = {"X-Forwarded-For": address} if address else {}
    for _ in range(signin.MAX_FAILURES):
        browser._refresh_token(browser.client.get("/login").get_data(as_text=True))
        response = browser.client.post(
            "/login",
            data={"username": "shenyang-admin", "password": "guess", "csrf_token": browser.token},
            headers=headers,
            environ_base={"REMOTE_ADDR": "10.0.0.1", **environ},
        )
        assert response.status_code == 401


def _sign_in_from(app, address: str) -> int:
    browser = Browser(app)
    browser._refresh_token(browser.client.get("/login").get_data(as_text=True))
    return browser.client.post(
        "/login",
        data={"username": "shenyang-admin", "password": DEMO_PASSWORD, "csrf_token": browser.token},
        headers={"X-Forwarded-For": address},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the reverse proxy
    ).status_code


def test_behind_a_trusted_proxy_the_limit_sees_each_client(demo_url, jurisdictions, request_lines) -> None:
    app = _app(served_url(demo_url), jurisdictions, TRUSTED_PROXIES=1, MINGSHI_TODAY=TODAY)
    try:
        _fail_signins_from(app, "203.0.113.7")
        assert {line["remote_addr"] for line in request_lines if line["method"] == "POST"} == {"203.0.113.7"}
        assert _sign_in_from(app, "203.0.113.7") == 429
        # another client behind the same proxy is not locked out by the first one's failures
        assert _sign_in_from(app, "198.51.100.20") == 302
    finally:
        app.extensions["mingshi"]["engine"].dispose()


def test_without_a_trusted_proxy_the_header_is_ignored(demo_url, jurisdictions) -> None:
    app = _app(served_url(demo_url), jurisdictions, TRUSTED_PROXIES=0, MINGSHI_TODAY=TODAY)
    try:
        _fail_signins_from(app, "203.0.113.7")
        # a forged X-Forwarded-For does not get around the limit: everyone is the proxy's address
        assert _sign_in_from(app, "198.51.100.20") == 429
    finally:
        app.extensions["mingshi"]["engine"].dispose()


def test_no_secret_key_no_start(tmp_path, jurisdictions, monkeypatch) -> None:
    monkeypatch.delenv("MINGSHI_SECRET_KEY", raising=False)
    monkeypatch.setenv("MINGSHI_INSTANCE", str(tmp_path))
    with pytest.raises(ConfigError, match=r"MINGSHI_SECRET_KEY.*secrets\.token_hex"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "JURISDICTIONS": jurisdictions})
    # the demo keeps a key of its own in the instance folder
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "JURISDICTIONS": jurisdictions, "MINGSHI_DEMO": True}
    )
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    app.extensions["mingshi"]["engine"].dispose()


@postgres_only
def test_the_application_refuses_a_superuser(database_url, jurisdictions) -> None:
    with pytest.raises(PrivilegedConnection, match=r"superuser.*MINGSHI_ALLOW_PRIVILEGED_DATABASE=1"):
        create_app({"TESTING": True, "DATABASE_URL": database_url, "JURISDICTIONS": jurisdictions})
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "JURISDICTIONS": jurisdictions,
            "ALLOW_PRIVILEGED_DATABASE": True,
        }
    )
    app.extensions["mingshi"]["engine"].dispose()


@postgres_only
def test_the_application_refuses_a_bypassrls_role(database_url, jurisdictions) -> None:
    from sqlalchemy.engine import make_url

    from mingshi.core.db import make_engine

    role = f"{make_url(database_url).database}_bypass"
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN BYPASSRLS'))
    try:
        url = make_url(database_url).set(username=role).render_as_string(hide_password=False)
        with pytest.raises(PrivilegedConnection, match=r"BYPASSRLS"):
            create_app({"TESTING": True, "DATABASE_URL": url, "JURISDICTIONS": jurisdictions})
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()
