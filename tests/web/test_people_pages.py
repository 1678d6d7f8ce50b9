"""People pages: a member sees their colleagues' public profile within the studio, never anyone
outside their studios, and every signed-in user with a person record finds "my page" in the top bar."""

from __future__ import annotations

import re

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _people(app, tenant: str, username: str) -> tuple[m.Person, list[m.Person], m.Person]:
    """The user's person, their colleagues in their studio, and someone of another studio only."""
    factory = app.extensions["mingshi"]["sessions"]
    studio = studio_of(app, tenant, username)
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        user = session.scalar(select(m.User).where(m.User.username == username))
        me = session.get(m.Person, user.person_id)
        mine = set(session.scalars(select(m.Membership.studio_id).where(m.Membership.person_id == me.id)))
        colleagues = [
            ms.person
            for ms in session.scalars(select(m.Membership).where(m.Membership.studio_id == studio.id))
            if ms.person_id != me.id
        ]
        outsiders = session.scalars(
            select(m.Person).where(
                m.Person.id.not_in(select(m.Membership.person_id).where(m.Membership.studio_id.in_(mine)))
            )
        ).all()
        stranger = next(
            p for p in outsiders if session.scalar(select(m.Membership).where(m.Membership.person_id == p.id))
        )
        for person in [me, *colleagues, stranger]:
            session.expunge(person)
        return me, colleagues, stranger


def test_a_member_opens_a_colleagues_profile_within_the_studio(visitor, app) -> None:
    factory = app.extensions["mingshi"]["sessions"]
    me, colleagues, _stranger = _people(app, "shenyang", "shenyang-member")
    colleague = colleagues[0]
    with factory() as session:
        bind_tenant(session, colleague.tenant_id)
        session.get(m.Person, colleague.id).phone = "13912345678"
        session.commit()
    visitor.login("shenyang-member")
    studio = studio_of(app, "shenyang", "shenyang-member")
    members = _text(visitor.get(f"/shenyang/studios/{studio.id}/members"))
    assert f'href="/shenyang/people/{colleague.id}"' in members
    response = visitor.get(f"/shenyang/people/{colleague.id}")
    assert response.status_code == 200
    page = _text(response)
    assert f"<h1>{colleague.name}</h1>" in page
    if colleague.school_id:
        assert colleague.school.name in page
    # the public profile: no phone, and none of the records kept about the person's work
    assert "13912345678" not in page
    assert 'id="person-attendance"' not in page
    assert 'id="person-public"' in page
    # the full page stays for the person themself
    own = _text(visitor.get(f"/shenyang/people/{me.id}"))
    assert 'id="person-attendance"' in own


def test_a_member_does_not_see_people_outside_their_studios(visitor, app) -> None:
    _me, _colleagues, stranger = _people(app, "shenyang", "shenyang-member")
    visitor.login("shenyang-member")
    assert visitor.get(f"/shenyang/people/{stranger.id}").status_code == 404
    assert visitor.get(f"/shenyang/people/{stranger.id}", htmx=True).status_code == 404


def test_my_page_is_linked_in_the_top_bar(visitor, app) -> None:
    for username, tenant in (("shenyang-member", "shenyang"), ("wenzhou-host", "wenzhou")):
        me, _colleagues, _stranger = _people(app, tenant, username)
        visitor.login(username)
        for path in (f"/{tenant}/", "/account/"):
            page = _text(visitor.get(path))
            header = page.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]
            assert f'<a class="my-page" href="/{tenant}/people/{me.id}">我的主页</a>' in header, path
        assert visitor.get(f"/{tenant}/people/{me.id}").status_code == 200
        visitor.post("/logout")
    # an administrator has no person record: no link
    visitor.login("shenyang-admin")
    assert 'class="my-page"' not in _text(visitor.get("/shenyang/"))
