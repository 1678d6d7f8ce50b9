"""From a number to its proof (issue 17): beside each criterion, the records it counted and their files."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.rules.records import counted, parse_ref, record_ref
from mingshi.core.rules.results import Criterion, Status
from mingshi.core.services import assessments, proof
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.services.evaluation import _criterion_json
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import other_studio_of, studio_of

TENANT = "lianyungang"


def _session(app, tenant: str = TENANT):
    session = app.extensions["mingshi"]["sessions"]()
    tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant))
    bind_tenant(session, tenant_id)
    return session


def _certified_award(app, jurisdictions):
    """The demo's award with a certificate, its studio, and a criterion of the annual assessment that counted it."""
    with _session(app) as session:
        row = session.scalar(select(m.Evidence).where(m.Evidence.award_id.is_not(None)).order_by(m.Evidence.id))
        award = session.get(m.StudentAward, row.award_id)
        studio = session.get(m.Studio, award.studio_id)
        spec = assessments.spec_for("annual", award.date.year)
        outcome = assessments.run(session, jurisdictions, studio, spec)
        ref = record_ref("award", award.id)
        criterion = next(c for c in outcome.evaluation.criteria if ref in c.counted)
        return row.id, row.filename, row.sha256, studio.id, award.date.year, criterion.id


def test_a_reviewer_goes_from_a_criterion_to_its_certificate(visitor, app, jurisdictions) -> None:
    evidence_id, filename, sha256, studio_id, year, rule_id = _certified_award(app, jurisdictions)
    visitor.login(f"{TENANT}-reviewer")
    page = visitor.get(f"/{TENANT}/studios/{studio_id}/assessment?kind=annual&year={year}").get_data(as_text=True)
    link = re.search(
        rf'href="([^"]+)" hx-get="[^"]+" hx-target="#proof-\d+" hx-swap="innerHTML" data-proof="{rule_id}"', page
    )
    assert link, "the criterion that counted the award offers its original material"
    assert "查看原始材料" in page
    url = link.group(1).replace("&amp;", "&")

    fragment = visitor.get(url, htmx=True)
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and f'data-proof-for="{rule_id}"' in text
    assert filename in text and f"/{TENANT}/files/{evidence_id}" in text
    assert "学生获奖" in text  # the record's kind, in the reader's language

    full = visitor.get(url)
    assert full.status_code == 200
    body = full.get_data(as_text=True)
    assert "<html" in body and filename in body and 'id="proof-criteria"' in body

    download = visitor.get(f"/{TENANT}/files/{evidence_id}")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == sha256


def test_without_a_rule_the_page_shows_the_first_criterion_that_counted_records(visitor, app, jurisdictions) -> None:
    _e, _f, _s, studio_id, year, _rule = _certified_award(app, jurisdictions)
    visitor.login(f"{TENANT}-admin")
    response = visitor.get(f"/{TENANT}/studios/{studio_id}/assessment/proof?kind=annual&year={year}")
    assert response.status_code == 200
    assert 'aria-current="page"' in response.get_data(as_text=True)


def test_the_path_is_scoped_to_who_may_see_the_studio(visitor, app, jurisdictions) -> None:
    _e, _f, _s, studio_id, year, rule_id = _certified_award(app, jurisdictions)
    query = f"?kind=annual&year={year}&rule={rule_id}"
    # not signed in: to the sign-in page
    assert visitor.get(f"/{TENANT}/studios/{studio_id}/assessment/proof{query}").status_code in (302, 303)
    # a host of another studio of the same city
    host_studio = studio_of(app, TENANT, f"{TENANT}-host")
    other = studio_id if host_studio.id != studio_id else other_studio_of(app, TENANT, studio_id).id
    visitor.login(f"{TENANT}-host")
    assert visitor.get(f"/{TENANT}/studios/{other}/assessment/proof{query}").status_code == 404
    visitor.client.get("/logout")
    # another city's reviewer, with this city's studio id under their own city
    visitor.login("shenyang-reviewer")
    assert visitor.get(f"/shenyang/studios/{studio_id}/assessment/proof{query}").status_code == 404
    visitor.client.get("/logout")
    # a rule the assessment has not
    visitor.login(f"{TENANT}-reviewer")
    assert (
        visitor.get(f"/{TENANT}/studios/{studio_id}/assessment/proof?kind=annual&year={year}&rule=nope").status_code
        == 404
    )


def _statements(session, work) -> int:
    seen = []

    def count(*_args) -> None:
        seen.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_counted_records_cost_the_same_statements_for_one_record_or_many_and_page(app) -> None:
    with _session(app) as session:
        studio = studio_of(app, TENANT, f"{TENANT}-host")
        studio = session.get(m.Studio, studio.id)
        refs = [
            record_ref("activity", i)
            for i in session.scalars(select(m.Activity.id).where(m.Activity.studio_id == studio.id))
        ]
        refs += [
            record_ref("award", i)
            for i in session.scalars(select(m.StudentAward.id).where(m.StudentAward.studio_id == studio.id))
        ]
        assert len(refs) > 3
        actor = Actor(user_id=None, name="t", tenant_id=studio.tenant_id, roles=frozenset({"reviewer"}))
        session.expire_all()
        one = _statements(session, lambda: proof.counted_records(session, actor, studio, refs[:1]))
        session.expire_all()
        many = _statements(session, lambda: proof.counted_records(session, actor, studio, refs))
        assert one == many
        page = proof.counted_records(session, actor, studio, refs, limit=2, offset=2)
        assert page.total == len(refs) and [f"{r.kind}:{r.id}" for r in page.rows] == refs[2:4]


def test_a_record_of_another_studio_is_never_shown(app) -> None:
    with _session(app) as session:
        studio = session.get(m.Studio, studio_of(app, TENANT, f"{TENANT}-host").id)
        other = other_studio_of(app, TENANT, studio.id)
        foreign = session.scalar(select(m.Activity.id).where(m.Activity.studio_id == other.id))
        own = session.scalar(select(m.Activity.id).where(m.Activity.studio_id == studio.id))
        actor = Actor(user_id=None, name="t", tenant_id=studio.tenant_id, roles=frozenset({"admin"}))
        page = proof.counted_records(
            session, actor, studio, [record_ref("activity", own), record_ref("activity", foreign)]
        )
        assert [r.id for r in page.rows] == [own] and page.missing == 1
        stranger = Actor(
            user_id=None, name="t", tenant_id=studio.tenant_id, roles=frozenset({"host"}), hosted=frozenset({other.id})
        )
        with pytest.raises(Forbidden):
            proof.counted_records(session, stranger, studio, [record_ref("activity", own)])


def test_references_on_both_sides_of_their_boundary() -> None:
    assert record_ref("award", 1) == "award:1" and parse_ref("award:1") == ("award", 1)
    for bad in ("award:0", "award:", "prize:1", "award:-1", "award:1.5", "award"):
        with pytest.raises(ValueError):
            parse_ref(bad)
    with pytest.raises(ValueError):
        record_ref("award", 0)


def test_a_criterion_keeps_what_it_counted_in_its_json_and_old_ones_count_nothing() -> None:
    class Fact:
        def __init__(self, record):
            self.record = record

    refs = counted([Fact("award:2"), Fact(None), Fact("award:2")], [Fact("output:5")])
    assert refs == ("award:2", "output:5")
    c = Criterion("x", Status.MET, "第一条", Text("t"), value=2, target=1, counted=refs)
    assert _criterion_json(c, "en")["counted"] == ["award:2", "output:5"]
    old = Criterion("x", Status.MET, "第一条", Text("t"))
    assert old.counted == () and "counted" not in _criterion_json(old, "en")


def test_a_persons_own_criterion_opens_what_it_counted(visitor, app, jurisdictions) -> None:
    """A member's criterion (here: the absences of the first member with any) shows the activities behind it."""
    found = None
    with _session(app, "shenyang") as session:
        for studio in session.scalars(select(m.Studio).where(m.Studio.cycle_start.is_not(None))).all():
            for year in (2025, 2026):
                outcome = assessments.run(session, jurisdictions, studio, assessments.spec_for("annual", year))
                for r in outcome.members:
                    for c in r.criteria:
                        if c.counted and found is None:
                            found = (studio.id, year, r.person, c.id, list(c.counted))
    if found is None:
        pytest.skip("no member criterion of the demo counted records")
    studio_id, year, person, rule_id, refs = found
    visitor.login("shenyang-reviewer")
    url = f"/shenyang/studios/{studio_id}/assessment/proof?kind=annual&year={year}&rule={rule_id}&person={person}"
    text = visitor.get(url, htmx=True).get_data(as_text=True)
    for ref in refs[: proof.PROOF_PAGE]:
        assert f'data-counted="{ref}"' in text
    # a person the assessment has not: not found
    missing = url.replace(f"person={person}", "person=nobody")
    assert visitor.get(missing).status_code == 404


def _allocation(session, studio, year: int, fen: int, source: str = "school_matching") -> m.FundAllocation:
    row = m.FundAllocation(studio_id=studio.id, year=year, source=source, amount_fen=fen, basis="test")
    session.add(row)
    session.flush()
    return row


def test_a_fund_allocation_is_shown_with_its_year_and_amount_and_no_files(app) -> None:
    with _session(app) as session:
        studio = session.get(m.Studio, studio_of(app, TENANT, f"{TENANT}-host").id)
        other = other_studio_of(app, TENANT, studio.id)
        own = _allocation(session, studio, 2026, 500_000)
        foreign = _allocation(session, session.get(m.Studio, other.id), 2026, 700_000)
        activity = session.scalar(select(m.Activity.id).where(m.Activity.studio_id == studio.id))
        actor = Actor(user_id=None, name="t", tenant_id=studio.tenant_id, roles=frozenset({"reviewer"}))
        refs = [
            record_ref("allocation", own.id),
            record_ref("allocation", foreign.id),
            record_ref("activity", activity),
        ]
        page = proof.counted_records(session, actor, studio, refs)
        assert [(r.kind, r.id) for r in page.rows] == [("allocation", own.id), ("activity", activity)]
        assert page.missing == 1  # another studio's allocation is never shown
        row = page.rows[0]
        assert (row.year, row.amount_fen, row.has_files, row.files, row.vocabulary) == (2026, 500_000, False, (), None)
        assert row.type_label("zh_CN") == "学校配套经费" and row.type_label("en") == "school matching funds"
        assert page.rows[1].has_files and page.rows[1].type_label is None
        # allocations among the records cost no statement more for many than for one (of each kind)
        many = [record_ref("allocation", _allocation(session, studio, 2025, 100 * k).id) for k in range(1, 5)]
        session.expire_all()
        one = _statements(session, lambda: proof.counted_records(session, actor, studio, [refs[0], refs[2]]))
        session.expire_all()
        assert _statements(session, lambda: proof.counted_records(session, actor, studio, refs + many)) == one
        session.rollback()


def test_a_reviewer_opens_the_allocations_behind_the_matching_funds(visitor, app, jurisdictions) -> None:
    """lyg.assess.c10 counts the school's matching funds: its proof lists the allocation, without files."""
    with _session(app) as session:
        studio = session.get(m.Studio, studio_of(app, TENANT, f"{TENANT}-host").id)
        allocation = _allocation(session, studio, 2026, 500_000)
        studio_id, allocation_id = studio.id, allocation.id
        session.commit()
    visitor.login(f"{TENANT}-reviewer")
    url = f"/{TENANT}/studios/{studio_id}/assessment/proof?kind=annual&year=2026&rule=lyg.assess.c10"
    response = visitor.get(url, htmx=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f'data-counted="allocation:{allocation_id}"' in text
    assert "经费拨付" in text and "学校配套经费" in text and "5,000.00" in text
    assert "不附文件" in text and f"/evidence/allocation/{allocation_id}" not in text
