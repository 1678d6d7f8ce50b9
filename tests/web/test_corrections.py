"""Issue 13, observation 3 "Nothing can be corrected": activities, attendance, outputs and awards are
corrected (the same checks as recording them, against the version the form was loaded with) and
withdrawn rather than lost; the automatic removals follow a corrected absence; the administrator
reinstates a member a rule removed; a draft application is withdrawn by its host."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.services import workspace as ws
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _session(app, tenant_id: int):
    session = app.extensions["mingshi"]["sessions"]()
    bind_tenant(session, tenant_id)
    return session


def _quota_value(app, studio: m.Studio, rule: str):
    with _session(app, studio.tenant_id) as session:
        fresh = session.get(m.Studio, studio.id)
        jurisdictions = app.extensions["mingshi"]["jurisdictions"]
        _spec, period = ws.progress_spec_period(session, jurisdictions, fresh, dt.date(2026, 11, 20))
        by_id = {c.id: c for c in ws.quota_progress(session, jurisdictions, fresh, period)}
        return by_id[rule].value if rule in by_id else None, list(by_id)


def _activity_form(activity: m.Activity, **changes) -> dict:
    form = {
        "version": str(activity.version),
        "title": activity.title,
        "date": activity.date.isoformat(),
        "type": activity.type,
        "mode": activity.mode,
        "scope": activity.scope,
    }
    for r in activity.attendance:
        form[f"att-{r.person_id}"] = r.status
        if r.leave_approved:
            form[f"leave-{r.person_id}"] = r.leave_approved.isoformat()
    form.update(changes)
    return form


def _fresh_trainee(app, studio: m.Studio) -> tuple[int, int, str]:
    """A current trainee of the studio with no absence recorded (membership id, person id, name)."""
    with _session(app, studio.tenant_id) as session:
        trainee = session.scalars(
            select(m.Membership)
            .where(m.Membership.studio_id == studio.id, m.Membership.role == "trainee", m.Membership.left.is_(None))
            .order_by(m.Membership.id.desc())
        ).first()
        for record in session.scalars(select(m.Attendance).where(m.Attendance.person_id == trainee.person_id)):
            record.status = "present"
        result = (trainee.id, trainee.person_id, trainee.person.name)
        session.commit()
        return result


def _two_absences(visitor, studio: m.Studio, person_id: int, tag: str) -> None:
    url = f"/wenzhou/studios/{studio.id}/activities"
    base = {"type": "open_class", "mode": "offline", "scope": "studio", f"att-{person_id}": "absent"}
    for day in ("2026-11-03", "2026-11-12"):
        assert visitor.post(url, {**base, "title": f"{tag} {day}", "date": day}, htmx=True).status_code == 200


def _activity_titled(app, studio: m.Studio, title: str) -> m.Activity:
    with _session(app, studio.tenant_id) as session:
        activity = session.scalar(
            select(m.Activity).where(m.Activity.studio_id == studio.id, m.Activity.title == title)
        )
        activity.attendance  # noqa: B018 - loaded before the session closes
        session.expunge(activity)
        return activity


def test_nothing_can_be_corrected_was_observation_3_every_record_has_its_correction_routes(app) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {
        "tenant.edit_activity",
        "tenant.withdraw_activity",
        "tenant.edit_output",
        "tenant.withdraw_output",
        "tenant.edit_award",
        "tenant.withdraw_award",
        "tenant.reinstate_member",
    } <= endpoints


def test_an_activity_can_be_edited_and_the_quota_follows(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    url = f"/wenzhou/studios/{studio.id}/activities"
    made = visitor.post(
        url, {"type": "open_class", "title": "线上误录", "date": "2026-11-05", "mode": "online"}, htmx=True
    )
    assert made.status_code == 200
    activity = _activity_titled(app, studio, "线上误录")
    before, _ids = _quota_value(app, studio, "wz.ops.offline")
    edit = f"{url}/{activity.id}/edit"
    page = visitor.get(f"{url}?edit={activity.id}", htmx=True)
    assert page.status_code == 200 and edit in _text(page)
    # the same checks as recording it: a date in the future is refused with the field's message, typed text kept
    refused = visitor.post(edit, _activity_form(activity, mode="offline", date="2099-01-01"), htmx=True)
    assert refused.status_code == 422 and 'value="2099-01-01"' in _text(refused)
    done = visitor.post(edit, _activity_form(activity, mode="offline", title="线下活动"), htmx=True)
    assert done.status_code == 200
    after, _ids = _quota_value(app, studio, "wz.ops.offline")
    assert after == before + 1
    # a form loaded before the correction is refused (optimistic locking), nothing overwritten
    stale = visitor.post(edit, _activity_form(activity, title="旧表单"), htmx=True)
    assert stale.status_code == 422 and "已被他人修改" in _text(stale)
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Activity, activity.id).title == "线下活动"
        entry = session.scalars(
            select(m.AuditEntry).where(m.AuditEntry.action == "edit_activity", m.AuditEntry.entity_id == activity.id)
        ).one()
        assert entry.before["mode"] == "online" and entry.after["mode"] == "offline"
    log = _text(visitor.get("/wenzhou/audit"))
    assert "更正了" in log and "线上误录" in log and "线下活动" in log


def test_a_wenzhou_report_title_can_be_corrected_to_the_prescribed_form(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    with _session(app, studio.tenant_id) as session:
        jurisdictions = app.extensions["mingshi"]["jurisdictions"]
        fresh = session.get(m.Studio, studio.id)
        _spec, period = ws.progress_spec_period(session, jurisdictions, fresh, dt.date(2026, 11, 20))
        criterion = {c.id: c for c in ws.quota_progress(session, jurisdictions, fresh, period)}["wz.ops.report_title"]
        # the first report of the cycle: its number cannot change whatever else is recorded meanwhile
        first = session.scalars(
            select(m.Activity)
            .where(m.Activity.studio_id == studio.id, m.Activity.withdrawn_at.is_(None))
            .order_by(m.Activity.date, m.Activity.id)
        ).first()
        title = first.title
    assert "——记" in title and "——记温州市" not in title
    activity = _activity_titled(app, studio, title)
    before = criterion.value
    fixed = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities/{activity.id}/edit",
        _activity_form(activity, title=title.replace("——记", "——记温州市")),
        htmx=True,
    )
    assert fixed.status_code == 200
    after, _ids = _quota_value(app, studio, "wz.ops.report_title")
    assert after == before + 1


def test_a_withdrawn_activity_no_longer_counts_and_stays_in_the_history(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    url = f"/wenzhou/studios/{studio.id}/activities"
    assert (
        visitor.post(url, {"type": "open_class", "title": "重复录入", "date": "2026-11-06"}, htmx=True).status_code
        == 200
    )
    activity = _activity_titled(app, studio, "重复录入")
    before, _ids = _quota_value(app, studio, "wz.ops.offline")
    refused = visitor.post(f"{url}/{activity.id}/withdraw", {"reason": ""}, htmx=True)
    assert refused.status_code == 422
    done = visitor.post(f"{url}/{activity.id}/withdraw", {"reason": "重复录入"}, htmx=True)
    assert done.status_code == 200
    after, _ids = _quota_value(app, studio, "wz.ops.offline")
    assert after == before - 1
    row = re.search(rf'data-activity="{activity.id}"([^>]*)>(.*?)</tr>', _text(visitor.get(url))).group(0)
    assert 'data-withdrawn="1"' in row and "已撤回" in row and "重复录入" in row
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Activity, activity.id) is not None
    assert "撤回了活动" in _text(visitor.get("/wenzhou/audit"))


def test_a_withdrawn_output_no_longer_counts_and_stays_in_the_history(visitor, app) -> None:
    from mingshi.core.services.facts import load_studio_facts, tenant_parameter_values

    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    url = f"/shenyang/studios/{studio.id}/outputs"
    made = visitor.post(
        url, {"type": "paper", "title": "误录的论文", "date": "2026-10-01", "level": "municipal"}, htmx=True
    )
    assert made.status_code == 200
    with _session(app, studio.tenant_id) as session:
        output = session.scalar(select(m.Output).where(m.Output.title == "误录的论文"))
        output_id, version = output.id, output.version

    def counted() -> int:
        with _session(app, studio.tenant_id) as session:
            jurisdiction = app.extensions["mingshi"]["jurisdictions"].get("shenyang")
            facts = load_studio_facts(
                session,
                session.get(m.Studio, studio.id),
                jurisdiction="shenyang",
                as_of=dt.date(2026, 11, 20),
                params=jurisdiction.paramset(tenant_parameter_values(session)),
            )
            return sum(1 for o in facts.outputs if o.key == str(output_id))

    assert counted() == 1
    edited = visitor.post(
        f"{url}/{output_id}/edit",
        {
            "version": str(version),
            "type": "paper",
            "title": "更正后的论文",
            "date": "2026-10-02",
            "level": "provincial",
        },
        htmx=True,
    )
    assert edited.status_code == 200
    assert visitor.post(f"{url}/{output_id}/withdraw", {"reason": "录错了工作室"}, htmx=True).status_code == 200
    assert counted() == 0
    row = re.search(rf'data-output="{output_id}"[^>]*>(.*?)</tr>', _text(visitor.get(url))).group(0)
    assert 'data-withdrawn="1"' in row and "更正后的论文" in row and "录错了工作室" in row
    log = _text(visitor.get("/shenyang/audit"))
    assert "撤回了成果“更正后的论文”" in log and "的成果“更正后的论文”" in log and "省级" in log


def test_a_withdrawn_award_no_longer_counts_and_an_award_can_be_corrected(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    url = f"/shenyang/studios/{studio.id}/outputs"
    with _session(app, studio.tenant_id) as session:
        host = session.scalar(
            select(m.Membership.person_id).where(m.Membership.studio_id == studio.id, m.Membership.role == "host")
        )
        competitions = app.extensions["mingshi"]["jurisdictions"].get("shenyang").vocabulary.codes("competitions")
    base = {"competition": competitions[0], "level": "municipal", "rank": "first", "first_instructor_id": str(host)}
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = visitor.post(
        f"/shenyang/studios/{studio.id}/awards", {**base, "date": future, "student": "王同学"}, htmx=True
    )
    assert refused.status_code == 422 and "未来" in _text(refused)
    made = visitor.post(
        f"/shenyang/studios/{studio.id}/awards",
        {**base, "date": dt.date.today().isoformat(), "student": "王同学"},
        htmx=True,
    )
    assert made.status_code == 200
    with _session(app, studio.tenant_id) as session:
        award = session.scalar(select(m.StudentAward).where(m.StudentAward.student == "王同学"))
        award_id, version = award.id, award.version
        counted = session.scalar(
            select(func.count()).select_from(m.StudentAward).where(m.StudentAward.studio_id == studio.id)
        )
    edited = visitor.post(
        f"/shenyang/studios/{studio.id}/awards/{award_id}/edit",
        {**base, "rank": "second", "date": "2026-11-01", "student": "王同学", "version": str(version)},
        htmx=True,
    )
    assert edited.status_code == 200
    assert (
        visitor.post(f"/shenyang/studios/{studio.id}/awards/{award_id}/withdraw", {"reason": "误录"}).status_code == 302
    )
    with _session(app, studio.tenant_id) as session:
        award = session.get(m.StudentAward, award_id)
        assert award.rank == "second" and award.withdrawn
        assert (
            session.scalar(
                select(func.count()).select_from(m.StudentAward).where(m.StudentAward.studio_id == studio.id)
            )
            == counted
        )
    assert f'data-award="{award_id}" class="withdrawn muted"' in _text(visitor.get(url))


def test_a_corrected_absence_does_not_remove_the_trainee(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    membership_id, person_id, name = _fresh_trainee(app, studio)
    _two_absences(visitor, studio, person_id, "打错")
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Membership, membership_id).left == dt.date(2026, 11, 12)
    typo = _activity_titled(app, studio, "打错 2026-11-12")
    corrected = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities/{typo.id}/edit",
        _activity_form(typo, **{f"att-{person_id}": "present"}),
        htmx=True,
    )
    assert corrected.status_code == 200
    assert f'data-restored="{name}"' in corrected.get_data(as_text=True)
    with _session(app, studio.tenant_id) as session:
        ms = session.get(m.Membership, membership_id)
        assert (ms.left, ms.removal_rule) == (None, None)
        assert session.scalars(
            select(m.AuditEntry).where(m.AuditEntry.action == "removal_undone", m.AuditEntry.entity_id == membership_id)
        ).one()
    # the next activity does not remove them again on the corrected record
    again = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities",
        {"type": "open_class", "title": "之后的活动", "date": "2026-11-14", f"att-{person_id}": "present"},
        htmx=True,
    )
    assert f'data-removed="{name}"' not in again.get_data(as_text=True)
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Membership, membership_id).left is None


def test_a_reinstated_member_is_not_removed_again_for_the_same_absences(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    membership_id, person_id, name = _fresh_trainee(app, studio)
    _two_absences(visitor, studio, person_id, "真缺席")
    url = f"/wenzhou/studios/{studio.id}/members/{membership_id}/reinstate"
    assert f'action="{url}"' in _text(visitor.get(f"/wenzhou/studios/{studio.id}/members"))
    # the administrator must give a reason
    assert visitor.post(url, {"reason": ""}, htmx=True).status_code == 422
    done = visitor.post(url, {"reason": "经教育局研究，保留学员资格"}, htmx=True)
    assert done.status_code == 200
    row = re.search(rf'data-person="{re.escape(name)}">(.*?)</tr>', _text(done)).group(1)
    assert "经教育局研究，保留学员资格" in row
    # another activity recomputes the removals: the same two absences do not remove them again
    base = {"type": "open_class", "mode": "offline", "scope": "studio"}
    later = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities",
        {**base, "title": "恢复后出席", "date": "2026-11-19", f"att-{person_id}": "present"},
        htmx=True,
    )
    assert f'data-removed="{name}"' not in later.get_data(as_text=True)
    with _session(app, studio.tenant_id) as session:
        ms = session.get(m.Membership, membership_id)
        assert ms.left is None and ms.reinstated_on is not None
        entry = session.scalars(
            select(m.AuditEntry).where(
                m.AuditEntry.action == "reinstate_member", m.AuditEntry.entity_id == membership_id
            )
        ).one()
        assert entry.before["left"] == "2026-11-12"
    assert "恢复了" in _text(visitor.get("/wenzhou/audit"))


def test_only_the_administrator_reinstates(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    membership_id, person_id, _name = _fresh_trainee(app, studio)
    _two_absences(visitor, studio, person_id, "主持人")
    visitor.login("wenzhou-host")
    refused = visitor.post(f"/wenzhou/studios/{studio.id}/members/{membership_id}/reinstate", {"reason": "想恢复"})
    assert refused.status_code == 403
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Membership, membership_id).left is not None


def test_a_draft_application_can_be_withdrawn_by_its_host(visitor, app) -> None:
    visitor.login("shenyang-host")
    with _session(app, studio_of(app, "shenyang").tenant_id) as session:
        kind = session.scalar(select(m.Studio.kind))
    made = visitor.post("/shenyang/applications", {"name": "撤回测试工作室", "kind": kind})
    assert made.status_code == 302, made.get_data(as_text=True)[:2000]
    studio_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    page = _text(visitor.get(f"/shenyang/applications/{studio_id}"))
    assert 'data-step="withdraw"' in page
    done = visitor.post(f"/shenyang/applications/{studio_id}/steps/withdraw", {}, htmx=True)
    assert done.status_code == 200 and "已撤回" in _text(done)
    assert 'data-step="submit"' not in _text(done)
    with _session(app, studio_of(app, "shenyang").tenant_id) as session:
        assert session.get(m.Studio, studio_id).status == "withdrawn"
        assert session.scalars(
            select(m.AuditEntry).where(
                m.AuditEntry.action == "application_withdraw", m.AuditEntry.entity_id == studio_id
            )
        ).one()


def test_activity_and_birth_dates_are_refused_beyond_their_bounds(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    today = dt.date.today()
    url = f"/shenyang/studios/{studio.id}/activities"
    future = visitor.post(
        url, {"type": "open_class", "title": "未来", "date": (today + dt.timedelta(days=1)).isoformat()}, htmx=True
    )
    assert future.status_code == 422 and "未来" in _text(future)
    members = f"/shenyang/studios/{studio.id}/members"
    base = {"role": "member", "joined": "2026-01-01"}
    too_early = visitor.post(members, {**base, "name": "年长者", "born": "1929-12-31"}, htmx=True)
    assert too_early.status_code == 422 and 'value="1929-12-31"' in _text(too_early)
    unborn = visitor.post(
        members, {**base, "name": "未出生", "born": (today + dt.timedelta(days=1)).isoformat()}, htmx=True
    )
    assert unborn.status_code == 422
    assert visitor.post(members, {**base, "name": "一九三〇年生", "born": "1930-01-01"}, htmx=True).status_code == 200


def test_an_activity_dated_today_is_accepted(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    url = f"/shenyang/studios/{studio.id}/activities"
    today = dt.date.today().isoformat()
    assert visitor.post(url, {"type": "open_class", "title": "今天的活动", "date": today}, htmx=True).status_code == 200


def test_two_corrections_of_one_activity_from_the_same_form_keep_the_first(app) -> None:
    """Both loaded version n; the database decides (``UPDATE … WHERE version = n``): the second is refused."""
    import pytest
    from marshmallow import ValidationError

    from mingshi.core.services.access import actor_for

    studio = studio_of(app, "shenyang")
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with _session(app, studio.tenant_id) as setup:
        activity = setup.scalars(
            select(m.Activity).where(m.Activity.studio_id == studio.id, m.Activity.withdrawn_at.is_(None))
        ).first()
        activity_id = activity.id
    first, second = _session(app, studio.tenant_id), _session(app, studio.tenant_id)
    try:
        admin = first.scalar(select(m.User).where(m.User.username == "shenyang-admin"))
        actor = actor_for(first, admin)
        one, two = first.get(m.Activity, activity_id), second.get(m.Activity, activity_id)
        loaded = one.version
        records = [{"person_id": r.person_id, "status": r.status} for r in one.attendance if r.status != "excused"]

        def data(row: m.Activity, title: str) -> dict:
            return {"version": loaded, "date": row.date, "type": row.type, "title": title, "mode": row.mode}

        ws.edit_activity(first, actor, jurisdictions, one, data(one, "第一次更正"), records)
        first.commit()
        with pytest.raises(ValidationError) as refused:
            ws.edit_activity(second, actor, jurisdictions, two, data(two, "第二次更正"), records)
        assert "version" in refused.value.messages
        second.rollback()
    finally:
        first.close()
        second.close()
    with _session(app, studio.tenant_id) as session:
        assert session.get(m.Activity, activity_id).title == "第一次更正"


def test_corrections_read_in_english_too(visitor, app) -> None:
    visitor.login("shenyang-admin")
    studio = studio_of(app, "shenyang")
    url = f"/shenyang/studios/{studio.id}/outputs"
    visitor.post(url, {"type": "paper", "title": "Typo paper", "date": "2026-10-01", "level": "county"}, htmx=True)
    with _session(app, studio.tenant_id) as session:
        output = session.scalar(select(m.Output).where(m.Output.title == "Typo paper"))
    visitor.post(
        f"{url}/{output.id}/edit",
        {
            "version": str(output.version),
            "type": "paper",
            "title": "Typo paper",
            "date": "2026-10-01",
            "level": "municipal",
        },
        htmx=True,
    )
    log = _text(visitor.get("/shenyang/audit?lang=en"))
    assert "corrected the output “Typo paper”" in log
    assert re.search(r"county.{0,80}→.{0,80}municipal", log), log[-3000:]
    zh = _text(visitor.get("/shenyang/audit?lang=zh_CN"))
    assert "更正了" in zh and re.search(r"县（区、旗）级.{0,80}→.{0,80}市级", zh)
