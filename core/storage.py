"""Where uploaded evidence is kept (issue 17): one interface, two stores, and the checks a file passes first.

A file is stored under a key the platform makes (``tenant/<tenant id>/<random hex>``), never under a
name a user typed, so that nothing a user sends can choose where it is written. What a person called
the file is kept beside the record, after :func:`clean_filename`.

* :class:`LocalStorage`: a folder on the server's file system, outside the web root (by default
  ``<instance>/files``), one sub-folder per tenant. Writes go to a temporary file that is renamed
  into place, so a reader never sees half a file.
* :class:`S3Storage`: any S3-compatible store (MinIO, Ceph, a cloud provider's), named by the setting
  ``MINGSHI_STORAGE_URL=s3://bucket/prefix?endpoint_url=http://host:9000&region=…`` and talked to
  with boto3 (the ``s3`` extra). Credentials come from the usual AWS variables.

:func:`inspect_upload` decides whether a file may be kept at all, from its bytes, not from its name:
PDF, PNG, JPEG, GIF, WebP, and Office documents (Word, Excel, PowerPoint, both the zip-based and the
older formats). The name's extension must agree with the content (an HTML page or a program renamed
``.pdf`` is refused); a zip-based Office file is opened and refused when it would expand beyond a
bound (a zip bomb); the size is limited by ``MINGSHI_UPLOAD_MAX_MB``. Each refusal is an
:class:`UploadRefused` whose ``message`` is an English msgid with its parameters, translated where it
is shown.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import filetype

#: what may be uploaded: media type -> the extensions a name of that type may have
ACCEPTED: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
}
#: the older Office formats share one container (OLE2); which of the three it is, the name says
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_TYPES = {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"}
#: a zip-based Office file may expand to at most this many bytes, this many times its size, this many entries
ZIP_MAX_EXPANDED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 5_000
MAX_NAME = 200


@dataclass(frozen=True)
class UploadRefused(ValueError):
    """A file that is not kept; ``message`` % ``params`` says why (an English msgid)."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.params


@dataclass(frozen=True)
class Inspected:
    """A file that may be kept: its cleaned name, its media type (from its content), size and SHA-256."""

    filename: str
    media_type: str
    size: int
    sha256: str


def clean_filename(name: str) -> str:
    """The name a person gave the file, refused if it holds path separators or control characters."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise UploadRefused("The file has no name.")
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise UploadRefused("A file name cannot contain / or \\.")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise UploadRefused("A file name cannot contain control characters.")
    if len(name) > MAX_NAME:
        raise UploadRefused("A file name can have at most %(max)s characters.", {"max": MAX_NAME})
    return name


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise UploadRefused("The document holds too many parts to be a document.")
            expanded = sum(entry.file_size for entry in entries)
            if expanded > ZIP_MAX_EXPANDED or expanded > ZIP_MAX_RATIO * max(len(data), 1):
                raise UploadRefused("The document would expand far beyond its size (a zip bomb); it is refused.")
            if archive.testzip() is not None:
                raise UploadRefused("The document is damaged.")
    except zipfile.BadZipFile as exc:
        raise UploadRefused("The document is damaged.") from exc


def inspect_upload(filename: str, data: bytes, *, max_bytes: int) -> Inspected:
    """Whether ``data`` named ``filename`` may be kept; :class:`UploadRefused` says why not."""
    name = clean_filename(filename)
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > max_bytes:
        raise UploadRefused("The file is larger than %(max)s MB.", {"max": f"{max_bytes / (1024 * 1024):g}"})
    extension = os.path.splitext(name)[1].lower()
    if data.startswith(OLE2):
        media_type = OLE2_TYPES.get(extension)
    else:
        kind = filetype.guess(data)
        media_type = kind.mime if kind is not None else None
    if media_type not in ACCEPTED:
        raise UploadRefused(
            "Only PDF, images (PNG, JPEG, GIF, WebP) and Office documents can be uploaded; this file is none of them."
        )
    if extension not in ACCEPTED[media_type]:
        raise UploadRefused(
            "The file's name ends in %(extension)s but its content is %(kind)s.",
            {"extension": extension or "(none)", "kind": ACCEPTED[media_type][0].lstrip(".").upper()},
        )
    if media_type.startswith("application/vnd.openxmlformats"):
        _check_zip(data)
    return Inspected(name, media_type, len(data), hashlib.sha256(data).hexdigest())


def new_key(tenant_id: int) -> str:
    """A fresh key for a file of the tenant: nothing of it comes from the user."""
    return f"tenant/{int(tenant_id)}/{secrets.token_hex(16)}"


def _check_key(key: str) -> None:
    parts = key.split("/")
    if (
        len(parts) != 3
        or parts[0] != "tenant"
        or not parts[1].isdigit()
        or not all(c in "0123456789abcdef" for c in parts[2])
    ):
        raise ValueError(f"not a storage key: {key!r}")


class Storage(Protocol):
    """What the platform asks of a store."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """Files in a folder of the server, one sub-folder per tenant."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        _check_key(key)
        return self.root.joinpath(*key.split("/"))

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


class S3Storage:
    """Objects in a bucket of an S3-compatible store, under an optional prefix."""

    def __init__(self, bucket: str, prefix: str = "", *, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    def _name(self, key: str) -> str:
        _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._name(key),
            Body=data,
            ContentType="application/octet-stream",
            ChecksumAlgorithm="SHA256",
        )

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True


def storage_from_url(url: str) -> Storage:
    """The store a ``MINGSHI_STORAGE_URL`` names: ``s3://bucket/prefix?endpoint_url=…&region=…``, or a folder
    (``file:///srv/mingshi/files`` or a plain path)."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        try:
            import boto3
        except ImportError as exc:  # the message says how to get it; nothing is swallowed
            raise RuntimeError("MINGSHI_STORAGE_URL names an S3 store: install mingshi[s3] (boto3)") from exc
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        client = boto3.client(
            "s3", endpoint_url=query.get("endpoint_url"), region_name=query.get("region") or "us-east-1"
        )
        return S3Storage(parts.netloc, parts.path, client=client)
    if parts.scheme == "file":
        return LocalStorage(parts.path)
    if parts.scheme:
        raise ValueError(f"MINGSHI_STORAGE_URL: s3://… or a folder, not {parts.scheme}://")
    return LocalStorage(url)
