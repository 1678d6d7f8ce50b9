"""Two administrators confirming the same credit proposal at once (or one confirming while another
corrects): the lock of the tenant and studio serialises them — one confirmation, each person once."""

from __future__ import annotations

from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.services import credits
from mingshi.core.services.access import actor_for
from mingshi.core.tenancy import bind_tenant
from tests.security.test_concurrency import race
from tests.web.conftest import TODAY


def _setup(app):
    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        bind_tenant(session, tenant.id)
        admin = actor_for(
            session, session.scalar(select(m.User).where(m.User.username == "wenzhou-admin")), today=TODAY
        )
        studio = session.scalars(select(m.Studio).where(m.Studio.status == "completed").order_by(m.Studio.id)).all()[1]
        proposal = credits.preview(session, jurisdictions, studio, today=TODAY)
        assert proposal.storable
        people = len(proposal.lines)
        seen, studio_id, tenant_id = proposal.fingerprint(), studio.id, tenant.id
        session.rollback()
    return factory, jurisdictions, admin, seen, studio_id, tenant_id, people


def _count(factory, tenant_id: int, studio_id: int, state: str) -> int:
    with factory() as session:
        bind_tenant(session, tenant_id)
        return session.scalar(
            select(func.count())
            .select_from(m.CreditRecognition)
            .where(m.CreditRecognition.studio_id == studio_id, m.CreditRecognition.state == state)
        )


def test_concurrent_confirmations_confirm_each_person_once(app) -> None:
    factory, jurisdictions, admin, seen, studio_id, tenant_id, people = _setup(app)

    def confirm(session):
        studio = session.get(m.Studio, studio_id)
        rows = credits.store(session, admin, jurisdictions, studio, today=TODAY, seen=seen, confirm=True)
        return len(rows)

    outcomes = race(app, tenant_id, [confirm for _ in range(4)])
    assert outcomes.count("refused") == 3, outcomes
    assert [o for o in outcomes if o != "refused"] == [people]
    assert _count(factory, tenant_id, studio_id, "confirmed") == people
    assert _count(factory, tenant_id, studio_id, "proposed") == 0
    with factory() as session:
        bind_tenant(session, tenant_id)
        confirmations = session.scalar(
            select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.action == "confirm_credit")
        )
        confirmed = session.scalar(
            select(func.count()).select_from(m.CreditRecognition).where(m.CreditRecognition.state == "confirmed")
        )
    assert confirmations == confirmed  # every confirmed row of the tenant (the demo's and this one's) once
