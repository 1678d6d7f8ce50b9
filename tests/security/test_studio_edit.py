"""A studio's record is edited with optimistic locking: the second of two concurrent saves is refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import studios as st
from mingshi.core.services.access import Forbidden, actor_for
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY, Browser, other_studio_of, studio_of

# the demo application's fixtures (imported under other names: pytest registers them as app, visitor …)
from tests.web.conftest import app as _app  # noqa: F401
from tests.web.conftest import demo_template as _demo_template  # noqa: F401
from tests.web.conftest import demo_url as _demo_url  # noqa: F401
from tests.web.conftest import jurisdictions as _jurisdictions  # noqa: F401
from tests.web.conftest import visitor as _visitor  # noqa: F401


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _load(app, studio_id: int) -> m.Studio:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        studio = session.scalar(
            select(m.Studio).where(m.Studio.id == studio_id).execution_options(mingshi_all_tenants="test check")
        )
        return studio


def test_two_people_edit_the_same_studio_the_second_is_told(app) -> None:
    studio = studio_of(app, "shenyang")
    first, second = Browser(app), Browser(app)
    first.login("shenyang-admin")
    second.login("shenyang-admin")
    url = f"/shenyang/studios/{studio.id}/edit"
    version_first = _version(first.get(url).get_data(as_text=True))
    version_second = _version(second.get(url).get_data(as_text=True))
    assert version_first == version_second
    saved = first.post(
        url, {"name": "沈阳市第一名师工作室", "county": "和平区", "subject": "数学", "version": version_first}
    )
    assert saved.status_code == 302
    refused = second.post(url, {"name": "我的新名字", "county": "沈河区", "subject": "物理", "version": version_second})
    assert refused.status_code == 409
    page = _text(refused)
    assert "在您打开表单之后，其他人修改了这个工作室" in page and "没有保存任何内容" in page
    current = dict(re.findall(r'<tr data-field="(\w+)"><th>[^<]*</th><td class="current">([^<]*)</td>', page))
    typed = dict(
        re.findall(
            r'<tr data-field="(\w+)"><th>[^<]*</th><td class="current">[^<]*</td><td class="typed">([^<]*)</td>', page
        )
    )
    assert current == {"name": "沈阳市第一名师工作室", "county": "和平区", "subject": "数学"}
    assert typed == {"name": "我的新名字", "county": "沈河区", "subject": "物理"}
    # what the user typed stays in the form, now based on the current version
    assert 'value="我的新名字"' in page and _version(page) == str(int(version_first) + 1)
    stored = _load(app, studio.id)
    assert (stored.name, stored.county, stored.subject) == ("沈阳市第一名师工作室", "和平区", "数学")
    assert stored.version == int(version_first) + 1
    # saving again, knowingly, from the refreshed form works
    again = second.post(url, {"name": "我的新名字", "county": "沈河区", "subject": "物理", "version": _version(page)})
    assert again.status_code == 302
    assert _load(app, studio.id).name == "我的新名字"


def test_the_edit_is_audited_before_and_after(app, visitor) -> None:
    studio = studio_of(app, "shenyang")
    visitor.login("shenyang-admin")
    url = f"/shenyang/studios/{studio.id}/edit"
    version = _version(visitor.get(url).get_data(as_text=True))
    old_name = studio.name
    assert (
        visitor.post(
            url, {"name": "新名称", "county": studio.county or "", "subject": studio.subject or "", "version": version}
        ).status_code
        == 302
    )
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        entry = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "edit_studio")).one()
        assert (entry.before, entry.after) == ({"name": old_name}, {"name": "新名称"})


def test_a_race_between_read_and_write_is_caught_by_the_database(app) -> None:
    """A copy read at version n is saved after another save: the UPDATE … WHERE version = n matches nothing."""
    studio = studio_of(app, "shenyang")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as one, factory() as two:
        for session in (one, two):
            bind_tenant(session, studio.tenant_id)
        admin = one.scalar(select(m.User).where(m.User.username == "shenyang-admin"))
        actor = actor_for(one, admin, today=TODAY)
        mine = one.get(m.Studio, studio.id)
        version = mine.version
        one.commit()  # the copy stays in memory (expire_on_commit=False), as a form's values do
        theirs = two.get(m.Studio, studio.id)
        st.edit_studio(two, actor, theirs, {"subject": "化学"}, version)
        two.commit()
        with pytest.raises(st.StaleEdit) as caught:
            st.edit_studio(one, actor, mine, {"subject": "生物"}, version)
        assert caught.value.current["subject"] == "化学" and caught.value.version == version + 1
        one.rollback()
    assert _load(app, studio.id).subject == "化学"


def test_a_host_changes_only_the_subject_of_their_own_studio(app, visitor) -> None:
    visitor.login("shenyang-host")
    mine = studio_of(app, "shenyang", "shenyang-host")
    other = other_studio_of(app, "shenyang", mine.id)
    url = f"/shenyang/studios/{mine.id}/edit"
    form = visitor.get(url)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'name="subject"' in html and 'name="name"' not in html and 'name="county"' not in html
    version = _version(html)
    refused = visitor.post(url, {"name": "改名", "subject": "语文", "version": version})
    assert refused.status_code == 403
    assert _load(app, mine.id).name == mine.name
    assert visitor.post(url, {"subject": "语文", "version": version}).status_code == 302
    assert _load(app, mine.id).subject == "语文"
    assert visitor.get(f"/shenyang/studios/{other.id}/edit").status_code == 404
    assert visitor.post(f"/shenyang/studios/{other.id}/edit", {"subject": "x", "version": "1"}).status_code == 404


@pytest.mark.parametrize("username", ["shenyang-reviewer", "shenyang-member"])
def test_readers_may_not_edit(app, visitor, username) -> None:
    visitor.login(username)
    studio = studio_of(app, "shenyang", username) if username.endswith("member") else studio_of(app, "shenyang")
    assert visitor.get(f"/shenyang/studios/{studio.id}/edit").status_code == 403
    assert visitor.post(f"/shenyang/studios/{studio.id}/edit", {"subject": "x", "version": "1"}).status_code == 403
    assert _load(app, studio.id).subject == studio.subject


def test_the_service_refuses_a_reader(app) -> None:
    studio = studio_of(app, "shenyang")
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        bind_tenant(session, studio.tenant_id)
        reviewer = session.scalar(select(m.User).where(m.User.username == "shenyang-reviewer"))
        with pytest.raises(Forbidden):
            st.edit_studio(
                session,
                actor_for(session, reviewer, today=TODAY),
                session.get(m.Studio, studio.id),
                {"subject": "x"},
                studio.version,
            )


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": ""}, "name", "必填"),
        ({"name": "x" * 201}, "name", "longer than 200 characters"),
        ({"name": "名称", "version": "abc"}, "version", "不是整数"),
    ],
)
def test_bad_input_names_the_field(app, visitor, form, field, message) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    url = f"/shenyang/studios/{studio.id}/edit"
    data = {"version": _version(visitor.get(url).get_data(as_text=True)), **form}
    response = visitor.post(url, data)
    assert response.status_code == 422
    assert message in _text(response)
    assert _load(app, studio.id).name == studio.name
