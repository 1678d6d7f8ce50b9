"""Engine, session factory and the declarative base.

SQLite is the embedded default (``instance/mingshi.db``, see :mod:`mingshi.core.config`); ``DATABASE_URL`` set to a
``postgresql+psycopg://`` URL switches to PostgreSQL with no other change.

Every SQLite connection gets foreign keys, WAL and a busy timeout. pysqlite's own
transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself (the recipe of
SQLAlchemy's SQLite dialect documentation), so that a unit of work that writes can ask for
``BEGIN IMMEDIATE`` (see :func:`write_session`) and concurrent writers queue on the busy
timeout instead of failing with ``SQLITE_BUSY`` halfway through.

SQLite has one writer at a time, so the write lock is taken for the write phase only. A
transaction begins ``DEFERRED`` (reading, validating, hashing a password, parsing a
spreadsheet hold no lock); the first statement that writes (``INSERT``, ``UPDATE``, ``DELETE``,
``SAVEPOINT``, DDL) restarts it as ``BEGIN IMMEDIATE`` — nothing was written yet, so nothing is
lost; what was read before is read again where it matters (:func:`serialize`, the version
column of a studio, the unique keys). Waiting for the lock is bounded by the busy timeout; a
timeout is :class:`sqlite3.OperationalError` "database is locked", which the web answers with
"busy, try again" (503), never a 500. A check that guards a write (a balance, a quota) reads
under the lock: :func:`serialize` takes it first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Engine, Integer, MetaData, create_engine, event, text
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


def _create_private_sqlite_file(url: str) -> None:
    """Create a SQLite database file 0600 before SQLite does (with the umask's 0644); its WAL and
    shared-memory files take the database file's mode."""
    path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    if not Path(path).parent.is_dir():
        return  # SQLite says what is wrong
    with contextlib.suppress(FileExistsError):  # created meanwhile by another process: leave it
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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


_SQLITE_MODE = "mingshi_sqlite_begin"
#: statements that need SQLite's write lock (a savepoint too: restarting later would lose it)
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    if mode not in {"DEFERRED", "IMMEDIATE"}:
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    conn.info[_SQLITE_MODE] = None  # not begun until BEGIN succeeded
    conn.exec_driver_sql(f"BEGIN {mode}")
    conn.info[_SQLITE_MODE] = mode


def _sqlite_end(conn: Any) -> None:
    conn.info[_SQLITE_MODE] = None


def _sqlite_take_write_lock(conn: Any) -> None:
    """Restart the connection's deferred transaction, which has written nothing, as ``BEGIN IMMEDIATE``."""
    if conn.info.get(_SQLITE_MODE) != "DEFERRED":
        return
    raw = conn.connection.dbapi_connection
    if raw.in_transaction:
        raw.execute("ROLLBACK")
    conn.info[_SQLITE_MODE] = None
    raw.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for the other writer
    conn.info[_SQLITE_MODE] = "IMMEDIATE"


def _sqlite_before_cursor_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if conn.info.get(_SQLITE_MODE) == "DEFERRED" and _WRITES.match(statement):
        _sqlite_take_write_lock(conn)


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url`` (default: :func:`default_database_url`)."""
    url = url or default_database_url()
    if url.startswith("sqlite"):
        if url in {"sqlite://", "sqlite:///:memory:"}:
            # one connection shared by the whole process: an in-memory database lives in it
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        else:
            _create_private_sqlite_file(url)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        event.listen(engine, "before_cursor_execute", _sqlite_before_cursor_execute)
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


def _lock_key(parts: tuple[Any, ...]) -> int:
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def serialize(session: Session, *key: Any) -> None:
    """Serialise the rest of this transaction with every other one that serialises on ``key``.

    For a check that guards a write (a quota, a sign-in count): call it first, then read, check and
    write. PostgreSQL: a transaction-level advisory lock on a 64-bit hash of ``key`` (released at
    commit or rollback). SQLite: the database's write lock (one writer at a time serialises every
    key); a transaction that only read until now is restarted as ``BEGIN IMMEDIATE``, so what is read
    next is read under the lock.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_ADVISORY_LOCK, {"key": _lock_key(key)})
    elif connection.dialect.name == "sqlite":
        _sqlite_take_write_lock(connection)
