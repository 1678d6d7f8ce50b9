"""The confirmation job of "assess all studios": stored in batches, checked and written under the lock."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from sqlalchemy import event, func, select

from mingshi.core import models as m
from mingshi.core.jobs import JobContext
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import assessments
from mingshi.core.services.access import actor_for
from mingshi.core.synth import SYNTH_TODAY, synth
from mingshi.core.tenancy import bind_tenant
from tests.security.test_concurrency import race

ANNUAL = assessments.spec_for("annual", 2025)


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


def _bound(sessions, code: str):
    session = sessions()
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
    bind_tenant(session, tenant.id)
    return session, tenant


def _seen(session, jurisdictions) -> str:
    return assessments.fingerprint(assessments.propose_all(session, jurisdictions, ANNUAL, today=SYNTH_TODAY))


def _job(session, code: str, seen: str) -> m.Job:
    admin = session.scalar(select(m.User).where(m.User.username == f"{code}-admin"))
    job = m.Job(
        kind="assessment_confirm",
        state="running",
        done=0,
        attempts=1,
        requested_by_id=admin.id,
        params={"kind": "annual", "year": 2025, "today": SYNTH_TODAY.isoformat(), "seen": seen},
    )
    session.add(job)
    session.commit()
    return job


def _confirm_job(session, jurisdictions, job_id: int, progress=None) -> dict:
    job = session.get(m.Job, job_id)
    ctx = JobContext(session, job, jurisdictions, progress or (lambda _done, _total: None))
    return assessments.run_confirm_job(ctx)


def _records(session) -> int:
    return session.scalar(
        select(func.count()).select_from(m.AssessmentRecord).where(m.AssessmentRecord.period == "2025")
    )


def test_the_job_stores_in_a_constant_number_of_statements(
    database_url, engine, sessions, jurisdictions, monkeypatch
) -> None:
    """Storing 6 or 60 studios' results (one chunk each) costs the same statements; what is stored is
    what a single confirmation would store: the proposal's result, its removals and recoveries."""
    monkeypatch.setattr(assessments, "JOB_CHUNK", 1000)
    synth(sessions, jurisdictions, studios=4 * 30, seed=6, suffix="-s")
    synth(sessions, jurisdictions, studios=4 * 150, seed=6, suffix="-l")
    # the statements the code issues (an ORM flush of many rows is one); on PostgreSQL also the
    # round trips (insertmanyvalues: one INSERT … VALUES of many rows). SQLite inserts a row per
    # round trip when it must return ids in order, inside that one executemany.
    event_name = "before_cursor_execute" if engine.dialect.name == "postgresql" else "before_execute"
    counts, kinds = {}, {}
    for code in ("shenyang-s", "shenyang-l"):
        session, tenant = _bound(sessions, code)
        try:
            # a stricter absence limit (a dated parameter value of the tenant): members are removed
            # in both tenants, so every kind of consequence occurs in both
            session.add(
                m.ParameterValue(
                    param_id="sy.member.max_absence_ratio",
                    value="0.2",
                    valid_from=dt.date(2020, 1, 1),
                    basis="第十一条3",
                    reason="test",
                )
            )
            session.commit()
            proposals = assessments.propose_all(session, jurisdictions, ANNUAL, today=SYNTH_TODAY)
            seen = assessments.fingerprint(proposals)
            expected = {
                p.studio.id: (
                    json.dumps(p.outcome.to_json("en"), sort_keys=True),
                    sorted(ms.id for ms, _r in p.removals),
                    p.recovery_fen,
                    p.disqualify,
                )
                for p in proposals
                if p.storable
            }
            job_id = _job(session, code, seen).id
            session.rollback()
            n = 0

            def count(*_args):
                nonlocal n
                n += 1

            event.listen(engine, event_name, count)
            try:
                result = _confirm_job(session, jurisdictions, job_id)
            finally:
                event.remove(engine, event_name, count)
            counts[code] = (n, result["stored"])
            assert result["stored"] == len(expected) > 0
            records = select(m.AssessmentRecord).where(m.AssessmentRecord.period == "2025")
            stored = {r.studio_id: r for r in session.scalars(records)}
            assert set(stored) == set(expected)
            recovered = 0
            for studio_id, (result_json, removed, recovery_fen, disqualify) in expected.items():
                record = stored[studio_id]
                assert json.dumps(record.result["en"], sort_keys=True) == result_json
                assert sorted(record.applied["memberships"]) == removed
                assert (record.applied["recovery_id"] is not None) == (recovery_fen > 0)
                assert (record.applied["status_before"] is not None) == disqualify
                if record.applied["recovery_id"]:
                    allocation = session.get(m.FundAllocation, record.applied["recovery_id"])
                    assert allocation.studio_id == studio_id and allocation.amount_fen == -recovery_fen
                    recovered += 1
            audits = session.scalar(
                select(func.count())
                .select_from(m.AuditEntry)
                .where(m.AuditEntry.action == "store_assessment", m.AuditEntry.tenant_id == tenant.id)
            )
            assert audits == len(expected)
            assert recovered == sum(1 for e in expected.values() if e[2] > 0)
            kinds[code] = {
                "removal": any(e[1] for e in expected.values()),
                "recovery": recovered > 0,
                "disqualification": any(e[3] for e in expected.values()),
            }
        finally:
            session.close()
    assert kinds["shenyang-s"] == kinds["shenyang-l"] == {"removal": True, "recovery": True, "disqualification": True}
    (small, n_small), (large, n_large) = counts["shenyang-s"], counts["shenyang-l"]
    assert n_large >= 4 * n_small > 0
    assert small == large, f"{small} statements for {n_small} studios, {large} for {n_large}"


def test_a_proposal_confirmed_meanwhile_is_refused_and_nothing_is_stored(database_url, sessions, jurisdictions) -> None:
    synth(sessions, jurisdictions, studios=4 * 6, seed=6)
    session, _tenant = _bound(sessions, "shenyang")
    try:
        seen = _seen(session, jurisdictions)
        job_id = _job(session, "shenyang", seen).id
        studio = assessments.assessable_studios(session)[0]
        admin = actor_for(session, session.get(m.User, session.get(m.Job, job_id).requested_by_id), today=SYNTH_TODAY)
        one = assessments.propose(session, jurisdictions, studio, ANNUAL, today=SYNTH_TODAY)
        assessments.confirm(
            session, admin, jurisdictions, ANNUAL, today=SYNTH_TODAY, seen=assessments.fingerprint([one]), studio=studio
        )
        session.commit()
        before = _records(session)
        with pytest.raises(Exception, match="the data changed"):
            _confirm_job(session, jurisdictions, job_id)
        session.rollback()
        assert _records(session) == before == 1
    finally:
        session.close()


def test_a_confirmation_cannot_store_between_the_jobs_check_and_its_write(
    database_url, engine, sessions, jurisdictions, monkeypatch
) -> None:
    """Thread race: while the job stores (after it recomputed and checked), a single confirmation of
    one of its studios starts. It waits on the lock, then sees the job's result and is refused: each
    studio has one record, consequences applied once."""
    synth(sessions, jurisdictions, studios=4 * 6, seed=6)
    session, tenant = _bound(sessions, "shenyang")
    try:
        seen = _seen(session, jurisdictions)
        job_id = _job(session, "shenyang", seen).id
        # a studio whose storing takes no row lock the job holds (no disqualification, no recovery):
        # only the confirmation lock keeps the two apart
        one = next(
            p
            for p in assessments.propose_all(session, jurisdictions, ANNUAL, today=SYNTH_TODAY)
            if p.storable and not p.disqualify and not p.recovery_fen and not p.removals
        )
        studio = one.studio
        seen_one, studio_id, tenant_id = assessments.fingerprint([one]), studio.id, tenant.id
        admin = actor_for(session, session.get(m.User, session.get(m.Job, job_id).requested_by_id), today=SYNTH_TODAY)
        storable = sum(
            1 for p in assessments.propose_all(session, jurisdictions, ANNUAL, today=SYNTH_TODAY) if p.storable
        )
        session.rollback()
    finally:
        session.close()

    storing = threading.Event()
    real = assessments._store_many

    def slow_store(session, actor, proposals):
        records = real(session, actor, proposals)
        if threading.current_thread().name == "job" and not storing.is_set():
            storing.set()  # written, not committed: the other confirmation starts now
            time.sleep(3.0)
        return records

    monkeypatch.setattr(assessments, "_store_many", slow_store)

    def job(session):
        threading.current_thread().name = "job"
        return _confirm_job(session, jurisdictions, job_id)["stored"]

    def single(session):
        assert storing.wait(timeout=60)
        studio = session.get(m.Studio, studio_id)
        records = assessments.confirm(
            session, admin, jurisdictions, ANNUAL, today=SYNTH_TODAY, seen=seen_one, studio=studio
        )
        return len(records)

    outcomes = race(None, tenant_id, [job, single], factory=sessions)
    assert outcomes == [storable, "refused"], outcomes
    with sessions() as check:
        bind_tenant(check, tenant_id)
        per_studio = dict(
            check.execute(
                select(m.AssessmentRecord.studio_id, func.count())
                .where(m.AssessmentRecord.period == "2025")
                .group_by(m.AssessmentRecord.studio_id)
            ).all()
        )
        assert per_studio[studio_id] == 1 and set(per_studio.values()) == {1} and len(per_studio) == storable
        recoveries = check.scalar(
            select(func.count())
            .select_from(m.FundAllocation)
            .where(m.FundAllocation.studio_id == studio_id, m.FundAllocation.source == "recovery")
        )
        assert recoveries <= 1
