"""A web application over a database holding the demo data of the four cities."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import template_rendered
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.demo import DEMO_PASSWORD, load_demo
from mingshi.core.plugins import Jurisdictions
from mingshi.core.storage import LocalStorage
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app
from tests.conftest import PG_URL, PgSnapshot, served_url, truncate_all

#: the demo's data runs up to 2026-11-20; the tests pin "today" there
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="session")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


@pytest.fixture(scope="session")
def demo_template(database_template: str, jurisdictions, demo_files: Path) -> str | PgSnapshot:
    """The demo loaded once per session: a SQLite file each test copies, or on PostgreSQL a snapshot
    of every table each test copies back in (loading the demo takes seconds; restoring, a tenth)."""
    if PG_URL:
        load_demo(database_template, jurisdictions, LocalStorage(demo_files))
        snapshot = PgSnapshot.take(database_template)
        truncate_all(database_template)
        return snapshot
    path = demo_files.parent / f"{demo_files.name}.db"
    shutil.copyfile(database_template, path)
    load_demo(f"sqlite:///{path}", jurisdictions, LocalStorage(demo_files))
    return str(path)


@pytest.fixture
def demo_url(demo_template, database_url: str, jurisdictions, tmp_path: Path) -> str:
    if PG_URL:
        demo_template.restore(database_url)
        return database_url
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(demo_url: str, jurisdictions, demo_files: Path, tmp_path: Path) -> Iterator:
    shutil.copytree(demo_files, tmp_path / "files")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": served_url(demo_url),
            "STORAGE_URL": str(tmp_path / "files"),
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "test",
            "MINGSHI_TODAY": TODAY,
        }
    )
    yield app
    app.extensions["mingshi"]["engine"].dispose()


@pytest.fixture
def rendered(app) -> Iterator[list[str]]:
    """The names of the templates rendered during the test, in order."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


class Browser:
    """A test client that signs in and carries the CSRF token like the pages do."""

    def __init__(self, app) -> None:
        self.app = app
        self.client = app.test_client()
        self.token = ""

    def _refresh_token(self, html: str) -> None:
        found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
        if found:
            self.token = found.group(1)

    def login(self, username: str, password: str = DEMO_PASSWORD):
        self._refresh_token(self.client.get("/login").get_data(as_text=True))
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": self.token}
        )
        # signing in starts a new session, and with it a new CSRF token
        self._refresh_token(self.client.get("/", follow_redirects=True).get_data(as_text=True))
        return response

    def get(self, path: str, htmx: bool = False, **kwargs):
        headers = {"HX-Request": "true"} if htmx else {}
        response = self.client.get(path, headers=headers, **kwargs)
        if response.mimetype.startswith("text/"):
            self._refresh_token(response.get_data(as_text=True))
        return response

    def post(self, path: str, data: dict | None = None, htmx: bool = False, **kwargs):
        if not self.token:
            self.get("/login")
        headers = {"X-CSRFToken": self.token}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(path, data=data or {}, headers=headers, **kwargs)


@pytest.fixture
def visitor(app) -> Browser:
    return Browser(app)


def studio_of(app, tenant_code: str, username: str | None = None) -> m.Studio:
    """The first studio of a tenant, or the studio a demo host/member belongs to."""
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant_code))
        bind_tenant(session, tenant.id)
        if username is None:
            return session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
        user = session.scalar(select(m.User).where(m.User.username == username))
        membership = session.scalars(select(m.Membership).where(m.Membership.person_id == user.person_id)).first()
        return session.get(m.Studio, membership.studio_id)


def other_studio_of(app, tenant_code: str, not_id: int) -> m.Studio:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant_code))
        bind_tenant(session, tenant.id)
        return session.scalars(select(m.Studio).where(m.Studio.id != not_id).order_by(m.Studio.id)).first()
