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

from mingshi.core.db import Base, make_engine, make_session_factory
from mingshi.core.migrate import upgrade

PG_URL = os.environ.get("MINGSHI_TEST_DATABASE_URL")


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
