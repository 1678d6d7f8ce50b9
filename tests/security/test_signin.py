"""Sign-in hardening: scrypt hashes, limited failed attempts, cookie flags, security headers, revoking sign-out."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from mingshi.core import models as m
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.services import signin
from tests.web.conftest import Browser

# the demo application's fixtures (imported under other names: pytest registers them as app, visitor …)
from tests.web.conftest import app as _app  # noqa: F401
from tests.web.conftest import demo_template as _demo_template  # noqa: F401
from tests.web.conftest import demo_url as _demo_url  # noqa: F401
from tests.web.conftest import jurisdictions as _jurisdictions  # noqa: F401
from tests.web.conftest import visitor as _visitor  # noqa: F401


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _sessions(app):
    return app.extensions["mingshi"]["sessions"]


def test_passwords_are_hashed_with_scrypt(app) -> None:
    with _sessions(app)() as session:
        hashes = list(session.scalars(select(m.User.password_hash)))
    assert hashes and all(h.startswith("scrypt:") for h in hashes)


def test_an_old_hash_is_replaced_at_the_next_sign_in(app, visitor) -> None:
    with _sessions(app)() as session:
        user = session.scalar(select(m.User).where(m.User.username == "wushen-admin"))
        user.password_hash = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256")
        session.commit()
    assert visitor.login("wushen-admin").status_code == 302
    with _sessions(app)() as session:
        assert session.scalar(select(m.User.password_hash).where(m.User.username == "wushen-admin")).startswith(
            "scrypt:"
        )


def test_failed_attempts_lock_the_name_from_that_address(app) -> None:
    attacker = Browser(app)
    for _ in range(signin.MAX_FAILURES):
        assert attacker.login("shenyang-admin", "guess").status_code == 401
    locked = attacker.login("shenyang-admin", "guess")
    assert locked.status_code == 429 and "失败次数过多" in _text(locked)
    # even the right password is refused while locked: guessing it gains nothing
    right = attacker.login("shenyang-admin", DEMO_PASSWORD)
    assert right.status_code == 429
    assert attacker.client.get("/shenyang/").status_code == 302
    # the same name from another address still signs in
    office = Browser(app)
    response = office.client.post(
        "/login",
        data={"username": "shenyang-admin", "password": DEMO_PASSWORD, "csrf_token": _token(office)},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 302
    # the failures are in the tenant's audit log, with the address
    with _sessions(app)() as session:
        failures = list(
            session.scalars(
                select(m.AuditEntry).where(
                    m.AuditEntry.action == "sign_in_failed", m.AuditEntry.user_name == "shenyang-admin"
                )
            )
        )
        tenant = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "shenyang"))
    assert len(failures) == signin.MAX_FAILURES  # a locked attempt is not counted again
    assert {f.after["ip"] for f in failures} == {"127.0.0.1"} and {f.tenant_id for f in failures} == {tenant}


def _token(browser: Browser) -> str:
    html = browser.client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_lock_ends_after_the_window_and_a_success_resets_the_count(app) -> None:
    now = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    with _sessions(app)() as session:
        for minute in range(signin.MAX_FAILURES):
            signin.sign_in(session, "wenzhou-host", "guess", "10.0.0.9", now=now + dt.timedelta(minutes=minute))
        session.commit()
        late = now + dt.timedelta(minutes=signin.MAX_FAILURES)
        assert signin.is_locked(session, "wenzhou-host", "10.0.0.9", now=late)
        assert not signin.is_locked(session, "wenzhou-host", "10.0.0.10", now=late)
        assert signin.sign_in(session, "wenzhou-host", DEMO_PASSWORD, "10.0.0.9", now=late).locked
        after_window = now + signin.WINDOW + dt.timedelta(minutes=signin.MAX_FAILURES)
        assert not signin.is_locked(session, "wenzhou-host", "10.0.0.9", now=after_window)
        ok = signin.sign_in(session, "wenzhou-host", DEMO_PASSWORD, "10.0.0.9", now=after_window)
        assert ok.user is not None and ok.user.username == "wenzhou-host"
        session.commit()
        # after a success, earlier failures no longer count
        for minute in range(signin.MAX_FAILURES - 1):
            signin.sign_in(
                session, "wenzhou-host", "guess", "10.0.0.9", now=after_window + dt.timedelta(minutes=1 + minute)
            )
        session.commit()
        assert not signin.is_locked(session, "wenzhou-host", "10.0.0.9", now=after_window + dt.timedelta(minutes=5))


def test_guessing_from_many_addresses_locks_the_name(app) -> None:
    now = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    with _sessions(app)() as session:
        for i in range(signin.MAX_FAILURES_PER_NAME):
            signin.sign_in(session, "wushen-member", "guess", f"10.9.{i // 200}.{i % 200}", now=now)
        session.commit()
        assert signin.is_locked(session, "wushen-member", "192.168.1.1", now=now + dt.timedelta(seconds=1))


def test_unknown_names_and_huge_passwords_are_plain_failures(app, visitor) -> None:
    assert visitor.login("nobody-at-all", "x").status_code == 401
    assert visitor.login("shenyang-admin", "x" * 100_000).status_code == 401
    assert visitor.login("x" * 5000, "x").status_code == 401
    with _sessions(app)() as session:
        unknown = session.scalar(
            select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.user_name == "nobody-at-all")
        )
        assert unknown == 1


def test_the_session_cookie_is_http_only_and_same_site(app, visitor) -> None:
    visitor.client.get("/login")
    response = visitor.client.post(
        "/login", data={"username": "shenyang-admin", "password": DEMO_PASSWORD, "csrf_token": _token(visitor)}
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_and_hsts_when_configured(app) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    browser = Browser(app)
    response = browser.client.post(
        "/login", data={"username": "shenyang-admin", "password": DEMO_PASSWORD, "csrf_token": _token(browser)}
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_security_headers_on_every_kind_of_page(app, visitor) -> None:
    visitor.login("shenyang-admin")
    for path, code in (("/login", 200), ("/shenyang/", 200), ("/shenyang/nothing-here", 404)):
        response = visitor.get(path)
        assert response.status_code == code, path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS
    # no inline script anywhere: the CSP would block it
    assert "<script>" not in visitor.get("/shenyang/").get_data(as_text=True)


def test_sign_out_revokes_every_copy_of_the_session(app, visitor) -> None:
    visitor.login("shenyang-admin")
    cookie = visitor.client.get_cookie("session").value
    assert visitor.client.get("/shenyang/").status_code == 200
    assert visitor.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/shenyang/").status_code == 302
    assert thief.get("/shenyang/", headers={"HX-Request": "true"}).status_code == 401
