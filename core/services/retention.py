"""How long withdrawn evidence is kept, and the purge that deletes its bytes afterwards (issue 17).

A file stops proving its record when it is withdrawn, or when its record (an activity, an output, a
student award) is withdrawn. Its bytes are kept for the tenant's retention period — the dated
parameter ``common.evidence_retention_years`` (⚙, default 5: see its definition in
``core/rules/params.py``) in force on the day of the purge — counted from the later of the two
withdrawals. Then the purge deletes the bytes from the store; the row stays, marked purged (when,
by whom), and each file purged is in the audit log. A file of a live record that is itself not
withdrawn is never a candidate.

The administrator first sees what a purge would delete (:func:`preview`, with a fingerprint of the
list), then confirms it: the ``evidence_purge`` job (:func:`run_purge_job`) purges exactly what was
previewed, and refuses as a whole when the list changed since (``seen`` no longer matches). The row
is committed as purged before the bytes are deleted; a file the store could not delete then (S3 out of
reach) is tried again by every later purge until the store deletes it (``bytes_deleted_at``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from mingshi.core import models as m
from mingshi.core.rules.params import COMMON_PARAMETERS, ParamSet
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.storage import Storage

log = logging.getLogger(__name__)

PARAMETER = "common.evidence_retention_years"
#: rows a preview lists (the total and the fingerprint cover them all)
PREVIEW_PAGE = 50
STALE = "What a purge would delete changed since the preview: look at the preview again."


def retention_years(session: Session, on: dt.date) -> int:
    """The tenant's retention period in force on ``on``, in years."""
    common_ids = {d.id for d in COMMON_PARAMETERS}
    values = {k: v for k, v in tenant_parameter_values(session).items() if k in common_ids}
    return int(ParamSet(COMMON_PARAMETERS, values).value(PARAMETER, on))


def cutoff(years: int, today: dt.date) -> dt.datetime:
    """Withdrawn before this instant (the start of ``today`` ``years`` years ago) is past retention."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Candidate:
    id: int
    filename: str
    size: int
    studio: str
    #: the record it proved (kind, id) and why it no longer does: "file" or "record" withdrawn
    record: tuple[str, int]
    reason: str
    #: since when it no longer proves anything (the later withdrawal)
    since: dt.datetime


def _candidates_query(limit_before: dt.datetime):
    """Files whose bytes are still kept and that no longer prove a live record since before ``limit_before``."""
    E = m.Evidence
    A, OU, W = aliased(m.Activity), aliased(m.Output), aliased(m.StudentAward)
    record_withdrawn = func.coalesce(A.withdrawn_at, OU.withdrawn_at, W.withdrawn_at)
    file_gone = and_(E.withdrawn_at.is_not(None), E.withdrawn_at < limit_before)
    record_gone = and_(record_withdrawn.is_not(None), record_withdrawn < limit_before)
    return (
        select(E, m.Studio.name, record_withdrawn)
        .join(m.Studio, m.Studio.id == E.studio_id)
        .outerjoin(A, and_(A.id == E.activity_id, A.tenant_id == E.tenant_id))
        .outerjoin(OU, and_(OU.id == E.output_id, OU.tenant_id == E.tenant_id))
        .outerjoin(W, and_(W.id == E.award_id, W.tenant_id == E.tenant_id))
        .where(E.purged_at.is_(None), or_(file_gone, record_gone))
        # a file withdrawn recently on a record withdrawn long ago waits for its own period, and back
        .where(or_(E.withdrawn_at.is_(None), E.withdrawn_at < limit_before))
        .where(or_(record_withdrawn.is_(None), record_withdrawn < limit_before))
        .order_by(E.id)
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back a computed timestamp without its zone: the database keeps UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _candidate(row: Any) -> Candidate:
    evidence, studio, record_withdrawn = row
    since = max(_aware(x) for x in (evidence.withdrawn_at, record_withdrawn) if x is not None)
    return Candidate(
        id=evidence.id,
        filename=evidence.filename,
        size=evidence.size,
        studio=studio,
        record=evidence.record,
        reason="file" if evidence.withdrawn_at is not None else "record",
        since=since,
    )


def fingerprint(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


@dataclass
class Preview:
    years: int
    cutoff: dt.datetime
    rows: list[Candidate]
    total: int
    total_bytes: int
    seen: str
    #: purged files whose bytes the store could not delete yet: the next purge tries again
    bytes_left: int = 0


def preview(session: Session, actor: Actor, *, today: dt.date, limit: int = PREVIEW_PAGE, offset: int = 0) -> Preview:
    """What a purge on ``today`` would delete (reads only): a page of it, its total and fingerprint."""
    actor.require_admin()
    years = retention_years(session, today)
    limit_before = cutoff(years, today)
    query = _candidates_query(limit_before)
    ids_sizes = session.execute(
        select(m.Evidence.id, m.Evidence.size).where(m.Evidence.id.in_(query.with_only_columns(m.Evidence.id)))
    ).all()
    ids = sorted(i for i, _s in ids_sizes)
    rows = [_candidate(r) for r in session.execute(query.limit(limit).offset(offset)).all()]
    return Preview(
        years, limit_before, rows, len(ids), sum(s for _i, s in ids_sizes), fingerprint(ids), bytes_left(session)
    )


def purge(session: Session, actor: Actor, storage: Storage, *, today: dt.date, seen: str) -> dict[str, Any]:
    """Purge what the preview ``seen`` listed: mark the rows (and audit them), commit, then delete the bytes.

    The rows are committed first so that no row ever names bytes that are gone without saying so.
    Each file whose bytes the store deleted is marked so (``bytes_deleted_at``); one the store could
    not delete is reported in the result (``left``) and tried again by every later purge, together
    with those left by earlier ones (``retried``), until the store deletes it."""
    actor.require_admin()
    years = retention_years(session, today)
    limit_before = cutoff(years, today)
    rows = [_candidate(r) for r in session.execute(_candidates_query(limit_before).with_for_update(of=m.Evidence))]
    if fingerprint([c.id for c in rows]) != seen:
        raise ValidationError({"confirm": [STALE]})
    now = dt.datetime.now(dt.UTC)
    keys: list[tuple[int, str]] = []
    for c in rows:
        evidence = session.get(m.Evidence, c.id)
        evidence.purged_at = now
        evidence.purged_by_name = actor.name
        keys.append((evidence.id, evidence.storage_key))
        audit.record(
            session,
            actor,
            "purge_evidence",
            "evidence",
            evidence.id,
            before={"filename": evidence.filename, "studio": c.studio, "sha256": evidence.sha256},
            after={"purged": True, "reason": c.reason, "retention_years": years},
        )
    session.commit()
    purged_now = {evidence_id for evidence_id, _key in keys}
    earlier = [(i, k) for i, k in session.execute(_bytes_left_query()) if i not in purged_now]
    left = delete_bytes(session, storage, keys + earlier)
    return {
        "purged": len(keys),
        "bytes": sum(c.size for c in rows),
        "left": left,
        "retried": len(earlier),
        "years": years,
    }


def _bytes_left_query():
    return (
        select(m.Evidence.id, m.Evidence.storage_key)
        .where(m.Evidence.purged_at.is_not(None), m.Evidence.bytes_deleted_at.is_(None))
        .order_by(m.Evidence.id)
    )


def bytes_left(session: Session) -> int:
    """How many purged files' bytes the store has not deleted yet (the next purge tries again)."""
    return session.scalar(select(func.count()).select_from(_bytes_left_query().subquery())) or 0


def delete_bytes(session: Session, storage: Storage, keys: list[tuple[int, str]]) -> list[int]:
    """Delete the bytes of purged files from the store and mark those deleted, committed; the ids of
    those the store could not delete (logged with the store's error) are returned."""
    left: list[int] = []
    deleted: list[int] = []
    for evidence_id, key in keys:
        try:
            storage.delete(key)
        except Exception:
            log.exception("the bytes of purged file %s could not be deleted; the next purge tries again", evidence_id)
            left.append(evidence_id)
        else:
            deleted.append(evidence_id)
    if deleted:
        now = dt.datetime.now(dt.UTC)
        session.execute(
            update(m.Evidence).where(m.Evidence.id.in_(deleted)).values(bytes_deleted_at=now),
            execution_options={"synchronize_session": False},
        )
        session.commit()
    return left


def run_purge_job(ctx: Any) -> dict[str, Any]:
    from mingshi.core.services.access import actor_for

    session, params, job = ctx.session, ctx.job.params, ctx.job
    today = dt.date.fromisoformat(params["today"])
    user = session.get(m.User, job.requested_by_id)
    if user is None:
        raise ValidationError({"_schema": ["the administrator who asked is no longer known"]})
    actor = actor_for(session, user, today=today)
    return purge(session, actor, ctx.storage, today=today, seen=params["seen"])


def _register_jobs() -> None:
    from mingshi.core import jobs

    jobs.register(
        jobs.JobKind(
            "evidence_purge",
            ("清除保存期满的撤回材料", "Purging withdrawn files past their retention period"),
            run_purge_job,
            lambda actor: actor.is_admin,
        )
    )


_register_jobs()
