"""Per-person judgements (issue 13, observation 10): the jurisdiction declares them (hook
``mingshi_terms``); whom its policy names records one for a member — value and note — on the members
tab; it is stored with who and when, shown on the members tab and the person page, audited, and read by
the plugin's rule through the facts: ``pending`` until recorded, never assumed."""

from __future__ import annotations

import re

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _a_member(app, studio: m.Studio) -> tuple[int, str]:
    studio_id = studio.id
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        ms = session.scalars(
            select(m.Membership)
            .where(m.Membership.studio_id == studio_id, m.Membership.role == "member", m.Membership.left.is_(None))
            .order_by(m.Membership.id)
        ).first()
        return ms.person_id, ms.person.name


def _member_status(app, jurisdictions, studio: m.Studio, person_id: int, rule: str, year: int) -> str:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        studio = session.get(m.Studio, studio.id)
        person = session.get(m.Person, person_id)
        key = person.ref or str(person.id)
        outcome = evaluate(session, jurisdictions, studio, EvaluationSpec("annual", year=year), apply_removals=False)
        session.rollback()
    (result,) = [r for r in outcome.evaluation.members if r.person == key]
    return next(str(c.status) for c in result.criteria if c.id == rule)


def _row(html: str, rule: str, name: str) -> str:
    table = re.search(rf'data-judgement="{re.escape(rule)}">(.*?)</section>', html, re.S)
    assert table, f"no table of the judgement {rule}"
    row = re.search(rf'data-judged="{re.escape(name)}">(.*?)</tr>', table.group(1), re.S)
    assert row, f"no row of {name}"
    return row.group(1)


def test_the_host_records_a_members_annual_judgement_and_the_rule_reads_it(visitor, app, jurisdictions) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    person_id, name = _a_member(app, studio)
    visitor.login("shenyang-host")
    page = _text(visitor.get(f"/shenyang/studios/{studio.id}/members"))
    assert "待认定" in _row(page, "sy.member.tasks", name)
    assert _member_status(app, jurisdictions, studio, person_id, "sy.member.tasks", 2026) == "pending"

    url = f"/shenyang/studios/{studio.id}/judgements"
    form = {"rule_id": "sy.member.tasks", "person_id": str(person_id), "year": "2026"}
    response = visitor.post(url, {**form, "value": "no", "note": "全年未提交教学案例"}, htmx=True)
    assert response.status_code == 200, _text(response)
    row = _row(_text(response), "sy.member.tasks", name)
    assert "不符合" in row and "全年未提交教学案例" in row and "2026-" in row
    assert _member_status(app, jurisdictions, studio, person_id, "sy.member.tasks", 2026) == "unmet"

    again = visitor.post(url, {**form, "value": "yes"}, htmx=True)
    assert again.status_code == 200
    assert "符合" in _row(_text(again), "sy.member.tasks", name)
    assert _member_status(app, jurisdictions, studio, person_id, "sy.member.tasks", 2026) == "met"
    # a judgement for another year leaves 2026's as it is, and 2025 stays pending
    assert _member_status(app, jurisdictions, studio, person_id, "sy.member.tasks", 2025) == "pending"

    person = _text(visitor.get(f"/shenyang/people/{person_id}"))
    judged = re.search(r'id="judgements">(.*?)</table>', person).group(1)
    assert judged.count('data-judgement="sy.member.tasks"') == 2 and "不符合" in judged and "符合" in judged


def test_a_judgement_without_a_value_names_the_field(visitor, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    person_id, _name = _a_member(app, studio)
    visitor.login("shenyang-host")
    response = visitor.post(
        f"/shenyang/studios/{studio.id}/judgements",
        {"rule_id": "sy.member.tasks", "person_id": str(person_id), "note": "待补"},
        htmx=True,
    )
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True) and 'value="待补"' in response.get_data(as_text=True)


def test_only_the_host_records_a_shenyang_members_judgement(visitor, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    person_id, _name = _a_member(app, studio)
    form = {"rule_id": "sy.member.tasks", "person_id": str(person_id), "year": "2026", "value": "yes"}
    url = f"/shenyang/studios/{studio.id}/judgements"
    for username in ("shenyang-member", "shenyang-reviewer", "shenyang-admin"):
        visitor.login(username)
        assert visitor.post(url, form, htmx=True).status_code in (403, 404), username
        page = visitor.get(f"/shenyang/studios/{studio.id}/members").get_data(as_text=True)
        assert f"/studios/{studio.id}/judgements" not in page, username  # no form is offered either
    visitor.login("wenzhou-host")
    assert visitor.post(url, form, htmx=True).status_code == 404
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        assert not session.scalars(select(m.Attestation).where(m.Attestation.rule_id == "sy.member.tasks")).all()


def test_recording_a_judgement_is_audited(visitor, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    person_id, name = _a_member(app, studio)
    visitor.login("shenyang-host")
    form = {"rule_id": "sy.member.tasks", "person_id": str(person_id), "year": "2026", "value": "no"}
    assert visitor.post(f"/shenyang/studios/{studio.id}/judgements", form, htmx=True).status_code == 200
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        entry = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "attest")).one()
        assert entry.after["person_id"] == person_id and entry.after["value"] is False
        assert entry.after["period"] == "2026"
    visitor.login("shenyang-admin")
    log = _text(visitor.get("/shenyang/audit"))
    assert "记录认定：“不符合”" in log and name in log


def test_a_reviewer_records_a_lianyungang_members_teamwork_and_the_host_cannot(visitor, app) -> None:
    studio = studio_of(app, "lianyungang", "lianyungang-host")
    person_id, name = _a_member(app, studio)
    form = {"rule_id": "lyg.member.teamwork", "person_id": str(person_id), "value": "yes", "note": "团队协作良好"}
    url = f"/lianyungang/studios/{studio.id}/judgements"
    visitor.login("lianyungang-host")
    assert visitor.post(url, form, htmx=True).status_code == 403
    visitor.login("lianyungang-reviewer")
    response = visitor.post(url, form, htmx=True)
    assert response.status_code == 200, _text(response)
    row = _row(_text(response), "lyg.member.teamwork", name)
    assert "符合" in row and "团队协作良好" in row and "评审专家" in row
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        record = session.scalars(select(m.Attestation).where(m.Attestation.person_id == person_id)).one()
        assert record.period == "application" and record.value is True


def test_a_member_sees_their_own_judgement_and_not_their_colleagues(visitor, app) -> None:
    studio = studio_of(app, "shenyang", "shenyang-member")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        user = session.scalar(select(m.User).where(m.User.username == "shenyang-member"))
        me = session.get(m.Person, user.person_id)
        colleague = session.scalars(
            select(m.Membership).where(
                m.Membership.studio_id == studio.id,
                m.Membership.role == "member",
                m.Membership.person_id != me.id,
                m.Membership.left.is_(None),
            )
        ).first()
        mine, theirs = me.name, colleague.person.name
    visitor.login("shenyang-member")
    page = _text(visitor.get(f"/shenyang/studios/{studio.id}/members"))
    assert "待认定" in _row(page, "sy.member.tasks", mine)
    assert f'data-judged="{theirs}"' not in page
