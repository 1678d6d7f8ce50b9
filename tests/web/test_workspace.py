"""The tenant workspace: sign-in, pages with and without htmx, roles, forms, live consequences."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY, other_studio_of, studio_of

PAGES = ["members", "activities", "outputs", "progress"]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# -- sign-in ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(visitor) -> None:
    response = visitor.get("/shenyang/studios")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    htmx = visitor.get("/shenyang/studios", htmx=True)
    assert htmx.status_code == 401 and "/login" in htmx.headers["HX-Redirect"]


def test_wrong_password_is_refused_with_a_message(visitor) -> None:
    response = visitor.login("shenyang-admin", "wrong")
    assert response.status_code == 401
    assert "用户名或密码错误" in _text(response)
    assert 'value="shenyang-admin"' in _text(response)


def test_sign_in_leads_to_the_users_tenant(visitor) -> None:
    response = visitor.login("wenzhou-admin")
    assert response.status_code == 302 and response.headers["Location"] == "/wenzhou/"


def test_sign_out_revokes_the_session_cookie(visitor, app) -> None:
    visitor.login("shenyang-admin")
    cookie = visitor.client.get_cookie("session").value
    visitor.get("/shenyang/")
    assert visitor.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/shenyang/").status_code == 302


def test_forms_need_the_csrf_token(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    response = visitor.client.post(f"/shenyang/studios/{studio.id}/members", data={"name": "x"})
    assert response.status_code == 400
    htmx = visitor.client.post(
        f"/shenyang/studios/{studio.id}/members", data={"name": "x"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 400 and htmx.headers["HX-Refresh"] == "true"


# -- pages with and without htmx --------------------------------------------------------------


@pytest.mark.parametrize("page", ["dashboard", "studios", *PAGES, "person"])
def test_each_page_renders_full_or_partial(visitor, app, rendered, page) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    paths = {
        "dashboard": "/shenyang/",
        "studios": "/shenyang/studios",
        "person": f"/shenyang/people/{_host_person_id(app, studio)}",
    }
    path = paths.get(page, f"/shenyang/studios/{studio.id}/{page}")
    rendered.clear()
    full = visitor.get(path)
    assert full.status_code == 200
    assert rendered == [f"tenant/{page}.html"]
    assert "HX-Request" in full.headers.get("Vary", "")
    rendered.clear()
    partial = visitor.get(path, htmx=True)
    assert partial.status_code == 200
    assert rendered == [f"tenant/partial/{page}.html"]
    assert "HX-Request" in partial.headers.get("Vary", "")
    fragment = _without_tokens(partial)
    assert "<html" not in fragment
    assert fragment.strip() in _without_tokens(full), "the full page must include its partial"


def _without_tokens(response) -> str:
    return re.sub(r'value="[^"]{40,}"', "", response.get_data(as_text=True))


def _host_person_id(app, studio) -> int:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        return session.scalar(
            select(m.Membership.person_id).where(m.Membership.studio_id == studio.id, m.Membership.role == "host")
        )


def test_studio_search_filters_live(visitor, app) -> None:
    visitor.login("shenyang-admin")
    everyone = _text(visitor.get("/shenyang/studios", htmx=True))
    workshops = _text(visitor.get("/shenyang/studios?kind=workshop", htmx=True))
    assert everyone.count("<tr>") > workshops.count("<tr>") >= 2
    assert "名优教师工作室</td>" not in workshops
    nothing = _text(visitor.get("/shenyang/studios?q=不存在的名字", htmx=True))
    assert "没有符合条件的工作室" in nothing


def test_english_after_the_language_switch(visitor) -> None:
    visitor.login("shenyang-admin")
    assert "工作台" in _text(visitor.get("/shenyang/"))
    visitor.get("/lang/en?next=/shenyang/")
    english = _text(visitor.get("/shenyang/"))
    assert "Dashboard" in english and "工作台" not in english


# -- roles ------------------------------------------------------------------------------------


def _add_member_form(**extra) -> dict:
    return {"name": "测试新成员", "role": "member", "joined": TODAY.isoformat(), **extra}


def test_admin_changes_any_studio(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    response = visitor.post(f"/shenyang/studios/{studio.id}/members", _add_member_form())
    assert response.status_code == 302
    assert "测试新成员" in _text(visitor.get(f"/shenyang/studios/{studio.id}/members"))


def test_host_changes_only_their_studio(visitor, app) -> None:
    visitor.login("shenyang-host")
    mine = studio_of(app, "shenyang", "shenyang-host")
    other = other_studio_of(app, "shenyang", mine.id)
    assert visitor.post(f"/shenyang/studios/{mine.id}/members", _add_member_form()).status_code == 302
    assert visitor.get(f"/shenyang/studios/{other.id}/members").status_code == 404
    assert visitor.post(f"/shenyang/studios/{other.id}/members", _add_member_form()).status_code == 404


def test_member_reads_but_does_not_change(visitor, app) -> None:
    visitor.login("shenyang-member")
    mine = studio_of(app, "shenyang", "shenyang-member")
    page = _text(visitor.get(f"/shenyang/studios/{mine.id}/members"))
    assert "添加成员" not in page
    assert visitor.post(f"/shenyang/studios/{mine.id}/members", _add_member_form()).status_code == 403


def test_reviewer_reads_every_studio_and_changes_none(visitor, app) -> None:
    visitor.login("shenyang-reviewer")
    studio = studio_of(app, "shenyang")
    assert visitor.get(f"/shenyang/studios/{studio.id}/members").status_code == 200
    assert visitor.post(f"/shenyang/studios/{studio.id}/members", _add_member_form()).status_code == 403


@pytest.mark.parametrize("username", ["wenzhou-admin", "central"])
def test_users_of_other_tenants_get_404(visitor, app, username) -> None:
    visitor.login(username)
    studio = studio_of(app, "shenyang")
    assert visitor.get("/shenyang/").status_code == 404
    assert visitor.get(f"/shenyang/studios/{studio.id}/members").status_code == 404
    assert visitor.post(f"/shenyang/studios/{studio.id}/members", _add_member_form()).status_code == 404


def test_a_tenant_url_cannot_reach_another_tenants_studio(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    shenyang_studio = studio_of(app, "shenyang")
    assert visitor.get(f"/wenzhou/studios/{shenyang_studio.id}/members").status_code == 404
    assert visitor.post(f"/wenzhou/studios/{shenyang_studio.id}/members", _add_member_form()).status_code == 404


# -- forms ------------------------------------------------------------------------------------


def test_a_bad_form_names_the_field_and_keeps_the_input(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    response = visitor.post(
        f"/shenyang/studios/{studio.id}/members", _add_member_form(born="2025-02-30", joined="tomorrow"), htmx=True
    )
    assert response.status_code == 422
    page = _text(response)
    assert page.count("不是有效日期") == 2
    assert 'value="测试新成员"' in page and 'value="2025-02-30"' in page


def test_removal_needs_a_reason(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        membership = session.scalars(
            select(m.Membership).where(m.Membership.studio_id == studio.id, m.Membership.role == "member")
        ).first()
    url = f"/shenyang/studios/{studio.id}/members/{membership.id}/remove"
    refused = visitor.post(url, {"date": TODAY.isoformat()}, htmx=True)
    assert refused.status_code == 422 and "必填" in _text(refused)
    done = visitor.post(url, {"date": TODAY.isoformat(), "reason": "调离原工作岗位"}, htmx=True)
    assert done.status_code == 200 and "调离原工作岗位" in _text(done)


# -- live progress and consequences -----------------------------------------------------------


def _quota(html: str, rule: str) -> str:
    found = re.search(rf'data-rule="{re.escape(rule)}">.*?<span class="quota-count">([^<]*)</span>', html)
    assert found, rule
    return found.group(1)


def test_recording_an_activity_moves_the_quota_bar(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    before = _quota(_text(visitor.get(f"/shenyang/studios/{studio.id}/progress")), "sy.task.send_teaching")
    done, target = (int(x) for x in before.split("/"))
    response = visitor.post(
        f"/shenyang/studios/{studio.id}/activities",
        {
            "title": "送教下乡到康平县",
            "date": "2026-11-18",
            "type": "send_teaching",
            "mode": "offline",
            "scope": "county",
        },
        htmx=True,
    )
    assert response.status_code == 200, _text(response)
    after = _quota(_text(visitor.get(f"/shenyang/studios/{studio.id}/progress")), "sy.task.send_teaching")
    assert after == f"{done + 1}/{target}"


def test_a_wenzhou_trainee_is_removed_at_the_second_unexcused_absence(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        trainee = session.scalars(
            select(m.Membership).where(
                m.Membership.studio_id == studio.id, m.Membership.role == "trainee", m.Membership.left.is_(None)
            )
        ).first()
        trainee_id, name = trainee.person_id, trainee.person.name
        # start clean: no earlier absence of this trainee in the demo data
        for record in session.scalars(select(m.Attendance).where(m.Attendance.person_id == trainee_id)):
            record.status = "present"
        session.commit()
    url = f"/wenzhou/studios/{studio.id}/activities"
    base = {"type": "open_class", "mode": "offline", "scope": "studio", f"att-{trainee_id}": "absent"}
    first = visitor.post(url, {**base, "title": "第一次缺席", "date": "2026-11-10"}, htmx=True)
    assert first.status_code == 200 and f'data-removed="{name}"' not in first.get_data(as_text=True)
    second = visitor.post(url, {**base, "title": "第二次缺席", "date": "2026-11-17"}, htmx=True)
    assert second.status_code == 200
    assert f'data-removed="{name}"' in second.get_data(as_text=True)
    members = _text(visitor.get(f"/wenzhou/studios/{studio.id}/members"))
    row = re.search(rf'data-person="{re.escape(name)}">(.*?)</tr>', members).group(1)
    assert "已取消资格" in row and "2026年11月17日" in row and "wz.trainee.absence" in row


def test_editing_a_member_is_audited_and_validated(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        membership = session.scalars(
            select(m.Membership).where(m.Membership.studio_id == studio.id, m.Membership.role == "member")
        ).first()
        joined = membership.joined.isoformat()
    url = f"/shenyang/studios/{studio.id}/members/{membership.id}/edit"
    refused = visitor.post(url, {"joined": "2025-13-01", "title": "senior"}, htmx=True)
    assert refused.status_code == 422
    assert "不是有效日期" in _text(refused) and 'value="2025-13-01"' in _text(refused)
    done = visitor.post(url, {"joined": joined, "title": "senior", "backbone_level": "municipal"}, htmx=True)
    assert done.status_code == 200
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        edited = session.get(m.Membership, membership.id)
        assert (edited.person.title, edited.person.backbone_level) == ("senior", "municipal")
        entry = session.scalars(
            select(m.AuditEntry).where(m.AuditEntry.action == "edit_member", m.AuditEntry.entity_id == membership.id)
        ).one()
        assert entry.after["title"] == "senior" and entry.user_name == "沈阳市教育局管理员"


def test_the_dashboard_lists_what_awaits(visitor) -> None:
    visitor.login("shenyang-host")
    page = _text(visitor.get("/shenyang/"))
    assert "待办" in page
