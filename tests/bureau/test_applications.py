"""Applications to 挂牌: every step by the roles allowed, refused to the others, kept with who and why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import applications as apps
from mingshi.core.services import assessments
from mingshi.core.services.access import Forbidden
from mingshi.core.services.workspace import add_member
from tests.bureau.conftest import TODAY


def _wushen_draft(t):
    admin = t.actor("wushen-admin")
    host = t.person(position="researcher")
    studio = apps.create(
        t.session,
        admin,
        t.jurisdictions,
        {"name": "新申报名师工作室", "kind": "studio", "host_person_id": host.id},
        today=TODAY,
    )
    member = t.session.scalars(
        select(m.Person).where(m.Person.backbone_level.in_(("county", "municipal")), m.Person.id != host.id)
    ).first()
    add_member(t.session, admin, t.jurisdictions, studio, {"person_id": member.id, "role": "member", "joined": TODAY})
    t.session.commit()
    return studio


def test_the_whole_path_by_the_roles_allowed(tenant_of) -> None:
    t = tenant_of("wushen")
    studio = _wushen_draft(t)
    admin, reviewer = t.actor("wushen-admin"), t.actor("wushen-reviewer")
    apps.take(t.session, admin, t.jurisdictions, studio, "submit", today=TODAY)
    apps.take(t.session, reviewer, t.jurisdictions, studio, "recommend", today=TODAY)
    apps.take(t.session, admin, t.jurisdictions, studio, "review", today=TODAY)
    # the qualification check still waits for the reviewers' judgement of the team spirit
    assert apps.eligibility(t.session, t.jurisdictions, studio, TODAY).evaluation.grade == "pending"
    with pytest.raises(ValidationError, match="qualification check must pass"):
        apps.take(t.session, admin, t.jurisdictions, studio, "notice", today=TODAY)
    assessments.record_attestation(
        t.session,
        reviewer,
        t.jurisdictions,
        studio,
        rule_id="ws.member.qualification",
        value=True,
        period="application",
        comment="团队合作精神强",
    )
    assert apps.eligibility(t.session, t.jurisdictions, studio, TODAY).evaluation.grade == "pass"
    apps.take(t.session, admin, t.jurisdictions, studio, "notice", today=TODAY)
    until = apps.notice_until(t.session, studio)
    assert until == TODAY + dt.timedelta(days=6)  # 7 days of 公示, both ends included
    with pytest.raises(ValidationError, match="public notice runs until"):
        apps.take(t.session, admin, t.jurisdictions, studio, "approve", today=until)
    apps.take(t.session, admin, t.jurisdictions, studio, "approve", today=until + dt.timedelta(days=1))
    assert studio.status == "active" and studio.cycle_start == until + dt.timedelta(days=1)
    history = [(x.from_status, x.to_status, x.user_name) for x in apps.history(t.session, studio)]
    assert history == [
        ("draft", "submitted", "乌审旗教育局管理员"),
        ("submitted", "recommended", "乌审旗评审专家"),
        ("recommended", "reviewing", "乌审旗教育局管理员"),
        ("reviewing", "notice", "乌审旗教育局管理员"),
        ("notice", "active", "乌审旗教育局管理员"),
    ]


@pytest.mark.parametrize(
    ("step", "status", "username"),
    [
        ("submit", "draft", "wushen-reviewer"),
        ("recommend", "submitted", "wushen-host"),
        ("review", "recommended", "wushen-reviewer"),
        ("notice", "reviewing", "wushen-reviewer"),
        ("approve", "notice", "wushen-host"),
        ("reject", "submitted", "wushen-member"),
    ],
)
def test_each_step_is_refused_to_other_roles(tenant_of, step, status, username) -> None:
    t = tenant_of("wushen")
    studio = _wushen_draft(t)
    studio.status = status
    t.session.flush()
    with pytest.raises(Forbidden):
        apps.take(t.session, t.actor(username), t.jurisdictions, studio, step, today=TODAY, reason="x")


def test_steps_follow_the_order(tenant_of) -> None:
    t = tenant_of("wushen")
    studio = _wushen_draft(t)
    with pytest.raises(ValidationError, match="cannot take the step"):
        apps.take(t.session, t.actor("wushen-admin"), t.jurisdictions, studio, "approve", today=TODAY)


def test_a_rejection_needs_a_reason(tenant_of) -> None:
    t = tenant_of("wushen")
    studio = _wushen_draft(t)
    admin = t.actor("wushen-admin")
    apps.take(t.session, admin, t.jurisdictions, studio, "submit", today=TODAY)
    with pytest.raises(ValidationError, match="needs a reason"):
        apps.take(t.session, t.actor("wushen-reviewer"), t.jurisdictions, studio, "reject", today=TODAY, reason=" ")
    apps.take(t.session, t.actor("wushen-reviewer"), t.jurisdictions, studio, "reject", today=TODAY, reason="材料不全")
    assert studio.status == "rejected" and apps.history(t.session, studio)[-1].reason == "材料不全"


def test_the_county_quota_of_lianyungang(tenant_of) -> None:
    t = tenant_of("lianyungang")
    admin = t.actor("lianyungang-admin")
    t.session.add(
        m.ParameterValue(param_id="lyg.county_quota", value="1", valid_from=dt.date(2026, 1, 1), reason="市级分配名额")
    )
    drafts = []
    for name in ("甲工作室", "乙工作室"):
        studio = apps.create(
            t.session,
            admin,
            t.jurisdictions,
            {"name": name, "kind": "science_studio", "county": "灌云县", "host_person_id": t.person().id},
            today=TODAY,
        )
        apps.take(t.session, admin, t.jurisdictions, studio, "submit", today=TODAY)
        drafts.append(studio)
    apps.take(t.session, admin, t.jurisdictions, drafts[0], "recommend", today=TODAY)
    with pytest.raises(ValidationError) as refused:
        apps.take(t.session, admin, t.jurisdictions, drafts[1], "recommend", today=TODAY)
    assert refused.value.messages["step"][0].render("zh_CN").startswith("灌云县")


def test_a_host_prepares_their_own_application_in_the_browser_forms(visitor, app) -> None:
    visitor.login("wushen-host")
    response = visitor.post("/wushen/applications", {"name": "我的新工作室", "kind": "studio", "site_capacity": "abc"})
    assert response.status_code == 422 and "不是整数" in response.get_data(as_text=True)
    response = visitor.post("/wushen/applications", {"name": "我的新工作室", "kind": "studio"})
    assert response.status_code == 302
    page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "ws.host.qualification" in page and 'data-step="submit"' in page
    assert 'data-step="recommend"' not in page  # not the host's step
    studio_id = int(re.search(r"/applications/(\d+)", response.headers["Location"]).group(1))
    refused = visitor.post(f"/wushen/applications/{studio_id}/steps/recommend")
    assert refused.status_code == 403
