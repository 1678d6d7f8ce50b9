"""Alembic behind ``mingshi db upgrade`` (Flask-Migrate needs Flask-SQLAlchemy, which we do not use).

The migration environment is ``core/migrations``; it runs with ``render_as_batch`` on SQLite
so that later migrations can alter tables there too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from mingshi.core.config import app_role_for
from mingshi.core.db import make_engine
from mingshi.core.roles import grant_app_role

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class ForeignKeyViolations(RuntimeError):
    """A SQLite migration left rows whose references do not resolve; it was rolled back."""


@contextmanager
def migration_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration.

    SQLite: the write lock from its start, and foreign keys OFF for its duration — the documented
    way to rebuild a table (Alembic's batch mode): with them on, dropping the old table would run
    its ``ON DELETE CASCADE`` actions and delete the rows that reference it. ``PRAGMA
    foreign_key_check`` runs before the commit instead, and any violation rolls it all back.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, where it takes effect
            connection.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ForeignKeyViolations(f"the migration would leave broken references: {broken[:10]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(url: str, revision: str = "head", engine: Engine | None = None, app_role: str | None = None) -> None:
    """Apply the migrations up to ``revision`` on the database at ``url``.

    On PostgreSQL, then (in the same transaction) create and grant the application role
    (``app_role``, default: the setting ``MINGSHI_APP_ROLE`` or ``<dbname>_app``; :mod:`mingshi.core.roles`).
    """
    config = alembic_config(url)
    owned = engine is None
    engine = engine or make_engine(url)
    try:
        with migration_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if connection.dialect.name == "postgresql":
                grant_app_role(connection, app_role or app_role_for(url))
    finally:
        if owned:
            engine.dispose()


def downgrade(url: str, revision: str) -> None:
    config = alembic_config(url)
    engine = make_engine(url)
    try:
        with migration_transaction(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The revision the migrations end at."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
