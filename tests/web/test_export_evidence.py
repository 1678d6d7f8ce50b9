"""A tenant's export carries its evidence bytes; the import checks each by SHA-256 (issue 17)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.backup import BackupError, export_tenant, import_tenant
from mingshi.core.storage import LocalStorage
from mingshi.core.tenancy import bind_tenant


def _renamed(path, code: str) -> dict:
    """The export as another city's, so that it imports beside the original (code and usernames differ)."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["tenant"]["code"] = code
    for user in payload["tables"]["users"]:
        user["username"] = f"{code}-{user['username']}"
        user["alt_id"] = str(uuid.uuid4())
    return payload


def _files(storage_root) -> list:
    return [p for p in storage_root.rglob("*") if p.is_file()]


def test_the_export_carries_the_files_and_the_import_stores_them_under_new_keys(app, demo_url, tmp_path) -> None:
    source = app.extensions["mingshi"]["storage"]
    file = tmp_path / "lyg.json"
    summary = export_tenant(demo_url, "lianyungang", file, source)
    payload = _renamed(file, "copy")
    assert summary.files == len(payload["files"]) > 0
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    target = LocalStorage(tmp_path / "target")
    imported = import_tenant(demo_url, file, target)
    assert imported.files == len(payload["files"])
    with app.extensions["mingshi"]["sessions"]() as session:
        bind_tenant(session, imported.tenant_id)
        rows = session.scalars(select(m.Evidence)).all()
        assert len(rows) == len(payload["files"])
        old_keys = set(payload["files"])
        for row in rows:
            assert row.storage_key.startswith(f"tenant/{imported.tenant_id}/") and row.storage_key not in old_keys
            assert hashlib.sha256(target.get(row.storage_key)).hexdigest() == row.sha256


def test_a_file_changed_in_the_export_refuses_the_import_and_nothing_is_kept(app, demo_url, tmp_path) -> None:
    file = tmp_path / "lyg.json"
    export_tenant(demo_url, "lianyungang", file, app.extensions["mingshi"]["storage"])
    payload = _renamed(file, "tampered")
    key = next(iter(payload["files"]))
    payload["files"][key] = base64.b64encode(b"%PDF-1.4 not the certificate").decode()
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    target = LocalStorage(tmp_path / "target")
    with pytest.raises(BackupError, match="SHA-256"):
        import_tenant(demo_url, file, target)
    del payload["files"][key]
    file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(BackupError, match="missing"):
        import_tenant(demo_url, file, target)
    with pytest.raises(BackupError, match="needs the evidence store"):
        import_tenant(demo_url, file)
    assert _files(tmp_path / "target") == []
    with app.extensions["mingshi"]["sessions"]() as session:
        assert session.scalar(select(m.Tenant.id).where(m.Tenant.code == "tampered")) is None


def test_an_export_is_refused_when_a_file_is_missing_from_the_store(app, demo_url, tmp_path) -> None:
    with pytest.raises(BackupError, match="missing from the store"):
        export_tenant(demo_url, "lianyungang", tmp_path / "x.json", LocalStorage(tmp_path / "empty"))


def test_demo_reset_clears_the_demo_files_from_the_configured_store(app, demo_url, tmp_path) -> None:
    import shutil
    from pathlib import Path

    from sqlalchemy import text

    from mingshi.core.db import make_engine
    from mingshi.core.demo import clear_files

    store = tmp_path / "configured"
    shutil.copytree(app.config["STORAGE_URL"], store)
    unrelated = store / "tenant" / "999" / ("ab" * 16)
    unrelated.parent.mkdir(parents=True)
    unrelated.write_bytes(b"not the demo's")
    before = _files(store)
    # the files this database names (the session's folder of demo files may hold more: every demo load
    # of the test session writes its own)
    engine = make_engine(demo_url)
    with engine.connect() as connection:
        named = {store / key for key in connection.execute(text("SELECT storage_key FROM evidence")).scalars()}
    engine.dispose()
    assert len(named) > 1 and named <= set(before)
    removed = clear_files(demo_url, LocalStorage(store))
    assert removed == len(named)
    assert sorted(_files(store)) == sorted(set(before) - named) and unrelated in _files(store)
    assert Path(unrelated).read_bytes() == b"not the demo's"
