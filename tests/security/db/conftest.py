"""The database walls' fixtures: the four demo tenants with a row in every tenant table, the app role.

For the tests of row-level security, append-only tables and backups. On PostgreSQL the
application role (``<dbname>_app``, created NOLOGIN by ``mingshi db upgrade``, here by the migrations'
fixture) is given LOGIN here, without a password: the test server trusts local connections. A
deployment gives it a password instead (README, "Deploying").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.demo import load_demo
from mingshi.core.plugins import Jurisdictions
from mingshi.core.tenancy import bind_tenant
from tests.conftest import APP_ROLE, PG_URL, app_role_url

__all__ = ["APP_ROLE", "app_role_url"]


def enrich(sessions, tenant_id: int, jurisdictions: Jurisdictions) -> None:
    """Rows for the tables the demo leaves empty, money with a reversal, and audit entries."""
    with sessions() as session:
        tenant = session.get(m.Tenant, tenant_id)
        parameter = jurisdictions.get(tenant.jurisdiction).parameters[0]
        bind_tenant(session, tenant_id)
        studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
        person = session.scalars(select(m.Person).order_by(m.Person.id)).first()
        user = session.scalars(select(m.User).where(m.User.tenant_id == tenant_id).order_by(m.User.id)).first()
        day = dt.date(2026, 3, 1)
        session.add_all(
            [
                m.AssessmentRecord(studio_id=studio.id, kind="annual", period="2025", grade="pass", result={"a": [1]}),
                m.Attestation(studio_id=studio.id, rule_id="r1", person_id=person.id, value=True, reviewer_id=user.id),
                m.BackboneDesignation(person_id=person.id, level="city", date=day),
                m.PersonHonor(person_id=person.id, honor="city_leader", awarded=day),
                m.Finding(studio_id=studio.id, type="misappropriation", date=day, note="注意"),
                m.ParameterValue(
                    param_id=parameter.id, value=parameter.defaults[-1][1], valid_from=day, changed_by_id=user.id
                ),
                m.StudentAward(
                    studio_id=studio.id,
                    competition="robotics",
                    level="city",
                    rank="first",
                    first_instructor_id=person.id,
                    date=day,
                    student="王小明",
                ),
                m.PersonEvent(person_id=person.id, type="transferred", date=day),
            ]
        )
        allocation = m.FundAllocation(studio_id=studio.id, year=2026, source="grant", amount_fen=5_000_000)
        expense = m.Expense(studio_id=studio.id, date=day, category="books", amount_fen=12_345, created_by_id=user.id)
        session.add_all([allocation, expense])
        session.flush()
        reversal = m.Expense(
            studio_id=studio.id, date=day, category="books", amount_fen=-12_345, reverses_id=expense.id, note="typo"
        )
        session.add(reversal)
        session.flush()
        for entity, row in (("expense", expense), ("expense", reversal), ("fund_allocation", allocation)):
            session.add(
                m.AuditEntry(
                    tenant_id=tenant_id,
                    user_id=user.id,
                    user_name=user.display_name,
                    action="record",
                    entity=entity,
                    entity_id=row.id,
                    before=None,
                    after={"amount_fen": row.amount_fen},
                )
            )
        session.commit()


def load_world(url: str) -> dict[str, int]:
    """The demo's four tenants, enriched; returns tenant code → id."""
    jurisdictions = Jurisdictions.load()
    load_demo(url, jurisdictions)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        ids = dict(session.execute(select(m.Tenant.code, m.Tenant.id)).all())
    for tenant_id in ids.values():
        enrich(sessions, tenant_id, jurisdictions)
    engine.dispose()
    return ids


@pytest.fixture
def world(database_url: str) -> dict[str, int]:
    return load_world(database_url)


@pytest.fixture
def app_engine(database_url: str) -> Iterator[Engine]:
    """An engine that connects as the application's non-owner role (PostgreSQL only)."""
    if not PG_URL:
        pytest.skip("the application role exists on PostgreSQL only")
    engine = make_engine(app_role_url(database_url))
    yield engine
    engine.dispose()
