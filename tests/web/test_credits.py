"""The credit recognition pages (温州 第九条 学分认定): the studio's tab shows the proposal to the bureau
and the confirmed credits to everyone who sees the studio; the administrator confirms what they saw,
corrects or withdraws with a reason; the list, the jobs for every studio, the export, the person's page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mingshi.core import jobs
from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant


@pytest.fixture
def immediate_queue(monkeypatch):
    monkeypatch.setenv("MINGSHI_QUEUE_URL", "memory://")
    jobs.reset_queue()
    yield
    jobs.reset_queue()


def _text(response) -> str:
    return response.get_data(as_text=True)


def _seen(html: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]+)"', html).group(1)


def _session(app):
    session = app.extensions["mingshi"]["sessions"]()
    bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "wenzhou")))
    return session


def _ended(app) -> tuple[int, int]:
    with _session(app) as s:
        confirmed, proposed = s.scalars(select(m.Studio.id).where(m.Studio.status == "completed").order_by(m.Studio.id))
        return confirmed, proposed


def _states(app, studio_id: int) -> list[str]:
    with _session(app) as s:
        return sorted(s.scalars(select(m.CreditRecognition.state).where(m.CreditRecognition.studio_id == studio_id)))


def test_the_admin_sees_the_proposal_and_confirms_what_was_seen(visitor, app) -> None:
    _confirmed, proposed = _ended(app)
    visitor.login("wenzhou-admin")
    html = _text(visitor.get(f"/wenzhou/studios/{proposed}/credits"))
    assert 'id="credit-proposal"' in html and 'id="confirm-credits"' in html
    assert "学分认定" in html and "第九条" in html and "学员" in html
    assert "wz.credit" not in html and "trainee" not in html  # labels, not codes
    seen = _seen(html)
    before = _states(app, proposed)
    assert set(before) == {"proposed"}
    response = visitor.post(f"/wenzhou/studios/{proposed}/credits", {"seen": seen, "action": "confirm"})
    assert response.status_code == 303
    assert set(_states(app, proposed)) == {"confirmed"} and len(_states(app, proposed)) == len(before)
    # the same confirmation again: the page changed meanwhile, it is refused by name and nothing is written
    again = visitor.post(f"/wenzhou/studios/{proposed}/credits", {"seen": seen, "action": "confirm"})
    assert again.status_code == 422 and "预览后数据已变化" in _text(again)
    assert set(_states(app, proposed)) == {"confirmed"}


def test_a_bad_form_names_the_problem(visitor, app) -> None:
    _confirmed, proposed = _ended(app)
    visitor.login("wenzhou-admin")
    response = visitor.post(f"/wenzhou/studios/{proposed}/credits", {"seen": "x", "action": "everything"}, htmx=True)
    assert response.status_code == 422 and 'id="credits"' in _text(response)
    assert set(_states(app, proposed)) == {"proposed"}


def test_correct_and_withdraw_keep_what_was_typed_and_name_the_field(visitor, app) -> None:
    confirmed, _proposed = _ended(app)
    with _session(app) as s:
        row = s.scalars(
            select(m.CreditRecognition).where(
                m.CreditRecognition.studio_id == confirmed, m.CreditRecognition.role == "host"
            )
        ).one()
        row_id = row.id
    visitor.login("wenzhou-admin")
    bad = visitor.post(f"/wenzhou/studios/{confirmed}/credits/{row_id}/correct", {"credits": "1e3", "reason": "笔误"})
    html = _text(bad)
    assert bad.status_code == 422 and 'value="1e3"' in html and 'value="笔误"' in html and 'aria-invalid="true"' in html
    no_reason = visitor.post(f"/wenzhou/studios/{confirmed}/credits/{row_id}/withdraw", {"reason": ""})
    assert no_reason.status_code == 422
    ok = visitor.post(f"/wenzhou/studios/{confirmed}/credits/{row_id}/correct", {"credits": "25.5", "reason": "笔误"})
    assert ok.status_code == 303
    with _session(app) as s:
        assert s.get(m.CreditRecognition, row_id).hundredths == 2550
        entry = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "correct_credit")).one()
        assert entry.before == {"credits": "30"} and entry.after == {"credits": "25.5", "reason": "笔误"}
    gone = visitor.post(f"/wenzhou/studios/{confirmed}/credits/{row_id}/withdraw", {"reason": "另行认定"})
    assert gone.status_code == 303
    html = _text(visitor.get(f"/wenzhou/studios/{confirmed}/credits"))
    assert 'id="credits-withdrawn"' in html and "另行认定" in html


def test_a_member_sees_the_confirmed_credits_and_no_form(visitor, app) -> None:
    confirmed, proposed = _ended(app)
    with _session(app) as s:
        person_id = s.scalars(
            select(m.CreditRecognition.person_id).where(
                m.CreditRecognition.studio_id == confirmed, m.CreditRecognition.hundredths > 0
            )
        ).first()
    visitor.login("wenzhou-reviewer")  # sees every studio, changes nothing
    html = _text(visitor.get(f"/wenzhou/studios/{confirmed}/credits"))
    assert 'data-state="confirmed"' in html and '<form method="post"' not in html.split('id="credits"')[1]
    person = _text(visitor.get(f"/wenzhou/people/{person_id}"))
    assert 'id="person-credits"' in person and "第九条" in person
    refused = visitor.post(f"/wenzhou/studios/{proposed}/credits", {"seen": "x", "action": "confirm"})
    assert refused.status_code in (403, 404)


def test_other_cities_have_no_credit_pages(visitor, app) -> None:
    visitor.login("shenyang-admin")
    assert visitor.get("/shenyang/credits").status_code == 404
    assert "学分认定" not in _text(visitor.get("/shenyang/"))


def test_the_list_the_jobs_and_the_export(visitor, app, immediate_queue) -> None:
    _confirmed, proposed = _ended(app)
    visitor.login("wenzhou-admin")
    listed = _text(visitor.get("/wenzhou/credits"))
    assert 'id="credit-table"' in listed and listed.count("data-studio=") == 2
    response = visitor.post("/wenzhou/credits/proposal")
    assert response.status_code == 303
    job = _text(visitor.get(response.headers["Location"]))
    assert 'data-state="done"' in job and 'id="confirm-all-credits"' in job
    job_id = re.search(r'name="seen" value="(\d+)"', job).group(1)
    confirmed = visitor.post("/wenzhou/credits", {"seen": job_id})
    assert confirmed.status_code == 303
    done = _text(visitor.get(confirmed.headers["Location"]))
    assert 'data-state="done"' in done and 'data-confirmed="' in done
    assert set(_states(app, proposed)) == {"confirmed"}
    # confirming the same proposal again: refused by the job, nothing written twice
    again = visitor.post("/wenzhou/credits", {"seen": job_id})
    assert 'data-state="failed"' in _text(visitor.get(again.headers["Location"]))
    xlsx = visitor.get("/wenzhou/credits.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    rows = list(sheet.values)
    assert len(rows) > 20 and "学员" in {r[3] for r in rows[1:]}
    assert not any(r[3] == "trainee" or r[3] == "host" for r in rows[1:])


def _statements(app, visitor, path: str) -> int:
    from sqlalchemy import event

    engine = app.extensions["mingshi"]["engine"]
    count = [0]

    def counted(_conn, _cursor, statement, *_a) -> None:
        count[0] += 1
        import os

        if os.environ.get("SHOW_SQL"):
            print("SQL", statement[:160].replace("\n", " "))

    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = visitor.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert response.status_code == 200
    return count[0]


def test_the_tab_reads_a_constant_number_of_statements_whatever_the_team(visitor, app) -> None:
    import datetime as dt

    from mingshi.core.services import assessments, credits
    from mingshi.core.services.access import actor_for
    from tests.web.conftest import TODAY

    _confirmed, proposed = _ended(app)
    visitor.login("wenzhou-admin")
    path = f"/wenzhou/studios/{proposed}/credits"
    before = _statements(app, visitor, path)
    lines_before = _text(visitor.get(path)).count("data-person=")
    with _session(app) as s:
        studio = s.get(m.Studio, proposed)
        admin = actor_for(s, s.scalar(select(m.User).where(m.User.username == "wenzhou-admin")), today=TODAY)
        school = s.scalars(select(m.School).where(m.School.county == studio.county)).first()
        for i in range(8):
            person = m.Person(name=f"新学员{i}", school=school)
            s.add(person)
            s.flush()
            s.add(m.Membership(studio_id=studio.id, person_id=person.id, role="trainee", joined=dt.date(2023, 1, 1)))
        s.flush()
        record = assessments.latest_record(s, studio, credits.CYCLE)
        assessments.withdraw(s, admin, record, reason="team corrected", today=TODAY)
        s.expire_all()
        studio = s.get(m.Studio, proposed)
        assessments.store(s, admin, assessments.run(s, app.extensions["mingshi"]["jurisdictions"], studio,
                                                    credits.CYCLE), today=TODAY)  # fmt: skip
        s.commit()
    assert _text(visitor.get(path)).count("data-person=") == lines_before + 8
    assert _statements(app, visitor, path) <= before


def test_a_credit_of_another_studio_or_tenant_is_not_found(visitor, app) -> None:
    confirmed, proposed = _ended(app)
    with _session(app) as s:
        row_id = s.scalars(select(m.CreditRecognition.id).where(m.CreditRecognition.studio_id == confirmed)).first()
    visitor.login("wenzhou-admin")
    # the credit named under another studio of the same tenant
    assert visitor.post(f"/wenzhou/studios/{proposed}/credits/{row_id}/withdraw", {"reason": "x"}).status_code == 404
    assert (
        visitor.post(
            f"/wenzhou/studios/{proposed}/credits/{row_id}/correct", {"credits": "1", "reason": "x"}
        ).status_code
        == 404
    )
    # another tenant's administrator
    visitor.login("shenyang-admin")
    assert visitor.get(f"/wenzhou/studios/{confirmed}/credits").status_code in (403, 404)
    assert visitor.post(f"/wenzhou/studios/{confirmed}/credits/{row_id}/withdraw", {"reason": "x"}).status_code in (
        403,
        404,
    )
    with _session(app) as s:
        assert s.get(m.CreditRecognition, row_id).state == "confirmed"
