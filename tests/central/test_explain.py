"""The hot queries use their indexes on PostgreSQL: EXPLAIN over a filled synthetic database.

The statements are the ones the code runs (captured while it runs), explained with their own
parameters after ``ANALYZE`` on a database with synthetic tenants and large tables (audit log,
sign-in failures, studios), so that the planner chooses as it would at scale, without
``enable_seqscan`` turned off.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event, select, text

from mingshi.core import models as m
from mingshi.core.db import Base
from mingshi.core.services import audit_text, central, signin, summaries
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import actor_for
from mingshi.core.synth import SYNTH_TODAY, synth
from mingshi.core.tenancy import bind_tenant
from tests.conftest import postgres_only

pytestmark = postgres_only

RAW = {"activities", "attendance", "assessment_records", "memberships", "expenses", "fund_allocations", "outputs"}


def _captured(engine, run) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _nodes(plan: dict) -> list[dict]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


def _explain(engine, statement: str, parameters) -> list[dict]:
    with engine.connect() as conn:
        conn.execute(text("SELECT set_config('app.all_tenants', 'on', false)"))
        row = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
    plan = row if isinstance(row, list) else json.loads(row)
    return _nodes(plan[0]["Plan"])


def _on(nodes: list[dict], table: str) -> list[dict]:
    return [n for n in nodes if n.get("Relation Name") == table]


@pytest.fixture(scope="module")
def filled(database_template):
    return None


@pytest.fixture
def big(sessions, engine, jurisdictions):
    synth(sessions, jurisdictions, studios=80, seed=7)
    columns = [c.name for c in Base.metadata.tables["studios"].columns if c.name not in ("id", "ref")]
    listed = ", ".join(columns)
    copied = ", ".join(f"{c} || '-' || g" if c == "name" else c for c in columns)
    with engine.begin() as conn:
        # large tables, as at national scale: 24,000 more studios, 280,000 audit entries interleaved, 100,000 failures
        conn.execute(text(f"INSERT INTO studios ({listed}) SELECT {copied} FROM studios, generate_series(1, 300) g"))
        conn.execute(
            text(
                # tenants of different sizes: the first (the one read below) is the smallest
                "INSERT INTO audit_log (tenant_id, user_name, at, action, entity, entity_id) "
                "SELECT t.id, 'bench', now() - g * interval '1 minute', 'edit_studio', 'studio', g "
                "FROM tenants t, generate_series(1, 90000) g "
                "WHERE g % 9 = 0 OR t.id <> (SELECT min(id) FROM tenants) ORDER BY g, t.id"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sign_in_failures (username, address, at) "
                "SELECT 'user' || (g % 5000), '10.0.0.1', now() - g * interval '1 second' "
                "FROM generate_series(1, 100000) g"
            )
        )
    summaries.refresh_all(sessions, jurisdictions, SYNTH_TODAY)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    with sessions() as s:
        tenant = s.scalars(select(m.Tenant).order_by(m.Tenant.id)).first()
        return tenant.id


def test_the_audit_page_reads_its_keyset_index(sessions, engine, big) -> None:
    with sessions() as s:
        bind_tenant(s, big)
        admin = s.scalar(select(m.User).join(m.UserRole).where(m.UserRole.role == "admin", m.User.tenant_id == big))
        actor = actor_for(s, admin, today=SYNTH_TODAY)
        deep = s.scalar(select(m.AuditEntry.id).order_by(m.AuditEntry.id).offset(5_000).limit(1))
        for cursor in ({}, {"before": deep}, {"after": deep}):
            statements = _captured(engine, lambda c=cursor: audit_text.page_of(s, actor, big, **c))
            nodes = _explain(engine, *statements[0])
            assert "audit_log" in statements[0][0]
            used = _on(nodes, "audit_log")
            assert used and all(n["Node Type"] in ("Index Scan", "Index Only Scan") for n in used), used
            # the keyset index, or the primary key read backwards (the planner's pick when the tenant is
            # a large share of the log): either way an index in id order, never a scan and a sort
            assert {n.get("Index Name") for n in used} <= {"ix_audit_log_tenant_id_id", "pk_audit_log"}, cursor
            assert not [n for n in nodes if n["Node Type"] == "Sort"]


def test_the_studio_list_reads_the_tenants_studios_by_name_without_a_sort(sessions, engine, big) -> None:
    with sessions() as s:
        bind_tenant(s, big)
        statements = _captured(engine, lambda: ws.list_studios(s, today=SYNTH_TODAY))
    nodes = _explain(engine, *statements[0])
    used = _on(nodes, "studios")
    assert used and {n.get("Index Name") for n in used} == {"ix_studios_tenant_id_name_id"}, used
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Seq Scan")]
    for statement in statements[1:]:  # member, host and activity counts of the page's studios
        assert not [n for n in _explain(engine, *statement) if n["Node Type"] == "Seq Scan"], statement[0]


def test_the_sign_in_limiter_reads_one_names_recent_failures_by_index(sessions, engine, big) -> None:
    with sessions() as s:
        statements = _captured(engine, lambda: signin.failures(s, "user42", now=dt.datetime.now(dt.UTC)))
    nodes = _explain(engine, *statements[0])
    used = _on(nodes, "sign_in_failures")
    assert used and {n.get("Index Name") for n in used} == {"ix_sign_in_failures_username_at"}, used
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"]
    assert not [n for n in _explain(engine, *statements[0]) if n.get("Relation Name") == "audit_log"]


def test_central_reads_the_summaries_never_the_raw_tables(sessions, engine, jurisdictions, big) -> None:
    def run() -> None:
        with central.read_only_session(sessions) as session:
            central.year_choices(session, SYNTH_TODAY)
            assert central.compare(session, jurisdictions, central.trend_years(2025)).as_of is not None

    statements = _captured(engine, run)
    assert 0 < len(statements) <= 9
    for statement in statements:
        nodes = _explain(engine, *statement)
        tables = {n["Relation Name"] for n in nodes if "Relation Name" in n}
        assert not tables & RAW, (tables, statement[0])
