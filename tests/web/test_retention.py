"""Withdrawn evidence is kept for the retention period, then its bytes are purged (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import evidence as ev
from mingshi.core.services import retention
from mingshi.core.services.access import Actor
from mingshi.core.storage import LocalStorage
from mingshi.core.tenancy import bind_tenant

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def world(app, tmp_path):
    """A session of the Lianyungang demo, its administrator, and an empty store of this test's own."""
    session = app.extensions["mingshi"]["sessions"]()
    tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "lianyungang"))
    bind_tenant(session, tenant_id)
    admin = Actor(user_id=None, name="管理员", tenant_id=tenant_id, roles=frozenset({"admin"}))
    yield session, admin, LocalStorage(tmp_path / "store")
    session.close()


def _attach(session, admin, storage, kind, model):
    row = session.scalars(select(model).order_by(model.id)).first()
    record = ev.Record(kind, row.id, row.studio_id)
    evidence = ev.attach(
        session, admin, storage, record, purpose="other", filename="x.pdf", data=PDF, max_bytes=len(PDF)
    )
    return row, evidence


def _ago(years: int, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY.replace(year=TODAY.year - years), dt.time(12), tzinfo=dt.UTC) + dt.timedelta(
        days=days
    )


def test_the_default_retention_is_five_years_and_a_dated_tenant_value_overrides_it(world) -> None:
    session, _admin, _storage = world
    assert retention.retention_years(session, TODAY) == 5
    session.add(m.ParameterValue(param_id=retention.PARAMETER, valid_from=dt.date(2026, 1, 1), value="8"))
    session.flush()
    assert retention.retention_years(session, TODAY) == 8
    assert retention.retention_years(session, dt.date(2025, 12, 31)) == 5


def test_a_file_is_purged_only_past_retention_and_never_while_it_proves_a_live_record(world) -> None:
    session, admin, storage = world
    _a, live = _attach(session, admin, storage, "activity", m.Activity)
    _o, young = _attach(session, admin, storage, "output", m.Output)
    _w, old = _attach(session, admin, storage, "award", m.StudentAward)
    award, of_withdrawn_record = _w, _attach(session, admin, storage, "award", m.StudentAward)[1]
    # one day inside the period, one day past it; a live file of a withdrawn record past it
    young.withdrawn_at, young.withdrawn_reason = _ago(5, days=1), "wrong file"
    old.withdrawn_at, old.withdrawn_reason = _ago(5, days=-1), "wrong file"
    award.withdrawn_at = _ago(6)
    session.flush()

    # every current file of the withdrawn award (the demo's certificate too) and the old withdrawn one
    of_award = set(
        session.scalars(select(m.Evidence.id).where(m.Evidence.award_id == award.id, m.Evidence.withdrawn_at.is_(None)))
    )
    assert of_withdrawn_record.id in of_award
    expected = of_award | {old.id}
    shown = retention.preview(session, admin, today=TODAY)
    assert {c.id for c in shown.rows} == expected and shown.total == len(expected)
    assert live.id not in {c.id for c in shown.rows} and young.id not in {c.id for c in shown.rows}
    assert {c.reason for c in shown.rows} == {"file", "record"}

    result = retention.purge(session, admin, storage, today=TODAY, seen=shown.seen)
    assert result["purged"] == len(expected) and result["left"] == []
    session.expire_all()
    gone = session.get(m.Evidence, old.id)
    assert gone.purged_at is not None and gone.purged_by_name == "管理员"
    assert not storage.exists(gone.storage_key) and storage.exists(session.get(m.Evidence, young.id).storage_key)
    assert storage.exists(session.get(m.Evidence, live.id).storage_key)
    logged = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "purge_evidence")).all()
    assert {e.entity_id for e in logged} == expected
    with pytest.raises(LookupError):
        ev.read(session, admin, storage, old.id)
    # purged once: nothing left to purge
    assert retention.preview(session, admin, today=TODAY).total == 0


def test_a_purge_of_a_list_that_changed_since_the_preview_is_refused_and_deletes_nothing(world) -> None:
    session, admin, storage = world
    _o, first = _attach(session, admin, storage, "output", m.Output)
    first.withdrawn_at, first.withdrawn_reason = _ago(6), "wrong"
    session.flush()
    seen = retention.preview(session, admin, today=TODAY).seen
    _w, second = _attach(session, admin, storage, "award", m.StudentAward)
    second.withdrawn_at, second.withdrawn_reason = _ago(7), "wrong"
    session.flush()
    with pytest.raises(ValidationError):
        retention.purge(session, admin, storage, today=TODAY, seen=seen)
    session.rollback()
    assert session.scalars(select(m.Evidence).where(m.Evidence.purged_at.is_not(None))).all() == []


def test_only_the_administrator_previews_or_purges(world) -> None:
    session, admin, storage = world
    reviewer = Actor(user_id=None, name="r", tenant_id=admin.tenant_id, roles=frozenset({"reviewer"}))
    from mingshi.core.services.access import Forbidden

    with pytest.raises(Forbidden):
        retention.preview(session, reviewer, today=TODAY)
    with pytest.raises(Forbidden):
        retention.purge(session, reviewer, storage, today=TODAY, seen="0" * 64)


@pytest.fixture
def immediate_queue(monkeypatch):
    from mingshi.core import jobs

    monkeypatch.setenv("MINGSHI_QUEUE_URL", "memory://")
    jobs.reset_queue()
    yield
    jobs.reset_queue()


def test_the_administrator_previews_then_confirms_and_the_job_purges_what_was_shown(
    visitor, app, immediate_queue
) -> None:
    from pathlib import Path

    with app.extensions["mingshi"]["sessions"]() as session:
        tenant_id = session.scalar(select(m.Tenant.id).where(m.Tenant.code == "lianyungang"))
        bind_tenant(session, tenant_id)
        row = session.scalars(select(m.Evidence).order_by(m.Evidence.id)).first()
        row.withdrawn_at, row.withdrawn_by_name, row.withdrawn_reason = _ago(9), "管理员", "传错了"
        key, evidence_id = row.storage_key, row.id
        session.commit()
    stored = Path(app.config["STORAGE_URL"])
    assert any(p.is_file() for p in stored.rglob("*"))

    visitor.login("lianyungang-reviewer")
    assert visitor.get("/lianyungang/admin/retention").status_code == 403
    visitor.client.get("/logout")
    visitor.login("lianyungang-admin")
    page = visitor.get("/lianyungang/admin/retention").get_data(as_text=True)
    assert f'data-candidate="{evidence_id}"' in page and "传错了" not in page
    seen = page.split('name="seen" value="', 1)[1].split('"', 1)[0]
    # nothing was deleted by looking
    assert app.extensions["mingshi"]["storage"].exists(key)
    assert visitor.post("/lianyungang/admin/retention", {"seen": "x"}).status_code == 422
    response = visitor.post("/lianyungang/admin/retention", {"seen": seen})
    assert response.status_code == 303
    job_page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-purged="1"' in job_page
    assert not app.extensions["mingshi"]["storage"].exists(key)
    assert visitor.get(f"/lianyungang/files/{evidence_id}").status_code == 404
    # another city's administrator does not reach this city's page
    visitor.client.get("/logout")
    visitor.login("shenyang-admin")
    assert visitor.get("/lianyungang/admin/retention").status_code in (403, 404)


class _Unreachable(LocalStorage):
    """A store whose deletions fail, as S3 out of reach does, until it is reachable again."""

    reachable = False

    def delete(self, key: str) -> None:
        if not self.reachable:
            raise ConnectionError("the store is out of reach")
        super().delete(key)


def test_bytes_the_store_could_not_delete_are_deleted_by_the_next_purge(world, tmp_path, caplog) -> None:
    session, admin, _storage = world
    store = _Unreachable(tmp_path / "flaky")
    _o, evidence = _attach(session, admin, store, "output", m.Output)
    evidence.withdrawn_at, evidence.withdrawn_reason = _ago(6), "wrong"
    session.flush()
    key, evidence_id = evidence.storage_key, evidence.id
    result = retention.purge(
        session, admin, store, today=TODAY, seen=retention.preview(session, admin, today=TODAY).seen
    )
    assert result["purged"] == 1 and result["left"] == [evidence_id]
    assert "could not be deleted" in caplog.text  # the store's error is the operator's, in the log
    row = session.get(m.Evidence, evidence_id)
    assert row.purged_at is not None and row.bytes_deleted_at is None and store.exists(key)
    # the administrator sees it, with nothing new to purge, and can try again
    again = retention.preview(session, admin, today=TODAY)
    assert again.total == 0 and again.bytes_left == 1
    # still out of reach: kept to be tried again, nothing lost
    assert retention.purge(session, admin, store, today=TODAY, seen=again.seen)["left"] == [evidence_id]
    store.reachable = True
    result = retention.purge(session, admin, store, today=TODAY, seen=again.seen)
    assert result["purged"] == 0 and result["retried"] == 1 and result["left"] == []
    assert not store.exists(key)
    session.expire_all()
    assert session.get(m.Evidence, evidence_id).bytes_deleted_at is not None
    assert retention.preview(session, admin, today=TODAY).bytes_left == 0
    # one audit entry for the purge, none for the retries (they change no one's record)
    entries = session.scalars(
        select(m.AuditEntry).where(m.AuditEntry.action == "purge_evidence", m.AuditEntry.entity_id == evidence_id)
    ).all()
    assert len(entries) == 1


def test_the_page_offers_to_try_again_when_bytes_were_left(visitor, app, immediate_queue) -> None:
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "lianyungang")))
        row = session.scalars(select(m.Evidence).order_by(m.Evidence.id)).first()
        row.withdrawn_at, row.withdrawn_reason = _ago(9), "传错了"
        row.purged_at, row.purged_by_name = _ago(1), "管理员"  # purged, its bytes left in the store
        key = row.storage_key
        session.commit()
    assert app.extensions["mingshi"]["storage"].exists(key)
    visitor.login("lianyungang-admin")
    page = visitor.get("/lianyungang/admin/retention").get_data(as_text=True)
    assert 'data-left="1"' in page and "下次清除时会再试" in page and 'id="purge"' in page
    seen = page.split('name="seen" value="', 1)[1].split('"', 1)[0]
    response = visitor.post("/lianyungang/admin/retention", {"seen": seen})
    job_page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-purged="0"' in job_page and "再试了一次" in job_page
    assert not app.extensions["mingshi"]["storage"].exists(key)
    assert 'data-left="' not in visitor.get("/lianyungang/admin/retention").get_data(as_text=True)
