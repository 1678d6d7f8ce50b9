"""Migration 0005: every reference between tenant-owned rows carries the tenant, in the database.

On both engines: the composite keys exist (reflected from the migrated database), a cross-tenant
row written in raw SQL is refused, and an upgrade over a database that already holds one stops
and names it.
"""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from mingshi.core.db import make_engine
from mingshi.core.migrate import downgrade, upgrade

REFERENCES = importlib.import_module("core.migrations.versions.0005_tenant_keys").REFERENCES


def _raw(url: str):
    return make_engine(url)


def test_the_composite_keys_exist(world, database_url) -> None:
    engine = _raw(database_url)
    found = set()
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in {t for t, _, _, _ in REFERENCES}:
            for fk in inspector.get_foreign_keys(table):
                if fk["constrained_columns"][:1] == ["tenant_id"] and len(fk["constrained_columns"]) == 2:
                    assert fk["referred_columns"] == ["tenant_id", "id"]
                    found.add((table, fk["constrained_columns"][1], fk["referred_table"]))
    engine.dispose()
    assert found == {(t, c, r) for t, c, r, _ in REFERENCES}
    assert ("studios", "school_id", "schools") in found and ("expenses", "reverses_id", "expenses") in found


def test_raw_sql_cannot_write_a_cross_tenant_reference(world, database_url) -> None:
    """The red team's row: a studio of one tenant naming a school of another (finding 5)."""
    engine = _raw(database_url)
    with engine.connect() as conn:
        pairs = conn.execute(text("SELECT s.id, s.tenant_id FROM studios s ORDER BY s.id")).all()
        schools = dict(conn.execute(text("SELECT tenant_id, min(id) FROM schools GROUP BY tenant_id")).all())
    studio_id, tenant_id = pairs[0]
    foreign = next(school for tenant, school in schools.items() if tenant != tenant_id)
    own = schools[tenant_id]
    with engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(text("UPDATE studios SET school_id = :s WHERE id = :i"), {"s": foreign, "i": studio_id})
        conn.commit()
    with engine.begin() as conn:  # the tenant's own school is still fine
        conn.execute(text("UPDATE studios SET school_id = :s WHERE id = :i"), {"s": own, "i": studio_id})
    with engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text(
                "INSERT INTO findings (tenant_id, studio_id, type, date, recorded_at) "
                "VALUES (:t, :s, 'x', '2026-01-01', '2026-01-01')"
            ),
            {"t": next(t for t in schools if t != tenant_id), "s": studio_id},
        )
        conn.commit()
    engine.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = _raw(url)
    with engine.connect() as conn:
        counts = {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in sorted({t for t, _, _, _ in REFERENCES})}
    engine.dispose()
    return counts


def test_the_upgrade_reports_cross_tenant_rows_first(world, database_url) -> None:
    """Down to 0004 and up again over the populated database: every row kept (no cascade on a rebuild)."""
    before = _counts(database_url)
    assert before["memberships"] and before["activities"] and before["expenses"]
    downgrade(database_url, "0004")
    assert _counts(database_url) == before
    engine = _raw(database_url)
    with engine.begin() as conn:
        studio_id, tenant_id = conn.execute(text("SELECT id, tenant_id FROM studios ORDER BY id LIMIT 1")).one()
        foreign = conn.scalar(text("SELECT min(id) FROM schools WHERE tenant_id <> :t"), {"t": tenant_id})
        foreign_tenant = conn.scalar(text("SELECT tenant_id FROM schools WHERE id = :i"), {"i": foreign})
        conn.execute(text("UPDATE studios SET school_id = :s WHERE id = :i"), {"s": foreign, "i": studio_id})
    engine.dispose()
    with pytest.raises(RuntimeError) as stopped:
        upgrade(database_url)
    assert f"studios {studio_id} (tenant {tenant_id}) → schools {foreign} (tenant {foreign_tenant})" in str(
        stopped.value
    )
    engine = _raw(database_url)
    with engine.begin() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0004"  # nothing changed
        conn.execute(text("UPDATE studios SET school_id = NULL WHERE id = :i"), {"i": studio_id})
    engine.dispose()
    upgrade(database_url)
    assert _counts(database_url) == before
