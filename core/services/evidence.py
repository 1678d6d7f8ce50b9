"""Evidence (查看原始材料): attach a file to a record, list a record's files, open one, withdraw one.

Who may: the studio's host and the city administrator attach and withdraw files of the studio's
records; whoever may see the studio opens them (a reviewer, the members). The checks are here, not
in the views. A file passes :func:`mingshi.core.storage.inspect_upload` before anything is stored;
its bytes go to the store first and the row second, and when the row cannot be written the bytes
are removed again, so the store holds no file without its row. A withdrawal keeps the row and the
bytes (the record's history); every change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.models.evidence import RECORD_COLUMNS
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.storage import Storage, UploadRefused, inspect_upload, new_key
from mingshi.core.vocab import Label

#: the records a file can prove: kind -> (model, the purposes offered for it, first the usual one)
KINDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "activity": (m.Activity, ("notice", "sign_in", "photo", "report", "other")),
    "output": (m.Output, ("certificate", "report", "other")),
    "award": (m.StudentAward, ("certificate", "other")),
    "expense": (m.Expense, ("receipt", "other")),
    "application": (m.Studio, ("plan", "certificate", "other")),
    "submission": (m.DocumentSubmission, ("plan", "report", "notice", "other")),
}


#: what a file is to its record, as a person reads it
PURPOSE_LABELS: dict[str, Label] = {
    "notice": Label("活动通知", "notice of the activity"),
    "sign_in": Label("签到表", "sign-in sheet"),
    "photo": Label("照片", "photo"),
    "report": Label("报告", "report"),
    "certificate": Label("证书", "certificate"),
    "receipt": Label("票据", "receipt or invoice"),
    "plan": Label("计划或方案", "plan"),
    "other": Label("其他材料", "other material"),
}
#: the records a file proves, as a person reads them
KIND_LABELS: dict[str, Label] = {
    "activity": Label("活动", "activity"),
    "output": Label("成果", "output"),
    "award": Label("学生获奖", "student award"),
    "expense": Label("支出", "expense"),
    "application": Label("申报", "application"),
    "submission": Label("计划与报告", "plan or report"),
}


class EvidenceError(ValueError):
    """Input that cannot be kept; ``errors`` maps a field to its messages (English msgids)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Record:
    kind: str
    id: int
    studio_id: int


def record_of(session: Session, kind: str, record_id: int) -> Record:
    """The record a file would prove, found in the session's tenant; ``LookupError`` if there is none."""
    if kind not in KINDS:
        raise LookupError(kind)
    model = KINDS[kind][0]
    row = session.get(model, record_id)
    if row is None:
        raise LookupError(f"{kind} {record_id}")
    studio_id = row.id if kind == "application" else row.studio_id
    return Record(kind, record_id, studio_id)


def _column(kind: str) -> str:
    column = f"{kind}_id"
    assert column in RECORD_COLUMNS, column
    return column


def attach(
    session: Session,
    actor: Actor,
    storage: Storage,
    record: Record,
    *,
    purpose: str,
    filename: str,
    data: bytes,
    max_bytes: int,
) -> m.Evidence:
    """Keep ``data`` as evidence of ``record``; :class:`EvidenceError` names the field that was refused."""
    actor.require_manage_studio(record.studio_id)
    if purpose not in KINDS[record.kind][1]:
        raise EvidenceError({"purpose": ["not a valid choice"]})
    try:
        inspected = inspect_upload(filename, data, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise EvidenceError({"file": [Text(refused.message, refused.params)]}) from None
    key = new_key(session.info["tenant_id"])
    storage.put(key, data)
    try:
        row = m.Evidence(
            studio_id=record.studio_id,
            purpose=purpose,
            filename=inspected.filename,
            media_type=inspected.media_type,
            size=inspected.size,
            sha256=inspected.sha256,
            storage_key=key,
            uploaded_by_id=actor.user_id,
            uploaded_by_name=actor.name,
        )
        setattr(row, _column(record.kind), record.id)
        session.add(row)
        session.flush()
        studio = session.get(m.Studio, record.studio_id)
        audit.record(
            session,
            actor,
            "add_evidence",
            "evidence",
            row.id,
            after={
                "filename": row.filename,
                "purpose": purpose,
                "record": record.kind,
                "record_id": record.id,
                "studio": studio.name if studio else None,
                "sha256": row.sha256,
                "size": row.size,
            },
        )
        session.flush()
    except BaseException:
        storage.delete(key)
        raise
    return row


def files_of(session: Session, actor: Actor, record: Record, *, withdrawn: bool = True) -> list[m.Evidence]:
    """The files of a record, newest first (withdrawn ones too unless told otherwise)."""
    actor.require_view_studio(record.studio_id)
    column = getattr(m.Evidence, _column(record.kind))
    query = select(m.Evidence).where(column == record.id).order_by(m.Evidence.id.desc())
    if not withdrawn:
        query = query.where(m.Evidence.withdrawn_at.is_(None))
    return list(session.scalars(query))


def files_of_many(session: Session, kind: str, ids: Iterable[int]) -> dict[int, list[m.Evidence]]:
    """The current files of many records of one kind in one statement (for a list or an assessment)."""
    ids = list(ids)
    out: dict[int, list[m.Evidence]] = {i: [] for i in ids}
    if not ids:
        return out
    column = getattr(m.Evidence, _column(kind))
    for row in session.scalars(
        select(m.Evidence).where(column.in_(ids), m.Evidence.withdrawn_at.is_(None)).order_by(m.Evidence.id)
    ):
        out[getattr(row, _column(kind))].append(row)
    return out


def get(session: Session, actor: Actor, evidence_id: int) -> m.Evidence:
    """One file's row, if the actor may see its studio (a file of another tenant is simply not found)."""
    row = session.get(m.Evidence, evidence_id)
    if row is None:
        raise LookupError(evidence_id)
    actor.require_view_studio(row.studio_id)
    return row


def read(session: Session, actor: Actor, storage: Storage, evidence_id: int) -> tuple[m.Evidence, bytes]:
    """A file's row and bytes; ``LookupError`` once its bytes were purged after the retention period."""
    row = get(session, actor, evidence_id)
    if row.purged_at is not None:
        raise LookupError(f"the bytes of file {evidence_id} were purged on {row.purged_at.date()}")
    return row, storage.get(row.storage_key)


def withdraw(
    session: Session, actor: Actor, evidence_id: int, reason: str, *, now: dt.datetime | None = None
) -> m.Evidence:
    """Withdraw a file with a reason: it no longer counts as the record's evidence, and stays in its history."""
    row = get(session, actor, evidence_id)
    actor.require_manage_studio(row.studio_id)
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceError({"reason": ["may not be empty"]})
    if row.withdrawn_at is not None:
        raise EvidenceError({"reason": ["this file has already been withdrawn"]})
    row.withdrawn_at = now or dt.datetime.now(dt.UTC)
    row.withdrawn_by_name = actor.name
    row.withdrawn_reason = reason
    studio = session.get(m.Studio, row.studio_id)
    audit.record(
        session,
        actor,
        "withdraw_evidence",
        "evidence",
        row.id,
        before={"filename": row.filename, "studio": studio.name if studio else None},
        after={"reason": reason, "filename": row.filename, "studio": studio.name if studio else None},
    )
    session.flush()
    return row
