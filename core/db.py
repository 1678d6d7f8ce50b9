"""Engine, session factory and the declarative base.

SQLite is the embedded default (``instance/mingshi.db``, see :mod:`mingshi.core.config`); ``DATABASE_URL`` set to a
``postgresql+psycopg://`` URL switches to PostgreSQL with no other change.

Every SQLite connection gets foreign keys, WAL and a busy timeout. pysqlite's own
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself (the recipe of
SQLAlchemy's SQLite dialect documentation), so that a unit of work that writes can ask for
``BEGIN IMMEDIATE`` (see :func:`write_session`) and concurrent writers queue on the busy
timeout instead of failing with ``SQLITE_BUSY`` halfway through.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, Engine, Integer, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool

#: Names for constraints and indexes, so that Alembic (batch mode on SQLite) can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Primary and foreign keys: 64-bit on PostgreSQL (millions of activities, hundreds of
#: millions of attendance rows at national scale), SQLite's INTEGER (already 64-bit, and the
#: only type that is an alias of its rowid).
BigId = BigInteger().with_variant(Integer(), "sqlite")

SQLITE_BUSY_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def default_database_url() -> str:
    """The database of every command and of the web application (one rule, :mod:`mingshi.core.config`):

    ``DATABASE_URL``, else ``mingshi.db`` in the instance folder (created if missing).
    """
    from mingshi.core import config

    settings = config.load()
    if not os.environ.get("DATABASE_URL", "").strip():
        settings.instance_path.mkdir(parents=True, exist_ok=True)
    return settings.database_url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode not in {"DEFERRED", "IMMEDIATE"}:
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url`` (default: :func:`default_database_url`)."""
    url = url or default_database_url()
    if url.startswith("sqlite"):
        if url in {"sqlite://", "sqlite:///:memory:"}:
            # one connection shared by the whole process: an in-memory database lives in it
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Import here: tenancy registers its session events on the class it defines.
    from mingshi.core.tenancy import TenantSession

    return sessionmaker(bind=engine, class_=TenantSession, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session], tenant_id: int | None) -> Iterator[Session]:
    """A session for a unit of work that writes: ``BEGIN IMMEDIATE`` on SQLite, commit or roll back."""
    from mingshi.core.tenancy import bind_tenant

    session = factory()
    try:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        if tenant_id is not None:
            bind_tenant(session, tenant_id)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
