"""Fixtures shared by every test.

The suite runs on SQLite by default and on PostgreSQL when ``MINGSHI_TEST_DATABASE_URL`` is
set (``.ci/run`` runs it both ways). The schema always comes from the Alembic migrations.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
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


def truncate_all(url: str) -> None:
    """Empty every table of the PostgreSQL database and restart its sequences."""
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@dataclass(frozen=True)
class PgSnapshot:
    """The rows of every table of a PostgreSQL database, taken with COPY and put back with COPY.

    Restoring runs as the superuser the tests connect with, with ``session_replication_role =
    replica`` so that neither the append-only triggers nor the foreign keys' order get in the way of
    putting back rows that were valid when taken; the sequences are then set past the largest id.
    """

    tables: tuple[tuple[str, bytes], ...]

    @classmethod
    def take(cls, url: str) -> PgSnapshot:
        engine = make_engine(url)
        tables = []
        try:
            with engine.connect() as conn:
                cursor = conn.connection.driver_connection.cursor()
                for table in Base.metadata.sorted_tables:
                    buffer = bytearray()
                    with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT binary)') as copy:
                        for chunk in copy:
                            buffer += chunk
                    tables.append((table.name, bytes(buffer)))
        finally:
            engine.dispose()
        return cls(tuple(tables))

    def restore(self, url: str) -> None:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                cursor = conn.connection.driver_connection.cursor()
                cursor.execute("SET LOCAL session_replication_role = replica")
                for name, data in self.tables:
                    with cursor.copy(f'COPY "{name}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(data)
                for table in Base.metadata.sorted_tables:
                    for column in table.primary_key.columns:
                        if column.autoincrement is True or (
                            column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                        ):
                            conn.execute(
                                text(
                                    "SELECT setval(pg_get_serial_sequence(:t, :c),"
                                    f' COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                                ).bindparams(t=f'"{table.name}"', c=column.name)
                            )
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's evidence files, written once per session (tests/web/conftest.py); each test's
    application gets a copy."""
    return tmp_path_factory.mktemp("demo-files")


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


#: whether the shared PostgreSQL test database may hold a previous test's rows
_pg_dirty = False


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test.

    On PostgreSQL every test shares one database, emptied after each test; should that fail (the
    error is the failing test's), the next test empties it first instead of failing on its rows."""
    global _pg_dirty
    if PG_URL:
        if _pg_dirty:
            truncate_all(PG_URL)
        _pg_dirty = True
        yield PG_URL
        truncate_all(PG_URL)
        _pg_dirty = False
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


@pytest.fixture(autouse=True)
def _no_kept_results() -> Iterator[None]:
    """Each test starts with none of this process's kept results (core/cache.py): a result kept by one
    test's database must not answer another's, whose rows may carry the same ids and revisions."""
    from mingshi.core import cache

    cache.results.clear()
    yield
    cache.results.clear()
