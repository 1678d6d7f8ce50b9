"""Races decided by the database: threads released together by a barrier, on SQLite and PostgreSQL.

Each case starts N threads, each with its own session (its own connection), that wait on one
``threading.Barrier`` and then do the same thing at the same moment — as N browsers would. What
is asserted afterwards is exact: how many rows were written and what the balance is. Run with
``MINGSHI_TEST_DATABASE_URL`` for PostgreSQL (row locks, advisory locks, unique indexes under
READ COMMITTED); without it the same cases run on SQLite (one writer at a time, the write lock
taken at the first write).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.services import funds
from mingshi.core.services.access import actor_for
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY

#: two kinds of job run at once, and the engine pools 15 connections (5 + 10 overflow)
THREADS = 7


def race(app, tenant_id: int | None, jobs: list[Callable[[Any], Any]], factory=None) -> list[Any]:
    """Run every job in its own thread and session, all released by one barrier; their outcomes, in order.

    A job returns what it wants recorded; a :class:`ValidationError` is recorded as ``"refused"``;
    any other exception fails the test (it would have been a 500).
    """
    factory = factory or app.extensions["mingshi"]["sessions"]
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[Any], Any]) -> None:
        with factory() as session:
            if tenant_id is not None:
                bind_tenant(session, tenant_id)
            session.connection()  # the connection is open before the start
            barrier.wait(timeout=30)
            try:
                outcomes[index] = job(session)
                session.commit()
            except ValidationError:
                session.rollback()
                outcomes[index] = "refused"
            except BaseException as exc:  # recorded, and the assertion below names it
                session.rollback()
                outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in threads), "a thread is still waiting"
    crashed = [o for o in outcomes if isinstance(o, BaseException)]
    assert not crashed, crashed
    return outcomes


class Fund:
    """The first studio of Wushen with a grant, and what the tests need to act on it."""

    def __init__(self, app, grant_fen: int = 100_000) -> None:
        self.app = app
        self.factory = app.extensions["mingshi"]["sessions"]
        self.jurisdictions = app.extensions["mingshi"]["jurisdictions"]
        with self.factory() as session:
            tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wushen"))
            bind_tenant(session, tenant.id)
            user = session.scalar(select(m.User).where(m.User.username == "wushen-admin"))
            self.actor = actor_for(session, user, today=TODAY)
            studio = session.scalars(select(m.Studio).order_by(m.Studio.id)).first()
            self.tenant_id, self.studio_id = tenant.id, studio.id
            self.before = funds.ledger(session, studio).balance_fen
            funds.record_allocation(session, self.actor, studio, year=TODAY.year, amount_fen=grant_fen)
            session.commit()

    def studio(self, session) -> m.Studio:
        return session.get(m.Studio, self.studio_id)

    def spend(self, amount_fen: int, key: str | None = None) -> Callable[[Any], Any]:
        def job(session):
            funds.begin_write(session)
            expense = funds.record_expense(
                session,
                self.actor,
                self.jurisdictions,
                self.studio(session),
                {"date": TODAY, "category": "books", "amount": amount_fen},
                idempotency_key=key,
            )
            return expense.id

        return job

    def reverse(self, expense_id: int) -> Callable[[Any], Any]:
        def job(session):
            funds.begin_write(session)
            expense = session.get(m.Expense, expense_id)
            return funds.reverse_expense(
                session, self.actor, self.studio(session), expense, reason="entered twice", on=TODAY
            ).id

        return job

    def grant(self, amount_fen: int, key: str) -> Callable[[Any], Any]:
        def job(session):
            funds.begin_write(session)
            return funds.record_allocation(
                session, self.actor, self.studio(session), year=TODAY.year, amount_fen=amount_fen, idempotency_key=key
            ).id

        return job

    def count(self, model: Any, *where: Any) -> int:
        with self.factory() as session:
            bind_tenant(session, self.tenant_id)
            return session.scalar(
                select(func.count()).select_from(model).where(model.studio_id == self.studio_id, *where)
            )

    def balance(self) -> int:
        with self.factory() as session:
            bind_tenant(session, self.tenant_id)
            return funds.ledger(session, self.studio(session)).balance_fen


def test_the_reversal_race_reverses_once(app) -> None:
    """reversals of one 100-yuan expense and expenses of 0.01 at the same moment (finding 1)."""
    fund = Fund(app)
    expense_id = race(app, fund.tenant_id, [fund.spend(10_000)])[0]
    expenses_before = fund.count(m.Expense)
    jobs = [fund.reverse(expense_id) for _ in range(THREADS)] + [fund.spend(1) for _ in range(THREADS)]
    outcomes = race(app, fund.tenant_id, jobs)
    reversals = [o for o in outcomes[:THREADS] if o != "refused"]
    assert len(reversals) == 1
    assert outcomes[:THREADS].count("refused") == THREADS - 1
    assert all(isinstance(o, int) for o in outcomes[THREADS:])
    assert fund.count(m.Expense, m.Expense.reverses_id == expense_id) == 1
    assert fund.count(m.Expense) == expenses_before + 1 + THREADS
    assert fund.balance() == fund.before + 100_000 - THREADS


def test_the_double_spend_records_one(app) -> None:
    """6 expenses of 600 yuan at once against a grant of 1,000: exactly one is recorded."""
    fund = Fund(app)
    if fund.before:  # the demo's own money would change the arithmetic
        race(app, fund.tenant_id, [fund.spend(fund.before)])
    outcomes = race(app, fund.tenant_id, [fund.spend(60_000, key=f"k{i}") for i in range(6)])
    assert outcomes.count("refused") == 5
    assert fund.balance() == 40_000


def test_the_same_key_double_submit_records_once_and_answers_every_repeat(app) -> None:
    """submissions of one expense form and of one grant form (same one-time key), at once (finding 8)."""
    fund = Fund(app)
    expenses_before, grants_before = fund.count(m.Expense), fund.count(m.FundAllocation)
    jobs = [fund.spend(100, key="expense-form-1") for _ in range(THREADS)]
    jobs += [fund.grant(50_000, key="grant-form-1") for _ in range(THREADS)]
    outcomes = race(app, fund.tenant_id, jobs)
    assert len(set(outcomes[:THREADS])) == 1 and isinstance(outcomes[0], int)  # the first's result, to all
    assert len(set(outcomes[THREADS:])) == 1 and isinstance(outcomes[THREADS], int)
    assert fund.count(m.Expense) == expenses_before + 1
    assert fund.count(m.FundAllocation) == grants_before + 1
    assert fund.balance() == fund.before + 100_000 + 50_000 - 100


def test_a_writer_waits_for_the_lock_taken_at_the_first_write(app) -> None:
    """SQLite's write lock is taken by the first write, not by the first read (finding 3)."""
    factory = app.extensions["mingshi"]["sessions"]
    fund = Fund(app)
    with factory() as reader, factory() as writer:
        bind_tenant(reader, fund.tenant_id)
        bind_tenant(writer, fund.tenant_id)
        reader.scalar(select(func.count()).select_from(m.Expense))  # a read: no lock held
        funds.begin_write(writer)
        funds.record_expense(
            writer,
            fund.actor,
            fund.jurisdictions,
            fund.studio(writer),
            {"date": TODAY, "category": "books", "amount": 1},
        )
        writer.commit()  # did not wait for the reader
        reader.add(
            m.Finding(studio_id=fund.studio_id, type="note", date=dt.date(2026, 1, 1), note="after another write")
        )
        reader.commit()  # its deferred transaction became a write one without SQLITE_BUSY_SNAPSHOT
    assert fund.count(m.Finding, m.Finding.note == "after another write") == 1


def test_the_county_quota_race_recommends_no_more_than_the_quota(app) -> None:
    """Quota 2 for a county, 6 recommendations at the same moment: exactly 2 (finding 6)."""
    from mingshi.core.services import applications as apps
    from mingshi.core.services import tenants

    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "lianyungang"))
        bind_tenant(session, tenant.id)
        admin = actor_for(
            session, session.scalar(select(m.User).where(m.User.username == "lianyungang-admin")), today=TODAY
        )
        session.add(
            m.ParameterValue(param_id="lyg.county_quota", value="2", valid_from=dt.date(2026, 1, 1), reason="名额")
        )
        host = session.scalars(select(m.Person).order_by(m.Person.id)).first()
        tenants.add_counties(session, ["竞争县"])  # a county of the tenant's managed list
        ids = []
        for i in range(6):
            studio = apps.create(
                session,
                admin,
                jurisdictions,
                {"name": f"竞争工作室{i}", "kind": "science_studio", "county": "竞争县", "host_person_id": host.id},
                today=TODAY,
            )
            apps.take(session, admin, jurisdictions, studio, "submit", today=TODAY)
            ids.append(studio.id)
        session.commit()

    def recommend(studio_id: int):
        def job(session):
            studio = session.get(m.Studio, studio_id)
            return apps.take(session, admin, jurisdictions, studio, "recommend", today=TODAY).id

        return job

    outcomes = race(app, tenant.id, [recommend(i) for i in ids])
    assert outcomes.count("refused") == 4
    with factory() as session:
        bind_tenant(session, tenant.id)
        statuses = [session.get(m.Studio, i).status for i in ids]
        recommended = session.scalar(
            select(func.count())
            .select_from(m.StudioTransition)
            .where(m.StudioTransition.studio_id.in_(ids), m.StudioTransition.to_status == "recommended")
        )
    assert statuses.count("recommended") == 2 and recommended == 2


def test_the_lockout_race_evaluates_no_more_than_the_limit(app) -> None:
    """40 wrong passwords for one name at the same moment: at most the limit is recorded (finding 7)."""
    from mingshi.core.db import make_engine, make_session_factory
    from mingshi.core.demo import DEMO_PASSWORD
    from mingshi.core.services import signin

    url = app.extensions["mingshi"]["engine"].url.render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=45, max_overflow=0)
    factory = make_session_factory(engine)

    def attempt(password: str):
        def job(session):
            result = signin.sign_in(session, "shenyang-admin", password, "10.6.6.6")
            return "locked" if result.locked else ("in" if result.user else "failed")

        return job

    try:
        outcomes = race(app, None, [attempt("guess") for _ in range(40)], factory=factory)
        assert outcomes.count("failed") == signin.MAX_FAILURES
        assert outcomes.count("locked") == 40 - signin.MAX_FAILURES
        with factory() as session:
            recorded = session.scalar(
                select(func.count()).select_from(m.SignInFailure).where(m.SignInFailure.username == "shenyang-admin")
            )
            assert recorded == signin.MAX_FAILURES
            assert signin.sign_in(session, "shenyang-admin", DEMO_PASSWORD, "10.6.6.6").locked
    finally:
        engine.dispose()
