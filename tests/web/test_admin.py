"""The city administrator's pages, every user's own account, the pickers (issue 11)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY, Browser, studio_of

PAGES = ("accounts", "people", "schools", "counties")


def _signed_in(app, username: str, password: str | None = None) -> Browser:
    browser = Browser(app)
    if password is None:
        browser.login(username)
    else:
        browser.login(username, password)
    return browser


def _db(app, tenant: str = "wenzhou"):
    session = app.extensions["mingshi"]["sessions"]()
    tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant))
    bind_tenant(session, tenant_id)
    return session


def _body(response) -> str:
    return response.get_data(as_text=True)


def _password(html: str) -> str:
    return re.search(r'<code class="one-time-password">([^<]+)</code>', html).group(1)


def _host_and_studio(app):
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    with _db(app) as session:
        host = session.scalar(
            select(m.Membership.person_id).where(m.Membership.studio_id == studio.id, m.Membership.role == "host")
        )
    return studio, host


# ---------------------------------------------------------------------------------------------
# who may open the pages


@pytest.mark.parametrize("page", PAGES)
def test_only_the_tenants_administrator_opens_the_admin_pages(app, page) -> None:
    assert _signed_in(app, "wenzhou-admin").get(f"/wenzhou/admin/{page}").status_code == 200
    for role in ("reviewer", "host", "member"):
        assert _signed_in(app, f"wenzhou-{role}").get(f"/wenzhou/admin/{page}").status_code == 403, role
    assert _signed_in(app, "shenyang-admin").get(f"/wenzhou/admin/{page}").status_code == 404
    assert _signed_in(app, "central").get(f"/wenzhou/admin/{page}").status_code == 404
    anonymous = Browser(app).get(f"/wenzhou/admin/{page}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_another_tenants_account_person_and_school_are_404(app) -> None:
    with _db(app, "shenyang") as session:
        user = session.scalar(select(m.User.id).where(m.User.username == "shenyang-host"))
        person = session.scalar(select(m.Person.id).limit(1))
        school = session.scalar(select(m.School.id).limit(1))
    admin = _signed_in(app, "wenzhou-admin")
    for path in (
        f"/wenzhou/admin/accounts/{user}",
        f"/wenzhou/admin/people/{person}",
        f"/wenzhou/admin/schools/{school}",
    ):
        assert admin.get(path).status_code == 404, path
    assert admin.post(f"/wenzhou/admin/accounts/{user}/reset").status_code == 404


# ---------------------------------------------------------------------------------------------
# accounts


def test_create_a_host_account_who_must_change_the_one_time_password(app) -> None:
    studio, host = _host_and_studio(app)
    admin = _signed_in(app, "wenzhou-admin")
    created = admin.post(
        "/wenzhou/admin/accounts",
        {
            "username": "wz-new-host",
            "display_name": "新主持人",
            "role": ["host"],
            "studio_id": studio.id,
            "person_id": host,
        },
    )
    assert created.status_code == 201, _body(created)[:2000]
    password = _password(_body(created))
    with _db(app) as session:
        user = session.scalar(select(m.User).where(m.User.username == "wz-new-host"))
        assert user.must_change_password and password not in user.password_hash
        assert user.person_id == host and [(r.role, r.studio_id) for r in user.roles] == [("host", studio.id)]
    assert "wz-new-host" in _body(admin.get("/wenzhou/admin/accounts?q=new-host"))
    audit = _body(admin.get("/wenzhou/audit"))
    assert "创建了账户 wz-new-host" in audit or "created the account wz-new-host" in audit

    newcomer = _signed_in(app, "wz-new-host", password)
    dashboard = newcomer.get("/wenzhou/")
    assert dashboard.status_code == 302 and dashboard.headers["Location"].endswith("/account/")
    for weak in ("short1", "wz-new-host-2026", "password123", "Password123!"):
        refused = newcomer.post("/account/password", {"current": password, "new": weak, "repeated": weak})
        assert refused.status_code == 422
        assert weak not in _body(refused)  # passwords are not sent back
    wrong = newcomer.post("/account/password", {"current": "nope", "new": "Ocean-Lantern-42", "repeated": "x"})
    assert wrong.status_code == 422
    done = newcomer.post(
        "/account/password", {"current": password, "new": "Ocean-Lantern-42", "repeated": "Ocean-Lantern-42"}
    )
    assert done.status_code == 302
    assert newcomer.get("/wenzhou/").status_code == 200
    page = _body(newcomer.get("/account/"))
    assert "新主持人" in page and studio.name in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page)  # the last sign-in
    assert _signed_in(app, "wz-new-host", "Ocean-Lantern-42").get("/wenzhou/").status_code == 200


def test_account_refusals_keep_what_was_typed(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    taken = admin.post(
        "/wenzhou/admin/accounts", {"username": "wenzhou-host", "display_name": "重名", "role": ["reviewer"]}
    )
    assert taken.status_code == 422
    html = _body(taken)
    assert 'name="display_name" value="重名"' in html and "wenzhou-host" in html
    no_role = admin.post("/wenzhou/admin/accounts", {"username": "wz-x1"})
    assert no_role.status_code == 422 and 'value="wz-x1"' in _body(no_role)
    no_person = admin.post("/wenzhou/admin/accounts", {"username": "wz-x2", "role": ["member"]})
    assert no_person.status_code == 422
    bad_name = admin.post("/wenzhou/admin/accounts", {"username": "has space", "role": ["reviewer"]})
    assert bad_name.status_code == 422
    with _db(app) as session:
        assert not session.scalars(select(m.User).where(m.User.username.in_(["wz-x1", "wz-x2", "has space"]))).all()


def test_reset_disable_enable_and_change_roles(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    with _db(app) as session:
        reviewer = session.scalar(select(m.User).where(m.User.username == "wenzhou-reviewer"))
        admin_id = session.scalar(select(m.User.id).where(m.User.username == "wenzhou-admin"))
    assert admin.get(f"/wenzhou/admin/accounts/{reviewer.id}").status_code == 200
    reset = admin.post(f"/wenzhou/admin/accounts/{reviewer.id}/reset")
    assert reset.status_code == 200
    password = _password(_body(reset))
    assert Browser(app).login("wenzhou-reviewer").status_code == 401  # the demo password no longer works
    assert admin.post(f"/wenzhou/admin/accounts/{reviewer.id}/active", {"active": "0"}).status_code == 302
    assert Browser(app).login("wenzhou-reviewer", password).status_code == 401
    again = admin.post(f"/wenzhou/admin/accounts/{reviewer.id}/active", {"active": "0"})
    assert again.status_code == 422
    assert admin.post(f"/wenzhou/admin/accounts/{reviewer.id}/active", {"active": "1"}).status_code == 302
    assert Browser(app).login("wenzhou-reviewer", password).status_code == 302
    both = admin.post(f"/wenzhou/admin/accounts/{reviewer.id}/roles", {"role": ["reviewer", "admin"]})
    assert both.status_code == 302
    with _db(app) as session:
        assert session.get(m.User, reviewer.id).role_names == ["admin", "reviewer"]
    myself = admin.post(f"/wenzhou/admin/accounts/{admin_id}/roles", {"role": ["reviewer"]})
    assert myself.status_code == 422
    assert admin.post(f"/wenzhou/admin/accounts/{admin_id}/active", {"active": "0"}).status_code == 422
    # a reviewer of the tenant cannot manage accounts
    other = _signed_in(app, "wenzhou-host")
    assert other.post(f"/wenzhou/admin/accounts/{reviewer.id}/reset").status_code == 403


def test_a_user_in_several_roles_and_studios_sees_them_all(app) -> None:
    with _db(app) as session:
        studios = list(session.scalars(select(m.Studio).order_by(m.Studio.id)))
        member = session.scalar(select(m.User).where(m.User.username == "wenzhou-member"))
        other = next(
            s
            for s in studios
            if not any(
                ms.person_id == member.person_id
                for ms in session.scalars(select(m.Membership).where(m.Membership.studio_id == s.id))
            )
        )
        session.add(m.Membership(studio_id=other.id, person_id=member.person_id, role="trainee", joined=TODAY))
        member.roles.append(m.UserRole(role="reviewer"))
        session.commit()
    page = _body(_signed_in(app, "wenzhou-member").get("/account/"))
    for studio in studios:
        if studio.id == other.id or studio.id == studio_of(app, "wenzhou", "wenzhou-member").id:
            assert studio.name in page
    assert "评审专家" in page or "reviewer" in page


# ---------------------------------------------------------------------------------------------
# counties and schools


def test_counties_seeded_from_the_policy_and_managed(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    page = _body(admin.get("/wenzhou/admin/counties"))
    for county in ("永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"):
        assert county in page
    assert admin.post("/wenzhou/admin/counties", {"name": "洞头区"}).status_code == 302
    duplicate = admin.post("/wenzhou/admin/counties", {"name": "洞头区"})
    assert duplicate.status_code == 422 and "洞头区" in _body(duplicate)
    with _db(app) as session:
        county = session.scalar(select(m.County).where(m.County.name == "文成县"))
        schools = session.scalar(select(m.School.id).where(m.School.county == "文成县"))
        assert schools is not None
    used = admin.post(f"/wenzhou/admin/counties/{county.id}/remove")
    assert used.status_code == 422
    assert admin.post(f"/wenzhou/admin/counties/{county.id}", {"name": "文成县（新）"}).status_code == 302
    with _db(app) as session:
        assert session.get(m.School, schools).county == "文成县（新）"  # the schools follow the entry
        dongtou = session.scalar(select(m.County.id).where(m.County.name == "洞头区"))
    assert admin.post(f"/wenzhou/admin/counties/{dongtou}/remove").status_code == 302


def test_schools_create_edit_and_merge(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    created = admin.post(
        "/wenzhou/admin/schools", {"name": "文成县新星小学", "county": "文成县", "rural": "on", "stage": "primary"}
    )
    assert created.status_code == 302
    duplicate = admin.post("/wenzhou/admin/schools", {"name": "文成县新星小学", "county": "文成县"})
    assert duplicate.status_code == 422
    outside = admin.post("/wenzhou/admin/schools", {"name": "某校", "county": "不存在县"})
    assert outside.status_code == 422 and 'value="某校"' in _body(outside)
    with _db(app) as session:
        new = session.scalar(select(m.School).where(m.School.name == "文成县新星小学"))
        assert new.rural and not new.weak
        old = session.scalar(select(m.School).where(m.School.name == "文成县实验小学"))
        moved = list(session.scalars(select(m.Person.id).where(m.Person.school_id == old.id)))
        assert moved
    edited = admin.post(
        f"/wenzhou/admin/schools/{new.id}", {"name": "文成县新星小学", "county": "文成县", "weak": "on"}
    )
    assert edited.status_code == 302
    merged = admin.post(f"/wenzhou/admin/schools/{new.id}/merge", {"duplicate_id": old.id})
    assert merged.status_code == 302
    with _db(app) as session:
        assert session.get(m.School, old.id) is None
        school = session.get(m.School, new.id)
        assert school.weak and school.rural
        assert set(session.scalars(select(m.Person.school_id).where(m.Person.id.in_(moved)))) == {new.id}
    itself = admin.post(f"/wenzhou/admin/schools/{new.id}/merge", {"duplicate_id": new.id})
    assert itself.status_code == 422
    assert "文成县新星小学" in _body(admin.get("/wenzhou/admin/schools?q=新星"))


def test_a_studios_county_is_picked_from_the_list(app) -> None:
    studio = studio_of(app, "wenzhou")
    admin = _signed_in(app, "wenzhou-admin")
    page = _body(admin.get(f"/wenzhou/studios/{studio.id}/edit"))
    assert '<select name="county"' in page and "泰顺县" in page
    refused = admin.post(
        f"/wenzhou/studios/{studio.id}/edit",
        {"name": studio.name, "county": "随便写的县", "subject": "x", "version": studio.version},
    )
    assert refused.status_code == 422


# ---------------------------------------------------------------------------------------------
# people


def _person_form(**values):
    return {"name": "林晓", "sex": "F", "born": "1980-05-01", "title": "senior", "phone": "13812345678", **values}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("born", "2999-01-01"),
        ("born", "1920-01-01"),
        ("born", "not a date"),
        ("phone", "12345"),
        ("phone", "call me"),
        ("name", ""),
        ("school_id", "99999999"),
    ],
)
def test_person_refusals_name_the_field_and_keep_the_typing(app, field, value) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    response = admin.post("/wenzhou/admin/people", _person_form(**{field: value}))
    assert response.status_code == 422
    html = _body(response)
    assert 'value="林晓"' in html or field == "name"
    assert re.search(r'class="field[^"]*invalid', html)
    with _db(app) as session:
        assert session.scalar(select(m.Person).where(m.Person.phone == "13812345678")) is None


def test_person_edit_is_optimistically_locked_and_audited(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    created = admin.post("/wenzhou/admin/people", _person_form())
    assert created.status_code == 302
    person_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    first = admin.post(f"/wenzhou/admin/people/{person_id}", _person_form(phone="0577-88886666", version="1"))
    assert first.status_code == 302
    stale = admin.post(f"/wenzhou/admin/people/{person_id}", _person_form(phone="13900000000", version="1"))
    assert stale.status_code == 409 and 'data-conflict="true"' in _body(stale)
    with _db(app) as session:
        person = session.get(m.Person, person_id)
        assert person.phone == "0577-88886666" and person.version == 2
    assert "林晓" in _body(admin.get("/wenzhou/admin/people?q=林晓"))
    audit = _body(admin.get("/wenzhou/audit"))
    assert "0577-88886666" in audit


def test_recording_an_honour_makes_the_host_qualification_pass_without_attestation(app, jurisdictions) -> None:
    studio, host = _host_and_studio(app)
    admin = _signed_in(app, "wenzhou-admin")

    def qualification():
        with _db(app) as session:
            outcome = evaluate(
                session,
                jurisdictions,
                session.get(m.Studio, studio.id),
                EvaluationSpec("application", date=TODAY),
                apply_removals=False,
            )
            assert not session.scalars(select(m.Attestation).where(m.Attestation.studio_id == studio.id)).all()
            return next(c for c in outcome.evaluation.criteria if c.id == "wz.host.qualification")

    with _db(app) as session:
        person = session.get(m.Person, host)
        honors = [h.id for h in person.honors]
        version = person.version
    page = _body(admin.get(f"/wenzhou/admin/people/{host}"))
    for honor in honors:
        assert admin.post(f"/wenzhou/admin/people/{host}/honors/{honor}/remove").status_code == 302
    admin.post(
        f"/wenzhou/admin/people/{host}",
        {"name": person.name, "title": "deputy_senior", "version": str(version + len(honors))},
    )
    assert str(qualification().status) != "met"
    unknown = admin.post(f"/wenzhou/admin/people/{host}/honors", {"honor": "nobel_prize", "awarded": "2020-01-01"})
    assert unknown.status_code == 422
    future = admin.post(
        f"/wenzhou/admin/people/{host}/honors", {"honor": "wenzhou_famous_teacher", "awarded": "2999-01-01"}
    )
    assert future.status_code == 422
    added = admin.post(
        f"/wenzhou/admin/people/{host}/honors",
        {"honor": "wenzhou_famous_teacher", "awarded": "2024-09-10", "evidence": "温教〔2024〕12号"},
    )
    assert added.status_code == 302
    assert str(qualification().status) == "met"
    assert "温教〔2024〕12号" in _body(admin.get(f"/wenzhou/admin/people/{host}"))
    assert page  # the page opened before the change too
    audit = _body(admin.get("/wenzhou/audit"))
    assert "温州市名教师" in audit


def test_backbone_designations_are_recorded_with_history(app) -> None:
    _studio, host = _host_and_studio(app)
    admin = _signed_in(app, "wenzhou-admin")
    assert (
        admin.post(f"/wenzhou/admin/people/{host}/backbone", {"level": "county", "date": "2015-09-01"}).status_code
        == 302
    )
    assert (
        admin.post(f"/wenzhou/admin/people/{host}/backbone", {"level": "national", "date": "2022-09-01"}).status_code
        == 302
    )
    assert (
        admin.post(f"/wenzhou/admin/people/{host}/backbone", {"level": "city", "date": "2022-09-01"}).status_code == 422
    )
    future = admin.post(f"/wenzhou/admin/people/{host}/backbone", {"level": "county", "date": "2999-09-01"})
    assert future.status_code == 422
    with _db(app) as session:
        person = session.get(m.Person, host)
        assert person.backbone_level == "national"
        assert [(b.level, b.date.year) for b in person.backbone_history][-2:] == [
            ("county", 2015),
            ("national", 2022),
        ] or (("national", 2022) in [(b.level, b.date.year) for b in person.backbone_history])


# ---------------------------------------------------------------------------------------------
# pickers


def test_pickers_answer_a_bounded_search(app) -> None:
    admin = _signed_in(app, "wenzhou-admin")
    everyone = _body(admin.get("/wenzhou/pick/people", htmx=True))
    assert everyone.count('type="radio"') == 20
    with _db(app) as session:
        name = session.scalar(select(m.Person.name).order_by(m.Person.id.desc()).limit(1))
    found = _body(admin.get(f"/wenzhou/pick/people?field=person_id&person_id__q={name}", htmx=True))
    assert name in found and 'name="person_id"' in found
    schools = _body(admin.get("/wenzhou/pick/schools?field=school_id&school_id__q=文成", htmx=True))
    assert "文成县" in schools and "温州中学" not in schools
    assert _signed_in(app, "wenzhou-member").get("/wenzhou/pick/people").status_code == 403
    assert admin.get("/wenzhou/pick/nothing").status_code == 404
    # the accounts' studio picker: the administrator's only
    studios = _body(admin.get("/wenzhou/pick/studios?field=studio_id&studio_id__q=工作室", htmx=True))
    assert 'name="studio_id"' in studios and studios.count('type="radio"') <= 20
    assert _signed_in(app, "wenzhou-host").get("/wenzhou/pick/studios").status_code == 403
    assert admin.get("/wenzhou/pick/people?field=password").status_code == 400
    members = _body(admin.get(f"/wenzhou/studios/{studio_of(app, 'wenzhou').id}/members"))
    assert 'hx-get="/wenzhou/pick/people?field=person_id"' in members
