"""Load on gunicorn over loopback with wrk: pages beside a bare-Flask floor in the same run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mingshi_h_central_1000 \\
        python bench/load.py [--duration 10] [--connections 20] [--max-requests 20000] [--workers 2]

Starts gunicorn (gthread, ``--workers`` × ``--threads``) on 127.0.0.1 only, serving the application
as the database's application role plus ``/_bench/floor`` (one ``SELECT 1``: ``bench/load_wsgi.py``);
signs in (the synthetic tenant administrator, and a central user created if missing) and drives each
page with ``wrk`` (Debian's package) for at most ``--duration`` seconds and ``--max-requests``
requests, the floor immediately before each page. Prints requests per second, p50/p95 latency
and each page's ratio to its floor. Every request goes to 127.0.0.1; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.synth import SYNTH_TODAY
from mingshi.core.tenancy import bind_tenant

HERE = Path(__file__).resolve().parent
CENTRAL_USER, CENTRAL_PASSWORD = "bench-central", "bench-central-pw"


def app_url(owner_url: str) -> str:
    url = make_url(owner_url)
    if not url.drivername.startswith("postgresql"):
        return owner_url
    role = f"{url.database}_app"
    engine = make_engine(owner_url)
    with engine.begin() as conn:
        conn.execute(text(f'ALTER ROLE "{role}" LOGIN'))
    engine.dispose()
    return url.set(username=role, password=None).render_as_string(hide_password=False)


def prepare(owner_url: str, tenant: str) -> int:
    """The central user (created if missing) and the tenant's first active studio."""
    engine = make_engine(owner_url)
    factory = make_session_factory(engine)
    with factory() as session:
        if session.scalar(select(m.User.id).where(m.User.username == CENTRAL_USER)) is None:
            user = m.User(
                username=CENTRAL_USER, display_name=CENTRAL_USER, password_hash=generate_password_hash(CENTRAL_PASSWORD)
            )
            user.roles = [m.UserRole(role="central")]
            session.add(user)
            session.commit()
        tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant))
    with factory() as session:
        bind_tenant(session, tenant_id)
        studio = session.scalar(select(m.Studio.id).where(m.Studio.status == "active").order_by(m.Studio.id).limit(1))
    engine.dispose()
    return studio


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(url: str, cookies: dict[str, str], data: bytes | None = None) -> tuple[int, str]:
    """One request with ``cookies``, updating them from ``Set-Cookie`` (kept by hand: the
    application's cookies are ``Secure``, which a cookie jar does not send over plain http)."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        response = urllib.request.build_opener(_NoRedirect).open(request)
    except urllib.error.HTTPError as exc:
        response = exc
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, response.read().decode(errors="replace")


def sign_in(base: str, username: str, password: str) -> str:
    """The ``Cookie`` header of a signed-in session."""
    cookies: dict[str, str] = {}
    _status, page = _open(f"{base}/login", cookies)
    token = html.unescape(re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))
    data = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token}).encode()
    status, _page = _open(f"{base}/login", cookies, data)
    if status != 302:
        sys.exit(f"signing in as {username} answered {status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def status_of(url: str, cookie: str) -> int:
    cookies = dict(part.split("=", 1) for part in cookie.split("; "))
    return _open(url, cookies)[0]


def wrk(url: str, cookie: str, args: argparse.Namespace) -> dict:
    env = {**os.environ, "WRK_MAX_REQUESTS": str(max(1, args.max_requests // args.wrk_threads))}
    command = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(HERE / "wrk_report.lua"),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, env=env, timeout=args.duration + 60, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    found["rps"] = found["requests"] / (found["duration_us"] / 1e6)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenant", default="shenyang")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (at most)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="requests per measurement (at most)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=18765)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    owner = os.environ["DATABASE_URL"]
    studio = prepare(owner, args.tenant)
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": app_url(owner),
        "BENCH_SECRET_KEY": secrets.token_hex(16),
        "BENCH_TODAY": SYNTH_TODAY.isoformat(),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(HERE),
            "-k",
            "gthread",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            f"--bind=127.0.0.1:{args.port}",
            "--log-level=warning",
            "--timeout=120",
            "load_wsgi:app",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/_bench/floor", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.5)
        admin = sign_in(base, f"{args.tenant}-admin", DEMO_PASSWORD)
        staff = sign_in(base, CENTRAL_USER, CENTRAL_PASSWORD)
        pages = [
            # /<t>/studios/<id> redirects to the studio's first tab, its members: the page itself
            ("studio page", f"/{args.tenant}/studios/{studio}/members", admin),
            ("studio list", f"/{args.tenant}/studios", admin),
            ("dashboard", f"/{args.tenant}/", admin),
            ("central comparison", "/central/?year=2025", staff),
        ]
        print("| page | rps | p50 ms | p95 ms | floor rps | floor p95 ms | page / floor rps | requests |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, path, cookie in pages:
            code = status_of(base + path, cookie)
            if code != 200:
                sys.exit(f"{path} answers {code}, not 200")
            floor = wrk(f"{base}/_bench/floor", cookie, args)
            page = wrk(base + path, cookie, args)
            if page["bad_status"] or page["socket_errors"]:
                print(f"  ({name}: {page['bad_status']} bad answers, {page['socket_errors']} socket errors)")
            print(
                f"| {name} `{path}` | {page['rps']:.1f} | {page['p50_us'] / 1000:.0f} | {page['p95_us'] / 1000:.0f} "
                f"| {floor['rps']:.0f} | {floor['p95_us'] / 1000:.1f} | {100 * page['rps'] / floor['rps']:.1f} % "
                f"| {page['requests']} |",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
