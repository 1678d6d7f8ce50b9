"""Evidence files on a record (issue 17): attach, open, withdraw — and what is refused, with nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _activity_of(app, studio: m.Studio) -> int:
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        return session.scalar(select(m.Activity.id).where(m.Activity.studio_id == studio.id).order_by(m.Activity.id))


def _count(app, tenant_id: int) -> int:
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, tenant_id)
        return session.scalar(
            select(func.count()).select_from(m.Evidence).where(m.Evidence.uploaded_by_id.is_not(None))
        )


def _stored_files(app, demo_files: Path) -> list[Path]:
    """The files the test stored (the demo's own are there from the start)."""
    root = Path(app.config["STORAGE_URL"])
    demo = {p.relative_to(demo_files) for p in demo_files.rglob("*") if p.is_file()}
    return [p for p in root.rglob("*") if p.is_file() and p.relative_to(root) not in demo]


def _upload(visitor, url: str, name: str, data: bytes, purpose: str = "notice"):
    data = {"purpose": purpose, "file": (io.BytesIO(data), name)}
    return visitor.post(url, data=data, content_type="multipart/form-data")


def test_the_host_attaches_a_notice_and_a_reviewer_opens_it(visitor, app, demo_files) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    activity = _activity_of(app, studio)
    url = f"/shenyang/evidence/activity/{activity}"
    visitor.login("shenyang-host")
    response = _upload(visitor, url, "2026年活动通知.pdf", PDF)
    assert response.status_code == 303
    page = visitor.get(url).get_data(as_text=True)
    assert "2026年活动通知.pdf" in page and "活动通知" in page
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        row = session.scalar(select(m.Evidence).where(m.Evidence.uploaded_by_id.is_not(None)))
        assert (row.activity_id, row.media_type, row.size) == (activity, "application/pdf", len(PDF))
        audit = session.scalar(
            select(m.AuditEntry).where(m.AuditEntry.action == "add_evidence", m.AuditEntry.entity_id == row.id)
        )
        assert audit.after["filename"] == "2026年活动通知.pdf"

    visitor.client.get("/logout")
    visitor.login("shenyang-reviewer")
    download = visitor.get(f"/shenyang/files/{row.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''2026" in download.headers["Content-Disposition"]
    # a reviewer reads and does not attach
    assert _upload(visitor, url, "x.pdf", PDF).status_code == 403


def test_an_html_page_renamed_pdf_is_refused_with_a_message_and_nothing_is_stored(visitor, app, demo_files) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    url = f"/shenyang/evidence/activity/{_activity_of(app, studio)}"
    visitor.login("shenyang-host")
    response = _upload(visitor, url, "report.pdf", b"<html><script>alert(1)</script></html>", purpose="report")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "只能上传" in text  # the refusal in the user's language
    assert 'value="report" selected' in text  # what the user chose is kept
    assert _count(app, studio.tenant_id) == 0
    assert _stored_files(app, demo_files) == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(visitor, app, demo_files) -> None:
    app.config["UPLOAD_MAX_BYTES"] = 1024
    studio = studio_of(app, "shenyang", "shenyang-host")
    url = f"/shenyang/evidence/activity/{_activity_of(app, studio)}"
    visitor.login("shenyang-host")
    assert _upload(visitor, url, "a.pdf", PDF + b"%" * 1024).status_code == 422
    assert _upload(visitor, url, "a.pdf", PDF).status_code == 303
    assert _count(app, studio.tenant_id) == 1 and len(_stored_files(app, demo_files)) == 1


def test_a_withdrawn_file_needs_a_reason_and_stays_in_the_history_with_its_bytes(visitor, app, demo_files) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    url = f"/shenyang/evidence/activity/{_activity_of(app, studio)}"
    visitor.login("shenyang-host")
    _upload(visitor, url, "签到表.pdf", PDF, purpose="sign_in")
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        evidence_id = session.scalar(select(m.Evidence.id).where(m.Evidence.uploaded_by_id.is_not(None)))
    assert visitor.post(f"/shenyang/files/{evidence_id}/withdraw", data={"reason": " "}).status_code == 422
    assert visitor.post(f"/shenyang/files/{evidence_id}/withdraw", data={"reason": "传错了文件"}).status_code == 303
    page = visitor.get(url).get_data(as_text=True)
    assert "签到表.pdf" in page and "传错了文件" in page
    assert len(_stored_files(app, demo_files)) == 1
    assert visitor.get(f"/shenyang/files/{evidence_id}").status_code == 200


def test_files_are_not_seen_outside_the_studio_or_the_tenant(visitor, app, demo_files) -> None:
    studio = studio_of(app, "shenyang", "shenyang-host")
    url = f"/shenyang/evidence/activity/{_activity_of(app, studio)}"
    visitor.login("shenyang-host")
    _upload(visitor, url, "通知.pdf", PDF)
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, studio.tenant_id)
        evidence_id = session.scalar(select(m.Evidence.id).where(m.Evidence.uploaded_by_id.is_not(None)))
    visitor.client.get("/logout")
    visitor.login("wenzhou-admin")
    assert visitor.get(f"/shenyang/files/{evidence_id}").status_code == 404
    assert visitor.get(f"/wenzhou/files/{evidence_id}").status_code == 404
    assert visitor.get(f"/wenzhou/evidence/activity/{_activity_of(app, studio)}").status_code == 404
