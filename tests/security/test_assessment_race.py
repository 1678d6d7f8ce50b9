"""Two administrators confirming the same assessment proposal at once: the database serialises them."""

from __future__ import annotations

from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.services import assessments, funds
from mingshi.core.services.access import actor_for
from mingshi.core.services.evaluation import EvaluationSpec
from mingshi.core.tenancy import bind_tenant
from tests.security.test_concurrency import race
from tests.web.conftest import TODAY

ANNUAL_2025 = EvaluationSpec("annual", year=2025)


def _stored(session, studio_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(m.AssessmentRecord)
        .where(m.AssessmentRecord.studio_id == studio_id, m.AssessmentRecord.period == "2025")
    )


def test_concurrent_confirmations_store_one_assessment_and_apply_its_consequences_once(app) -> None:
    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "shenyang"))
        bind_tenant(session, tenant.id)
        admin = actor_for(
            session, session.scalar(select(m.User).where(m.User.username == "shenyang-admin")), today=TODAY
        )
        studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
        # an unused grant the failed result recovers: a consequence that must happen once
        funds.record_allocation(session, admin, studio, year=2025, amount_fen=2_000_000, basis="第十二条")
        session.commit()
        proposal = assessments.propose(session, jurisdictions, studio, ANNUAL_2025, today=TODAY)
        assert proposal.storable and proposal.recovery_fen > 0 and proposal.disqualify
        seen = assessments.fingerprint([proposal])
        studio_id, tenant_id, recovered = studio.id, tenant.id, proposal.recovery_fen
        before = _stored(session, studio_id)
        session.rollback()

    def confirm(session):
        studio = session.get(m.Studio, studio_id)
        records = assessments.confirm(session, admin, jurisdictions, ANNUAL_2025, today=TODAY, seen=seen, studio=studio)
        return [r.id for r in records]

    outcomes = race(app, tenant_id, [confirm for _ in range(4)])
    assert outcomes.count("refused") == 3, outcomes
    with factory() as session:
        bind_tenant(session, tenant_id)
        stored = _stored(session, studio_id) - before
        recoveries = list(
            session.scalars(
                select(m.FundAllocation).where(
                    m.FundAllocation.studio_id == studio_id, m.FundAllocation.source == "recovery"
                )
            )
        )
        studio = session.get(m.Studio, studio_id)
        assert stored == 1
        assert [a.amount_fen for a in recoveries] == [-recovered]
        assert studio.status == "disqualified" and funds.ledger(session, studio).balance_fen == 0
