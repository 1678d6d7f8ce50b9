"""Backup and restore of the whole database, export and import of one tenant: a round trip loses nothing.

Every table is compared before and after: row for row (ids included) for a backup; for a tenant
moved through an export, row for row with every id replaced by the row's rank within the tenant,
since the importing database hands out its own ids.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from mingshi.core import models as m
from mingshi.core.backup import BackupError, backup, export_tenant, import_tenant
from mingshi.core.db import Base, make_engine, make_session_factory
from mingshi.core.tenancy import bind_tenant
from mingshi.web.cli import main
from tests.conftest import PG_URL, postgres_only
from tests.security.db.conftest import APP_ROLE, load_world

#: the audit log's entity names of the world's entries → their tables
ENTITY_TABLES = {
    "activity": "activities",
    "assessment_record": "assessment_records",
    "credit_recognition": "credit_recognitions",
    "document_submission": "document_submissions",
    "evidence": "evidence",
    "expense": "expenses",
    "fund_allocation": "fund_allocations",
    "membership": "memberships",
    "tenant": "tenants",
    "user": "users",
}


def _cli(url: str, monkeypatch, *args: str, input: str | None = None):
    monkeypatch.setenv("DATABASE_URL", url)
    return CliRunner().invoke(main, list(args), input=input)


def _plain(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every table of the database (the catalog's, not only the models'), every row, in key order."""
    engine = make_engine(url)
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        out = {}
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    engine.dispose()
    return out


def _owned(conn, table, tenant_id: int, user_ids: set[int]) -> list[dict[str, Any]]:
    if "tenant_id" in table.c:
        query = select(table).where(table.c.tenant_id == tenant_id)
    else:
        assert table.name == "user_roles", f"{table.name}: how does it belong to a tenant? extend this test"
        query = select(table).where(table.c.user_id.in_(user_ids))
    return [dict(r) for r in conn.execute(query.order_by(table.c.id)).mappings()]


def canonical(url: str, code: str) -> dict[str, Any]:
    """Tenant ``code`` with every id replaced by (table, rank of the row within the tenant)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        tenant = conn.execute(select(m.Tenant.__table__).where(m.Tenant.code == code)).mappings().one()
        # sign_in_failures: the lockout's counter, keyed by user name, no tenant's data (not exported)
        # derived tables (the central summaries, info "derived"): recomputed by a refresh, not exported
        tables = [
            t
            for t in Base.metadata.sorted_tables
            if t.name not in ("tenants", "sign_in_failures") and not t.info.get("derived")
        ]
        user_ids = set(conn.scalars(select(m.User.id).where(m.User.tenant_id == tenant["id"])))
        rows = {t.name: _owned(conn, t, tenant["id"], user_ids) for t in tables}
    engine.dispose()
    rank = {name: {row["id"]: i for i, row in enumerate(rs)} for name, rs in rows.items()}

    def ref(target: str, value: Any) -> Any:
        if value is None:
            return None
        if target == "tenants":
            return "the tenant" if value == tenant["id"] else ("another tenant", value)
        return (target, rank[target][value]) if value in rank.get(target, {}) else ("outside", target)

    out: dict[str, Any] = {"tenant": {k: v for k, v in tenant.items() if k != "id"}}
    for table in tables:
        canon = []
        for row in rows[table.name]:
            item = {}
            for column in table.c:
                value = row[column.name]
                if column.primary_key:
                    value = rank[table.name][value]
                elif column.foreign_keys:
                    single = [fk for fk in column.foreign_keys if len(fk.constraint.columns) == 1]
                    value = ref(single[0].column.table.name, value)
                elif table.name == "audit_log" and column.name == "entity_id":
                    value = ref(ENTITY_TABLES[row["entity"]], value)
                elif table.name == "evidence" and column.name == "storage_key":
                    # the import stores each file anew under a key of the new tenant (core/backup.py)
                    mine = value.startswith(f"tenant/{tenant['id']}/")
                    value = "a key of the tenant" if mine else ("a key of another tenant", value)
                item[column.name] = _plain(value)
            canon.append(item)
        out[table.name] = canon
    return out


def _empty_database(url: str, database_template: str, tmp_path: Path) -> str:
    """Another migrated, empty database: a copy of the template (SQLite), or the same one emptied (PostgreSQL)."""
    if PG_URL:
        engine = make_engine(url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return url
    path = tmp_path / "other.db"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


def _add_a_tenant(url: str, code: str) -> int:
    sessions = make_session_factory(make_engine(url))
    with sessions() as session:
        tenant = m.Tenant(code=code, name=code, jurisdiction="shenyang")
        session.add(tenant)
        session.flush()
        bind_tenant(session, tenant.id)
        school = m.School(name=f"{code} school", rural=False)
        session.add(school)
        session.flush()
        studio = m.Studio(name=f"{code} studio", kind="studio", school_id=school.id)
        session.add(studio)
        session.flush()
        session.add(m.Expense(studio_id=studio.id, date=dt.date(2026, 1, 2), category="books", amount_fen=100))
        session.add(m.User(tenant_id=tenant.id, username=f"{code}-admin", display_name="x", password_hash="x"))
        session.commit()
        session.get_bind().dispose()
        return tenant.id


# ---------------------------------------------------------------------------------------------
# the whole database


def test_backup_and_restore_lose_nothing(database_url, tmp_path, monkeypatch) -> None:
    load_world(database_url)
    before = snapshot(database_url)
    assert all(before[t] for t in ("expenses", "fund_allocations", "audit_log", "studios", "users"))
    file = tmp_path / "backups" / "mingshi.backup"
    done = _cli(database_url, monkeypatch, "backup", str(file))
    assert done.exit_code == 0, done.output
    assert file.is_file() and file.stat().st_size > 0

    _add_a_tenant(database_url, "later")
    assert snapshot(database_url) != before

    refused = _cli(database_url, monkeypatch, "restore", str(file), input="n\n")
    assert refused.exit_code != 0
    assert "later" in {row[1] for row in snapshot(database_url)["tenants"]}

    done = _cli(database_url, monkeypatch, "restore", str(file), "--yes")
    assert done.exit_code == 0, done.output
    assert snapshot(database_url) == before

    # the restored database works on: ids continue, and the walls are back
    _add_a_tenant(database_url, "after")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text("DELETE FROM expenses"))
        conn.rollback()
        if PG_URL:
            forced = conn.scalar(text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'studios'"))
            assert forced is True
            assert conn.scalar(text("SELECT has_table_privilege(:r, 'studios', 'UPDATE')"), {"r": APP_ROLE})
    engine.dispose()


def test_restore_refuses_what_is_not_a_backup(database_url, tmp_path, monkeypatch) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_text("not a backup")
    before = snapshot(database_url)
    done = _cli(database_url, monkeypatch, "restore", str(junk), "--yes")
    assert done.exit_code == 1
    assert done.output.count("\n") == 1 and "Error:" in done.output
    missing = _cli(database_url, monkeypatch, "restore", str(tmp_path / "nowhere"), "--yes")
    assert missing.exit_code == 1 and "no backup file" in missing.output
    assert snapshot(database_url) == before


@postgres_only
def test_missing_postgresql_tools_are_one_clear_line(database_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump is not installed"):
        backup(database_url, tmp_path / "x.backup")
    done = _cli(database_url, monkeypatch, "backup", str(tmp_path / "x.backup"))
    assert done.exit_code == 1 and "pg_dump is not installed" in done.output
    assert not (tmp_path / "x.backup").exists()


# ---------------------------------------------------------------------------------------------
# one tenant


def test_export_and_import_lose_nothing_and_leave_other_tenants_alone(
    database_url, database_template, tmp_path, monkeypatch
) -> None:
    world = load_world(database_url)
    codes = sorted(world)
    before = {code: canonical(database_url, code) for code in codes}
    for code in codes:
        assert all(before[code][t] for t in ("expenses", "fund_allocations", "audit_log", "user_roles", "people"))
        done = _cli(database_url, monkeypatch, "export-tenant", code, str(tmp_path / f"{code}.json"))
        assert done.exit_code == 0, done.output
    old_ids = snapshot(database_url)

    target = _empty_database(database_url, database_template, tmp_path)
    _add_a_tenant(target, "resident")
    resident_before = canonical(target, "resident")
    resident_rows = snapshot(target)
    for code in reversed(codes):  # another order: other ids
        done = _cli(target, monkeypatch, "import-tenant", str(tmp_path / f"{code}.json"))
        assert done.exit_code == 0, done.output
        assert f"tenant {code}:" in done.output

    for code in codes:
        assert canonical(target, code) == before[code], code
    assert canonical(target, "resident") == resident_before
    after = snapshot(target)
    for table, rows in resident_rows.items():  # the resident's rows, ids included, are still there
        if table != "alembic_version":
            assert set(rows) <= set(after[table]), table
    assert after["studios"] != old_ids["studios"]  # the ids were given anew

    again = _cli(target, monkeypatch, "import-tenant", str(tmp_path / f"{codes[0]}.json"))
    assert again.exit_code == 1 and "exists already" in again.output
    assert snapshot(target) == after


def test_import_refuses_a_clashing_username_or_another_revision(database_url, tmp_path) -> None:
    _add_a_tenant(database_url, "home")
    file = tmp_path / "home.json"
    export_tenant(database_url, "home", file)
    payload = json.loads(file.read_text(encoding="utf-8"))
    payload["tenant"]["code"] = "copy"
    file.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(BackupError, match="usernames exist already: home-admin"):
        import_tenant(database_url, file)
    payload["revision"] = "0001"
    file.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(BackupError, match="schema revision 0001"):
        import_tenant(database_url, file)
    file.write_text("{", encoding="utf-8")
    with pytest.raises(BackupError, match="not a tenant export"):
        import_tenant(database_url, file)
    with pytest.raises(BackupError, match="no tenant with code 'nobody'"):
        export_tenant(database_url, "nobody", tmp_path / "nobody.json")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM tenants")) == 1
    engine.dispose()
