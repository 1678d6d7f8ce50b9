"""The migrations build, from an empty database, exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from mingshi.core.db import Base, make_engine
from mingshi.core.migrate import current_revision, downgrade, upgrade
from tests.conftest import PG_URL, reset_postgres


def _empty_database(tmp_path) -> str:
    if PG_URL:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'empty.db'}"


def test_upgrade_from_empty_matches_the_models(tmp_path) -> None:
    url = _empty_database(tmp_path)
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) is not None
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert diffs == []
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_empty_and_back(tmp_path) -> None:
    url = _empty_database(tmp_path)
    upgrade(url)
    downgrade(url, "base")
    engine = make_engine(url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    assert current_revision(url) is not None
