"""The evidence store (issue 17): what a file must be to be kept, and the two stores that keep it.

The S3 store is tested against moto's server over HTTP on loopback (a faithful fake of the protocol,
spoken to by boto3 as a real store would be), not against a mocked client.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from mingshi.core.storage import (
    LocalStorage,
    S3Storage,
    UploadRefused,
    clean_filename,
    inspect_upload,
    new_key,
    storage_from_url,
)

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 17


def xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def docx_bomb(size: int = 40 * MB) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * size)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("聘书.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("签到表.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "application/msword"),
    ],
)
def test_documents_and_images_are_accepted_by_their_content(name, data, media_type) -> None:
    inspected = inspect_upload(name, data, max_bytes=MB)
    assert inspected.media_type == media_type
    assert inspected.size == len(data)
    assert len(inspected.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("report.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "Only PDF"),
        ("certificate.pdf", b"MZ\x90\x00" + b"\0" * 200, "Only PDF"),
        ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 200, "Only PDF"),
        ("notice.pdf", PNG, "ends in .pdf but its content is PNG"),
        ("page.html", PDF, "ends in .html but its content is PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_whose_content_is_not_what_may_be_kept_is_refused(name, data, says) -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(name, data, max_bytes=MB)
    assert says in str(refused.value)


def test_a_file_over_the_limit_is_refused_and_one_at_it_is_kept() -> None:
    at_limit = PDF + b"%" * (MB - len(PDF))
    assert inspect_upload("a.pdf", at_limit, max_bytes=MB).size == MB
    with pytest.raises(UploadRefused, match="larger than 1 MB"):
        inspect_upload("a.pdf", at_limit + b"%", max_bytes=MB)


def test_a_zip_bomb_in_an_office_file_is_refused() -> None:
    bomb = docx_bomb()
    assert len(bomb) < MB  # small on the wire, 40 MB once opened
    with pytest.raises(UploadRefused, match="zip bomb"):
        inspect_upload("方案.docx", bomb, max_bytes=MB)


@pytest.mark.parametrize(
    "name", ["../etc/passwd.pdf", "a/b.pdf", "a\\b.pdf", "bad\x00.pdf", "line\nbreak.pdf", "rtl\u202e.pdf"]
)
def test_a_name_with_path_separators_or_control_characters_is_refused(name) -> None:
    with pytest.raises(UploadRefused):
        clean_filename(name)


def test_a_plain_name_in_any_script_is_kept() -> None:
    assert clean_filename(" 2026年 活动通知 (定稿).pdf ") == "2026年 活动通知 (定稿).pdf"


def test_the_local_store_keeps_files_per_tenant_under_keys_it_makes(tmp_path) -> None:
    store = storage_from_url(str(tmp_path / "files"))
    assert isinstance(store, LocalStorage)
    key = new_key(7)
    store.put(key, PDF)
    assert store.exists(key) and store.get(key) == PDF
    assert (tmp_path / "files" / "tenant" / "7").is_dir()
    store.delete(key)
    assert not store.exists(key)
    for bad in ["tenant/7/../../x", "/etc/passwd", "tenant/x/abc", "tenant/7/ABC"]:
        with pytest.raises(ValueError):
            store.get(bad)


@pytest.fixture(scope="module")
def s3_endpoint():
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_the_s3_store_round_trips_over_http(s3_endpoint, monkeypatch) -> None:
    boto3 = pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket="evidence")
    store = storage_from_url(f"s3://evidence/mingshi?endpoint_url={s3_endpoint}")
    assert isinstance(store, S3Storage)
    key = new_key(3)
    assert not store.exists(key)
    store.put(key, PDF)
    assert store.exists(key) and store.get(key) == PDF
    listed = store.client.list_objects_v2(Bucket="evidence")["Contents"]
    assert [o["Key"] for o in listed] == [f"mingshi/{key}"]
    store.delete(key)
    assert not store.exists(key)
