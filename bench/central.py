"""The central comparison and each of its exports, timed through the application, with statements.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mingshi_h_central_1000 \
        python bench/central.py [--repeat 5] [--year 2025]

Signs in as a central user (created if missing: ``bench-central``), connects as the database's
application role (as a deployment does: row-level security applies) and requests ``/central/`` and
every export (CSV, and the funds table as XLSX) ``--repeat`` times; prints the median wall time and
the number of statements of each. Nothing is asserted: a report (``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import time

from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.synth import SYNTH_TODAY
from mingshi.web import create_app

USER, PASSWORD = "bench-central", "bench-central-pw"
TABLES = [
    "scales",
    "studios",
    "kinds",
    "members",
    "activities",
    "outputs",
    "grades",
    "quotas",
    "funds",
    "removals",
    "trend",
]


def app_url(owner_url: str) -> str:
    """The application role's URL (``<db>_app``, given LOGIN: trust auth on loopback)."""
    url = make_url(owner_url)
    if not url.drivername.startswith("postgresql"):
        return owner_url
    role = f"{url.database}_app"
    engine = make_engine(owner_url)
    with engine.begin() as conn:
        conn.execute(text(f'ALTER ROLE "{role}" LOGIN'))
    engine.dispose()
    return url.set(username=role, password=None).render_as_string(hide_password=False)


def ensure_user(owner_url: str) -> None:
    engine = make_engine(owner_url)
    factory = make_session_factory(engine)
    with factory() as session:
        if session.scalar(select(m.User.id).where(m.User.username == USER)) is None:
            user = m.User(username=USER, display_name=USER, password_hash=generate_password_hash(PASSWORD))
            user.roles = [m.UserRole(role="central")]
            session.add(user)
            session.commit()
    engine.dispose()


def sign_in(app, username: str, password: str):
    """A test client of ``app`` signed in as ``username``."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert answer.status_code == 302, (username, answer.status_code)
    return client


def timed(client, path: str, repeat: int, count: list[int]) -> tuple[list[float], int, int]:
    """``path`` requested ``repeat`` times: each time, the statements of the last (``count[0]``, which an
    engine listener raises) and its bytes."""
    times = []
    for _ in range(repeat):
        count[0] = 0
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return times, count[0], len(response.get_data())


def main() -> None:
    logging.getLogger("mingshi.request").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    owner = os.environ["DATABASE_URL"]
    ensure_user(owner)
    app = create_app({"DATABASE_URL": app_url(owner), "SECRET_KEY": "bench", "MINGSHI_TODAY": SYNTH_TODAY})
    engine = app.extensions["mingshi"]["engine"]
    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    client = sign_in(app, USER, PASSWORD)
    paths = [f"/central/?year={args.year}"]
    paths += [f"/central/export/{t}.csv?year={args.year}" for t in TABLES]
    paths += [f"/central/export/funds.xlsx?year={args.year}"]
    print("| path | median s | min s | statements | bytes |")
    print("| --- | --- | --- | --- | --- |")
    for path in paths:
        times, statements, body = timed(client, path, args.repeat, count)
        print(f"| `{path}` | {statistics.median(times):.3f} | {min(times):.3f} | {statements} | {body:,} |", flush=True)


if __name__ == "__main__":
    main()
