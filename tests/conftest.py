"""Fixtures shared by every test.

The suite runs on SQLite by default and on PostgreSQL when ``MINGSHI_TEST_DATABASE_URL`` is
set (``.ci/run`` runs it both ways). The schema always comes from the Alembic migrations.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from mingshi.core.config import app_role_for
from mingshi.core.db import Base, make_engine, make_session_factory
from mingshi.core.migrate import upgrade

PG_URL = os.environ.get("MINGSHI_TEST_DATABASE_URL")
#: the test database's application role (``MINGSHI_APP_ROLE`` or ``<dbname>_app``), PostgreSQL only
APP_ROLE = app_role_for(PG_URL) if PG_URL else None


def app_role_url(owner_url: str) -> str:
    """The URL of the same database for the application role; gives the role LOGIN (trust auth).

    ``mingshi db upgrade`` (here :func:`upgrade` in :func:`database_template`) created it NOLOGIN; a
    deployment gives it a password instead (README, "Deploying").
    """
    engine = make_engine(owner_url)
    with engine.begin() as conn:
        if not conn.scalar(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}):
            conn.execute(text(f'ALTER ROLE "{APP_ROLE}" LOGIN'))
    engine.dispose()
    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


def served_url(url: str) -> str:
    """The URL the web application of a test connects with: on PostgreSQL the application role
    (the application refuses the owner or a superuser), on SQLite the file itself."""
    return app_role_url(url) if is_postgres(url) else url


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a template SQLite file, or the PostgreSQL test database."""
    if PG_URL:
        reset_postgres(PG_URL)
        upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test."""
    if PG_URL:
        yield PG_URL
        engine = make_engine(PG_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return
    path = tmp_path / "test.db"
    shutil.copyfile(database_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine):
    return make_session_factory(engine)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


postgres_only = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MINGSHI_TEST_DATABASE_URL)")
