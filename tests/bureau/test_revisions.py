"""Fact revisions and the results kept under them (issue 15: a studio's page computes its checks once
per revision, not once per view): every write raises the revisions it changes, a kept result is never
served for other facts, and a transaction's own uncommitted writes are never answered from the cache."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event, select, update

from mingshi.core import cache, revisions
from mingshi.core import models as m
from mingshi.core.services import facts as facts_service
from mingshi.core.services import workspace as ws
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.tenancy import _statement_tables
from tests.bureau.conftest import TODAY
from tests.conftest import postgres_only


def _revs(t, studio_id: int) -> tuple[int, int]:
    t.session.commit()
    tenant = t.session.execute(select(m.Tenant.facts_rev).where(m.Tenant.id == t.tenant.id)).scalar_one()
    studio = t.session.execute(select(m.Studio.facts_rev).where(m.Studio.id == studio_id)).scalar_one()
    return tenant, studio


def _studio(t, index: int = 0) -> m.Studio:
    return t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).all()[index]


def _fresh_checks(t, studio: m.Studio) -> list:
    """The members tab's checks computed from the database, no kept result involved."""
    outcome = evaluate(
        t.session, t.jurisdictions, studio, EvaluationSpec("application", date=TODAY), apply_removals=False
    )
    rules = ws.jurisdiction_of(t.session, t.jurisdictions).rules
    return [c for c in outcome.evaluation.criteria if rules[c.id].kind in ("composition", "application")]


def test_the_tables_the_rules_read_are_never_taken_for_tables_without_facts(tenant_of) -> None:
    """Whatever ``load_facts`` reads must raise a revision when written: a table it reads that were
    listed in NOT_FACTS would let a kept result outlive the facts it came from."""
    t = tenant_of("wenzhou")
    read: set[str] = set()

    def record(state) -> None:
        if state.is_select:
            read.update(getattr(table, "name", "") for table in _statement_tables(state.statement))

    event.listen(t.session, "do_orm_execute", record)
    studio = _studio(t)
    facts_service.load_studio_facts(
        t.session,
        studio,
        jurisdiction=t.tenant.jurisdiction,
        as_of=TODAY,
        params=ws.jurisdiction_of(t.session, t.jurisdictions).paramset(
            facts_service.tenant_parameter_values(t.session)
        ),
    )
    event.remove(t.session, "do_orm_execute", record)
    assert {"activities", "attendance", "memberships", "people"} <= read
    assert not (read & revisions.NOT_FACTS), read & revisions.NOT_FACTS


def test_a_write_to_a_studio_record_raises_that_studio_alone(tenant_of) -> None:
    t = tenant_of("shenyang")
    studio, other = _studio(t, 0), _studio(t, 1)
    tenant_before, studio_before = _revs(t, studio.id)
    other_before = _revs(t, other.id)[1]
    activity = t.session.scalars(select(m.Activity).where(m.Activity.studio_id == studio.id)).first()
    activity.title = (activity.title or "") + " (corrected)"
    assert _revs(t, studio.id) == (tenant_before, studio_before + 1)
    assert _revs(t, other.id)[1] == other_before


def test_attendance_raises_the_studio_of_its_activity(tenant_of) -> None:
    t = tenant_of("wenzhou")
    row = t.session.scalars(select(m.Attendance).order_by(m.Attendance.id)).first()
    studio_id = t.session.get(m.Activity, row.activity_id).studio_id
    tenant_before, before = _revs(t, studio_id)
    row = t.session.get(m.Attendance, row.id)
    t.session.delete(row)
    assert _revs(t, studio_id) == (tenant_before, before + 1)


def test_a_person_or_a_parameter_raises_the_tenant(tenant_of) -> None:
    t = tenant_of("lianyungang")
    studio = _studio(t)
    tenant_before, studio_before = _revs(t, studio.id)
    person = t.session.scalars(select(m.Person).order_by(m.Person.id)).first()
    person.name = person.name + "·"
    assert _revs(t, studio.id) == (tenant_before + 1, studio_before)
    # a statement through the session, not a row: the tenant, whatever the statement touched
    t.session.execute(update(m.Person).where(m.Person.id == person.id).values(name=person.name.rstrip("·")))
    assert _revs(t, studio.id) == (tenant_before + 2, studio_before)


def test_a_write_without_facts_or_a_rollback_raises_nothing(tenant_of) -> None:
    t = tenant_of("wushen")
    studio = _studio(t)
    before = _revs(t, studio.id)
    t.session.add(
        m.AuditEntry(tenant_id=t.tenant.id, action="test", entity="studio", entity_id=studio.id, user_name="t")
    )
    assert _revs(t, studio.id) == before
    activity = t.session.scalars(select(m.Activity).where(m.Activity.studio_id == studio.id)).first()
    activity.title = "never saved"
    t.session.flush()
    t.session.rollback()
    assert _revs(t, studio.id) == before


def test_the_writing_session_reads_its_own_new_revision(tenant_of) -> None:
    t = tenant_of("shenyang")
    studio = _studio(t)
    rev = studio.facts_rev
    activity = t.session.scalars(select(m.Activity).where(m.Activity.studio_id == studio.id)).first()
    activity.title = (activity.title or "") + "!"
    t.session.commit()
    # the session keeps its rows after a commit (expire_on_commit=False): the revision was copied onto them
    assert studio.facts_rev == rev + 1


@pytest.mark.parametrize("code", ["shenyang", "lianyungang", "wenzhou", "wushen"])
def test_a_kept_check_follows_every_change_of_the_team(tenant_of, code) -> None:
    """The members tab's checks, read through the cache, equal a fresh evaluation after each write."""
    t = tenant_of(code)
    cache.results.clear()
    studio = _studio(t)
    first = ws.live_checks(t.session, t.jurisdictions, studio, TODAY)
    assert first == _fresh_checks(t, studio)
    assert ws.live_checks(t.session, t.jurisdictions, studio, TODAY) == first
    assert cache.results.hits >= 1
    # remove every member but the host: the composition changes
    for membership in ws.memberships(t.session, studio):
        if membership.role != "host" and membership.left is None:
            membership.left = TODAY - dt.timedelta(days=1)
            membership.removal_reason = "test"
            membership.removal_rule = "manual"
    # not committed yet: the session's own writes are never answered from the cache
    assert revisions.dirty(t.session)
    uncommitted = ws.live_checks(t.session, t.jurisdictions, studio, TODAY)
    assert uncommitted == _fresh_checks(t, studio)
    t.session.commit()
    after = ws.live_checks(t.session, t.jurisdictions, studio, TODAY)
    assert after == _fresh_checks(t, studio)
    assert after != first, "removing the team must change a composition check"
    # another day is another result
    assert ws.live_checks(t.session, t.jurisdictions, studio, TODAY + dt.timedelta(days=1)) == [
        c
        for c in evaluate(
            t.session,
            t.jurisdictions,
            studio,
            EvaluationSpec("application", date=TODAY + dt.timedelta(days=1)),
            apply_removals=False,
        ).evaluation.criteria
        if ws.jurisdiction_of(t.session, t.jurisdictions).rules[c.id].kind in ("composition", "application")
    ]


def test_a_write_in_another_session_is_seen_by_the_next_reader(app, tenant_of) -> None:
    """Two processes share nothing but the database: the revision read with the studio decides."""
    reader, writer = tenant_of("wenzhou"), tenant_of("wenzhou")
    cache.results.clear()
    studio = _studio(reader)
    before = ws.live_checks(reader.session, reader.jurisdictions, studio, TODAY)
    reader.session.commit()
    for membership in ws.memberships(writer.session, writer.session.get(m.Studio, studio.id)):
        if membership.role != "host" and membership.left is None:
            membership.left = TODAY - dt.timedelta(days=1)
            membership.removal_reason = "test"
            membership.removal_rule = "manual"
    writer.session.commit()
    # a new request of the reader's process: a new session reads the studio (and its revision) anew
    fresh = tenant_of("wenzhou")
    again = fresh.session.get(m.Studio, studio.id)
    after = ws.live_checks(fresh.session, fresh.jurisdictions, again, TODAY)
    assert after == _fresh_checks(fresh, again)
    assert after != before


def test_the_progress_bars_and_the_progress_tab_share_one_kept_result(tenant_of) -> None:
    t = tenant_of("lianyungang")
    cache.results.clear()
    studios = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).all()[:3]
    bars = ws.progress_many(t.session, t.jurisdictions, studios, TODAY)
    periods = {s.id: ws.progress_spec_period(t.session, t.jurisdictions, s, TODAY) for s in studios}
    kept = {s.id: ws.quota_progress(t.session, t.jurisdictions, s, periods[s.id][1], periods[s.id][0]) for s in studios}
    assert cache.results.hits >= len(studios)
    cache.results.resize(0)
    try:
        fresh = {
            s.id: ws.quota_progress(t.session, t.jurisdictions, s, periods[s.id][1], periods[s.id][0]) for s in studios
        }
    finally:
        cache.results.resize(cache.DEFAULT_SIZE)
    assert bars == kept == fresh


def test_progress_of_studios_kept_and_not_kept_together_is_each_ones_own(tenant_of) -> None:
    """A page asking for studios some of whose progress is kept: the kept ones keep theirs."""
    t = tenant_of("lianyungang")
    cache.results.clear()
    studios = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).all()[:3]
    alone = ws.progress_many(t.session, t.jurisdictions, studios[:1], TODAY)  # kept
    assert alone[studios[0].id]
    together = ws.progress_many(t.session, t.jurisdictions, studios, TODAY)
    assert together[studios[0].id] == alone[studios[0].id]
    cache.results.resize(0)
    try:
        fresh = ws.progress_many(t.session, t.jurisdictions, studios, TODAY)
    finally:
        cache.results.resize(cache.DEFAULT_SIZE)
    assert together == fresh
    assert ws.progress_many(t.session, t.jurisdictions, studios, TODAY) == fresh  # all kept now


@postgres_only
def test_concurrent_writers_of_one_studio_each_raise_its_revision(app, tenant_of) -> None:
    """Writers released together: each commit raises the revision once (the UPDATE reads the row under
    its lock), so no two states of the facts ever share a revision."""
    t = tenant_of("shenyang")
    studio = _studio(t)
    _tenant_rev, before = _revs(t, studio.id)
    writers = 6
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        w = tenant_of("shenyang")
        try:
            w.session.add(m.Activity(studio_id=studio.id, date=TODAY, type="other", title=f"race {i}"))
            w.session.flush()
            barrier.wait(timeout=30)
            w.session.commit()
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert _revs(t, studio.id)[1] == before + writers
