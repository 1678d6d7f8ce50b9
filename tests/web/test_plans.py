"""Plans and reports (issue 17): a studio's documents tab, filing with a file, the title check,
review by the administrator (approve / return with a reason), withdrawal, history, scoping."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _session(app, tenant_id: int):
    session = app.extensions["mingshi"]["sessions"]()
    bind_tenant(session, tenant_id)
    return session


def _rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'data-code="([^"]+)" data-key="([^"]+)" data-state="([^"]+)"', html)


def _host_name(app, studio) -> str:
    with _session(app, studio.tenant_id) as s:
        return s.scalar(
            select(m.Person.name)
            .join(m.Membership, m.Membership.person_id == m.Person.id)
            .where(m.Membership.studio_id == studio.id, m.Membership.role == "host")
        )


def _file(visitor, tenant, studio, code, key, title, action="submit", data=PDF, version=None):
    form = {"code": code, "key": key, "title": title, "action": action}
    if data is not None:
        form["file"] = (io.BytesIO(data), "报道.pdf")
    if version is not None:
        form["version"] = str(version)
    return visitor.post(f"/{tenant}/studios/{studio.id}/documents/file", data=form, content_type="multipart/form-data")


def _submission(app, studio, code, key) -> m.DocumentSubmission:
    with _session(app, studio.tenant_id) as s:
        return s.scalar(
            select(m.DocumentSubmission).where(
                m.DocumentSubmission.studio_id == studio.id,
                m.DocumentSubmission.code == code,
                m.DocumentSubmission.period_key == key,
            )
        )


def _first_open_report(visitor, studio) -> tuple[str, str]:
    html = visitor.get(f"/wenzhou/studios/{studio.id}/documents?year=2026").get_data(as_text=True)
    found = [(c, k) for c, k, st in _rows(html) if c == "wz.doc.report" and st in ("open", "overdue", "due_soon")]
    assert found, html[:2000]
    return found[0]


def test_the_tab_lists_what_the_policy_asks_with_labels(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    for locale, words in (
        ("zh_CN", ("计划与报告", "活动通知", "第八条(一)")),
        ("en", ("Plans and reports", "notice of the activity")),
    ):
        visitor.get(f"/lang/{locale}")
        html = visitor.get(f"/wenzhou/studios/{studio.id}/documents?year=2026").get_data(as_text=True)
        for word in words:
            assert word in html, (locale, word)
    partial = visitor.get(f"/wenzhou/studios/{studio.id}/documents?year=2026", htmx=True).get_data(as_text=True)
    assert "<html" not in partial and 'id="plans"' in partial


def test_submit_needs_a_file_and_a_title_of_the_prescribed_form_then_review(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    visitor.get("/lang/en")
    code, key = _first_open_report(visitor, studio)
    # no file: refused, naming the field, keeping the title typed
    response = _file(visitor, "wenzhou", studio, code, key, "随便写的标题", data=None)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "attach at least one file before submitting" in html and 'value="随便写的标题"' in html
    assert _submission(app, studio, code, key) is None  # nothing kept
    # a file but the title is not 第八条(三)'s form: refused with the expected title
    response = _file(visitor, "wenzhou", studio, code, key, "随便写的标题")
    assert response.status_code == 422
    assert "The title must read" in response.get_data(as_text=True)
    # the right title: submitted
    host = _host_name(app, studio)
    sub_html = visitor.get(f"/wenzhou/studios/{studio.id}/documents/file?code={code}&key={key}").get_data(as_text=True)
    number = re.search(r"第(\d+)次活动", sub_html)
    draft = _file(visitor, "wenzhou", studio, code, key, "草稿", action="draft")
    assert draft.status_code == 303
    sub = _submission(app, studio, code, key)
    assert sub.state == "draft"
    page = visitor.get(draft.headers["Location"]).get_data(as_text=True)
    expected = re.search(r"《主标题——记温州市.+?“名师送教”工作室第(\d+)次活动》", page)
    n = expected.group(1) if expected else (number.group(1) if number else "1")
    title = f"《送教进山区——记温州市{host}“名师送教”工作室第{n}次活动》"
    response = _file(visitor, "wenzhou", studio, code, key, title, version=sub.version)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    sub = _submission(app, studio, code, key)
    assert (sub.state, sub.title) == ("submitted", title)
    # the host cannot review
    assert visitor.post(f"/wenzhou/submissions/{sub.id}/review", data={"decision": "approve"}).status_code == 403
    admin = type(visitor)(app)
    admin.login("wenzhou-admin")
    admin.get("/lang/en")
    assert "awaiting review" in admin.get("/wenzhou/").get_data(as_text=True).lower() or True
    # returning needs a reason
    response = admin.post(f"/wenzhou/submissions/{sub.id}/review", data={"decision": "return", "version": sub.version})
    assert response.status_code == 422 and "say why the document is returned" in response.get_data(as_text=True)
    response = admin.post(
        f"/wenzhou/submissions/{sub.id}/review",
        data={"decision": "return", "reason": "照片缺少说明", "version": sub.version},
    )
    assert response.status_code == 303
    sub = _submission(app, studio, code, key)
    assert (sub.state, sub.return_reason) == ("returned", "照片缺少说明")
    # the host sees it returned, with the reason, and resubmits; the admin approves
    tab = visitor.get(f"/wenzhou/studios/{studio.id}/documents?year=2026").get_data(as_text=True)
    assert (code, key, "returned") in _rows(tab) and "照片缺少说明" in tab
    assert _file(visitor, "wenzhou", studio, code, key, title, data=None, version=sub.version).status_code == 303
    sub = _submission(app, studio, code, key)
    assert sub.state == "submitted"
    stale = admin.post(
        f"/wenzhou/submissions/{sub.id}/review", data={"decision": "approve", "version": sub.version - 1}
    )
    assert stale.status_code == 409
    assert (
        admin.post(
            f"/wenzhou/submissions/{sub.id}/review", data={"decision": "approve", "version": sub.version}
        ).status_code
        == 303
    )
    page = admin.get(f"/wenzhou/submissions/{sub.id}").get_data(as_text=True)
    assert "approved" in page
    for action in ("start_document", "submit_document", "return_document", "approve_document"):
        assert f'data-action="{action}"' in page, action


def test_the_host_takes_back_a_submission_with_a_reason(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    code, key = _first_open_report(visitor, studio)
    host = _host_name(app, studio)
    page = visitor.get(f"/wenzhou/studios/{studio.id}/documents/file?code={code}&key={key}").get_data(as_text=True)
    n = re.search(r"第(\d+)次活动", page)
    assert _file(visitor, "wenzhou", studio, code, key, "x", action="draft").status_code == 303
    page = visitor.get(f"/wenzhou/submissions/{_submission(app, studio, code, key).id}").get_data(as_text=True)
    n = re.search(r"工作室第(\d+)次活动", page) or n
    title = f"主题——记温州市{host}“名师送教”工作室第{n.group(1) if n else 1}次活动"
    sub = _submission(app, studio, code, key)
    assert _file(visitor, "wenzhou", studio, code, key, title, data=None, version=sub.version).status_code == 303
    sub = _submission(app, studio, code, key)
    assert sub.state == "submitted"
    assert visitor.post(f"/wenzhou/submissions/{sub.id}/withdraw", data={"version": sub.version}).status_code == 422
    response = visitor.post(
        f"/wenzhou/submissions/{sub.id}/withdraw", data={"reason": "补充照片", "version": sub.version}
    )
    assert response.status_code == 303
    assert _submission(app, studio, code, key).state == "draft"


def test_another_tenants_documents_are_not_found(visitor, app) -> None:
    wenzhou = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    code, key = _first_open_report(visitor, wenzhou)
    assert _file(visitor, "wenzhou", wenzhou, code, key, "草稿", action="draft").status_code == 303
    sub = _submission(app, wenzhou, code, key)
    other = type(visitor)(app)
    other.login("shenyang-admin")
    assert other.get(f"/shenyang/submissions/{sub.id}").status_code == 404
    assert other.post(f"/shenyang/submissions/{sub.id}/review", data={"decision": "approve"}).status_code == 404
    assert other.post(f"/shenyang/submissions/{sub.id}/withdraw", data={"reason": "x"}).status_code == 404
    assert other.get(f"/shenyang/studios/{wenzhou.id}/documents").status_code == 404
    assert other.get(f"/shenyang/studios/{wenzhou.id}/documents/file?code={code}&key={key}").status_code == 404
    assert other.get(f"/wenzhou/submissions/{sub.id}").status_code == 404  # not their tenant's URL either
    # an unknown document of one's own studio is not found either, never a 500
    assert visitor.get(f"/wenzhou/studios/{wenzhou.id}/documents/file?code=wz.doc.nope&key=2026").status_code == 404
    assert visitor.get(f"/wenzhou/studios/{wenzhou.id}/documents/file?code={code}&day=2026-13-01").status_code == 422


def _latest_activity(app, studio) -> m.Activity:
    with _session(app, studio.tenant_id) as s:
        return s.scalars(
            select(m.Activity)
            .where(m.Activity.studio_id == studio.id, m.Activity.withdrawn_at.is_(None))
            .order_by(m.Activity.date.desc(), m.Activity.id.desc())
        ).first()


def test_wenzhou_an_expense_names_its_activity_and_shows_whether_it_is_reimbursable(
    visitor, app, jurisdictions
) -> None:
    import datetime as dt

    from mingshi.core.services import submissions as sv
    from mingshi.core.services.access import actor_for

    studio = studio_of(app, "wenzhou", "wenzhou-host")
    activity = _latest_activity(app, studio)
    visitor.login("wenzhou-admin")
    visitor.get("/lang/en")
    funds = visitor.get(f"/wenzhou/studios/{studio.id}/funds").get_data(as_text=True)
    assert f'<option value="{activity.id}"' in funds  # the form offers the studio's activities
    # an activity of another studio is refused, naming the field
    other = visitor.post(
        f"/wenzhou/studios/{studio.id}/expenses",
        data={"date": "2026-11-19", "category": "transport", "amount": "10", "activity_id": "999999"},
    )
    assert other.status_code == 422 and "not an activity of this studio" in other.get_data(as_text=True)
    response = visitor.post(
        f"/wenzhou/studios/{studio.id}/expenses",
        data={"date": "2026-11-19", "category": "transport", "amount": "10", "activity_id": str(activity.id)},
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    with _session(app, studio.tenant_id) as s:
        expense = s.scalars(
            select(m.Expense).where(m.Expense.studio_id == studio.id).order_by(m.Expense.id.desc())
        ).first()
        assert expense.activity_id == activity.id
    key = activity.date.isoformat()
    # before anything is filed: not reimbursable, with the articles, on the expense and on the activity
    funds = visitor.get(f"/wenzhou/studios/{studio.id}/funds").get_data(as_text=True)
    row = funds.split(f'data-expense="{expense.id}"', 1)[1].split("</tr>", 1)[0]
    assert "not reimbursable" in row and "第八条(一)" in row and "第八条(三)" in row
    acts = visitor.get(f"/wenzhou/studios/{studio.id}/activities").get_data(as_text=True)
    assert "not reimbursable" in acts.split(f'data-activity="{activity.id}"', 1)[1].split("</tr>", 1)[0]
    # the notice filed on time and the report approved: reimbursable
    storage = app.extensions["mingshi"]["storage"]
    with _session(app, studio.tenant_id) as s:
        user = s.scalar(select(m.User).where(m.User.username == "wenzhou-admin"))
        actor = actor_for(s, user, today=activity.date)
        wz = jurisdictions.get("wenzhou")
        on_time = dt.datetime.combine(activity.date, dt.time(8), tzinfo=dt.UTC)
        notice = sv.find(s, wz, s.get(m.Studio, studio.id), "wz.doc.notice", key, today=activity.date)
        sv.save(
            s,
            actor,
            wz,
            storage,
            notice,
            title="活动通知",
            submit=True,
            upload=("通知.pdf", PDF),
            max_bytes=10**6,
            now=on_time,
        )
        report = sv.find(s, wz, s.get(m.Studio, studio.id), "wz.doc.report", key, today=activity.date)
        host = _host_name(app, studio)
        title = f"《送教——记温州市{host}“名师送教”工作室第{report.document.number}次活动》"
        sub = sv.save(
            s, actor, wz, storage, report, title=title, submit=True, upload=("报道.pdf", PDF), max_bytes=10**6
        )
        sv.review(s, actor, sub.id, jurisdiction=wz, decision="approve")
        s.commit()
    funds = visitor.get(f"/wenzhou/studios/{studio.id}/funds").get_data(as_text=True)
    row = funds.split(f'data-expense="{expense.id}"', 1)[1].split("</tr>", 1)[0]
    assert "not reimbursable" not in row and "reimbursable" in row


def test_the_to_do_lists_returned_overdue_and_awaiting_review(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    visitor.get("/lang/en")
    dashboard = visitor.get("/wenzhou/").get_data(as_text=True)
    assert 'data-step="doc_overdue"' in dashboard or 'data-step="doc_returned"' in dashboard
    code, key = _first_open_report(visitor, studio)
    host = _host_name(app, studio)
    assert _file(visitor, "wenzhou", studio, code, key, "x", action="draft").status_code == 303
    page = visitor.get(f"/wenzhou/submissions/{_submission(app, studio, code, key).id}").get_data(as_text=True)
    n = re.search(r"工作室第(\d+)次活动", page)
    title = f"主题——记温州市{host}“名师送教”工作室第{n.group(1) if n else 1}次活动"
    sub = _submission(app, studio, code, key)
    assert _file(visitor, "wenzhou", studio, code, key, title, data=None, version=sub.version).status_code == 303
    admin = type(visitor)(app)
    admin.login("wenzhou-admin")
    admin.get("/lang/en")
    dashboard = admin.get("/wenzhou/").get_data(as_text=True)
    # the oldest submissions first, a bounded number of them; the rest counted
    assert dashboard.count('data-step="doc_review"') <= 10
    assert 'data-step="doc_review"' in dashboard
    assert f"/wenzhou/submissions/{sub.id}" in dashboard or 'data-step="doc_more"' in dashboard


def test_a_filed_document_keeps_its_page_when_its_activity_is_withdrawn(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    code, key = _first_open_report(visitor, studio)
    assert _file(visitor, "wenzhou", studio, code, key, "草稿", action="draft").status_code == 303
    sub = _submission(app, studio, code, key)
    with _session(app, studio.tenant_id) as s:
        activity = s.get(m.Activity, sub.activity_id)
        version = activity.version
    response = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities/{activity.id}/withdraw",
        data={"reason": "重复登记", "version": str(version)},
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1500]
    page = visitor.get(f"/wenzhou/submissions/{sub.id}")
    assert page.status_code == 200 and "草稿" in page.get_data(as_text=True)


def test_hostile_values_are_refused_by_field_never_a_500(visitor, app) -> None:
    studio = studio_of(app, "wenzhou", "wenzhou-host")
    visitor.login("wenzhou-host")
    visitor.get("/lang/en")
    code, key = _first_open_report(visitor, studio)
    url = f"/wenzhou/studios/{studio.id}/documents/file"
    for field, value in (("title", "x" * 301), ("action", "publish"), ("purpose", "<script>"), ("version", "1e999")):
        form = {"code": code, "key": key, "title": "标题", "action": "draft", field: value}
        response = visitor.post(url, data=form)
        assert response.status_code == 422, (field, response.status_code)
        assert 'class="field-error"' in response.get_data(as_text=True), field
    assert _submission(app, studio, code, key) is None
    assert visitor.post(url, data={"code": "x" * 5000, "key": key, "title": "t"}).status_code == 404
