"""PostgreSQL row-level security, the second wall: raw SQL as the application role sees one tenant or nothing.

Every test connects as the application role (``<dbname>_app``), the non-owner role the application runs as; the owner
(here the superuser the suite migrates with) only counts the rows to compare with.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from mingshi.core import models as m
from mingshi.core.db import Base, make_engine, make_session_factory
from mingshi.core.tenancy import TenancyError, all_tenants, bind_tenant, tenant_tables
from tests.conftest import postgres_only
from tests.security.db.conftest import APP_ROLE, app_role_url
from tests.web.conftest import TODAY, Browser

pytestmark = postgres_only

#: the tenant tables of migration 0002: the world fixture fills each of them for every tenant
TABLES_0002 = {
    "activities",
    "activity_leaders",
    "assessment_records",
    "attendance",
    "attestations",
    "backbone_designations",
    "expenses",
    "findings",
    "fund_allocations",
    "memberships",
    "output_people",
    "outputs",
    "pairings",
    "parameter_values",
    "people",
    "person_events",
    "person_honors",
    "schools",
    "student_awards",
    "studios",
}
TENANT_TABLES = sorted(t.name for t in tenant_tables())
SMUGGLE = text("INSERT INTO schools (tenant_id, name, rural) VALUES (:b, 'smuggled', false)")


def _owner_counts(database_url: str) -> dict[str, dict[int, int]]:
    """table → tenant id → rows, as the owner sees them (everything)."""
    engine = make_engine(database_url)
    counts: dict[str, dict[int, int]] = {}
    with engine.connect() as conn:
        for table in TENANT_TABLES:
            rows = conn.execute(text(f'SELECT tenant_id, count(*) FROM "{table}" GROUP BY tenant_id')).all()
            counts[table] = dict(rows)
    engine.dispose()
    return counts


def _set_tenant(conn, tenant_id: int | str) -> None:
    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


def test_the_app_role_is_not_the_owner_and_cannot_bypass(database_url, app_engine) -> None:
    with app_engine.connect() as conn:
        who = conn.execute(text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        assert who.one() == (APP_ROLE, False, False)
        owners = set(
            conn.scalars(
                text("SELECT DISTINCT tableowner FROM pg_tables WHERE tablename = ANY(:names)"),
                {"names": list(Base.metadata.tables)},
            )
        )
    assert owners and APP_ROLE not in owners


def test_every_tenant_table_forces_row_level_security(database_url) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        flags = dict(
            (name, (enabled, forced))
            for name, enabled, forced in conn.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
                )
            )
        )
        policies = {
            (table, name): cmd
            for table, name, cmd in conn.execute(text("SELECT tablename, policyname, cmd FROM pg_policies"))
        }
    engine.dispose()
    assert set(TENANT_TABLES) >= TABLES_0002
    missing = [t for t in TENANT_TABLES if flags.get(t) != (True, True)]
    assert missing == [], f"tenant tables without ENABLE + FORCE ROW LEVEL SECURITY: {missing}"
    for table in TENANT_TABLES:
        assert policies.get((table, "tenant_isolation")) == "ALL", table
        assert policies.get((table, "all_tenants_read")) == "SELECT", table
    for table in ("tenants", "users", "user_roles", "audit_log", "alembic_version"):
        assert flags[table] == (False, False), table


def test_the_app_role_has_what_it_needs_and_no_more(database_url, app_engine) -> None:
    with app_engine.connect() as conn:

        def can(table: str, privilege: str) -> bool:
            return conn.scalar(text("SELECT has_table_privilege(:t, :p)"), {"t": table, "p": privilege})

        for table in Base.metadata.tables:
            assert can(table, "SELECT") and can(table, "INSERT"), table
            append_only = table in {"expenses", "fund_allocations", "audit_log"}
            assert can(table, "UPDATE") is not append_only, table
            assert can(table, "DELETE") is not append_only, table
            assert not can(table, "TRUNCATE"), table


def test_raw_sql_for_a_tenant_sees_none_of_the_others_rows(world, database_url, app_engine) -> None:
    owner = _owner_counts(database_url)
    for table in TABLES_0002:
        assert len(owner[table]) == 4, f"the world should have rows of every tenant in {table}"
    for code in ("shenyang", "wenzhou"):
        tenant = world[code]
        others = [t for t in world.values() if t != tenant]
        with app_engine.begin() as conn:
            _set_tenant(conn, tenant)
            for table in TENANT_TABLES:
                query = text(f'SELECT tenant_id, count(*) FROM "{table}" GROUP BY tenant_id')
                visible = dict(conn.execute(query).all())
                expected = {tenant: owner[table][tenant]} if tenant in owner[table] else {}
                assert visible == expected, table
                asked = conn.scalar(
                    text(f'SELECT count(*) FROM "{table}" WHERE tenant_id = ANY(:others)'), {"others": others}
                )
                assert asked == 0, table


def test_without_a_tenant_raw_sql_sees_no_row(world, database_url, app_engine) -> None:
    owner = _owner_counts(database_url)
    with app_engine.begin() as conn:
        for table in TENANT_TABLES:
            assert conn.scalar(text(f'SELECT count(*) FROM "{table}"')) == 0, table
        _set_tenant(conn, "")
        for table in TENANT_TABLES:
            assert conn.scalar(text(f'SELECT count(*) FROM "{table}"')) == 0, table
    # the setting is per transaction: a tenant set in one does not outlive it
    with app_engine.begin() as conn:
        _set_tenant(conn, world["wushen"])
    with app_engine.begin() as conn:
        assert conn.scalar(text("SELECT count(*) FROM studios")) == 0
    # the demo's studios: Wenzhou's two of an ended cycle included, and two plaqued this autumn in each
    # other city (their first documents due soon and overdue)
    assert sum(owner["studios"].values()) == 20


def test_a_tenant_cannot_write_another_tenants_rows(world, app_engine) -> None:
    a, b = world["shenyang"], world["wenzhou"]
    with app_engine.connect() as conn:
        with conn.begin():
            _set_tenant(conn, a)
            assert conn.execute(text("UPDATE studios SET name = 'x' WHERE tenant_id = :b"), {"b": b}).rowcount == 0
            assert conn.execute(text("DELETE FROM person_honors WHERE tenant_id = :b"), {"b": b}).rowcount == 0
        with conn.begin():
            _set_tenant(conn, a)
            with pytest.raises(ProgrammingError, match="row-level security"):
                conn.execute(SMUGGLE, {"b": b})
        with conn.begin():
            _set_tenant(conn, a)
            with pytest.raises(ProgrammingError, match="row-level security"):
                conn.execute(text("UPDATE schools SET tenant_id = :b WHERE tenant_id = :a"), {"a": a, "b": b})
        with conn.begin(), pytest.raises(ProgrammingError, match="row-level security"):
            conn.execute(SMUGGLE, {"b": b})
        with conn.begin():
            # the cross-tenant switch opens reading only
            conn.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
            assert conn.scalar(text("SELECT count(DISTINCT tenant_id) FROM studios")) == 4
            assert conn.execute(text("UPDATE studios SET name = 'x'")).rowcount == 0
            with pytest.raises(ProgrammingError, match="row-level security"):
                conn.execute(SMUGGLE, {"b": b})


def test_the_orm_cross_tenant_opt_in_still_reads_every_tenant(world, database_url, app_engine) -> None:
    owner = _owner_counts(database_url)
    sessions = make_session_factory(app_engine)
    with sessions() as session:
        per_tenant = select(m.Studio.tenant_id, func.count()).group_by(m.Studio.tenant_id)
        studios = session.execute(per_tenant.execution_options(**all_tenants("test"))).all()
        assert dict(studios) == owner["studios"] and len(owner["studios"]) == 4
        # the opt-in covered that statement only: raw SQL after it, in the same transaction, sees nothing
        assert session.in_transaction()
        assert session.scalar(text("SELECT count(*) FROM studios")) == 0
        assert session.scalar(text("SELECT current_setting('app.all_tenants', true)")) == ""
    with sessions() as session:
        bind_tenant(session, world["wushen"])
        assert session.scalar(select(func.count()).select_from(m.Studio)) == owner["studios"][world["wushen"]]
        assert session.scalar(text("SELECT count(DISTINCT tenant_id) FROM studios")) == 1
        with pytest.raises(TenancyError):
            session.execute(select(m.Studio).execution_options(**all_tenants("a tenant's session")))


def test_binding_a_tenant_ends_a_cross_tenant_read(world, app_engine) -> None:
    sessions = make_session_factory(app_engine)
    with sessions() as session:
        session.connection().execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
        assert session.scalar(text("SELECT count(DISTINCT tenant_id) FROM studios")) == 4
        bind_tenant(session, world["wushen"])
        assert session.scalar(text("SELECT count(DISTINCT tenant_id) FROM studios")) == 1


def test_the_web_application_runs_as_the_app_role(world, database_url, jurisdictions) -> None:
    from mingshi.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": app_role_url(database_url),
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "test",
            "MINGSHI_TODAY": TODAY,
        }
    )
    try:
        with app.extensions["mingshi"]["engine"].connect() as conn:
            assert conn.scalar(text("SELECT current_user")) == APP_ROLE
        browser = Browser(app)
        browser.login("shenyang-admin")
        page = browser.get("/shenyang/studios")
        assert page.status_code == 200
        with app.extensions["mingshi"]["sessions"]() as session:
            bind_tenant(session, world["shenyang"])
            names = list(session.scalars(select(m.Studio.name)))
        html = page.get_data(as_text=True)
        assert names and all(name in html for name in names)
        assert browser.get("/wenzhou/studios").status_code in {302, 403, 404}
    finally:
        app.extensions["mingshi"]["engine"].dispose()


def test_the_app_role_cannot_truncate(world, app_engine) -> None:
    """TRUNCATE fires no row trigger and ignores row-level security: only the owner may."""
    for table in ("studios", "expenses", "audit_log"):
        with app_engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text(f"TRUNCATE {table} CASCADE"))
