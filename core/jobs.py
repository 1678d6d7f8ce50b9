"""Background jobs: long work off the request, on a real task queue (Huey).

A job is a row of ``jobs`` (tenant-scoped, behind row-level security): its kind, who asked, its
state (queued → running → done | failed), its progress (done of total), its result or the reason it
failed, and how many attempts it took. The queue carries only ``(tenant id, job id)``; a worker
reads the row, runs the kind's function in a session bound to the job's tenant, writes progress in
short transactions of its own (so the page polling it sees them) and the result at the end. A
failure is recorded with its reason and can be retried (:func:`retry`); a lost queue message
leaves the job ``queued``, and a retry sends it again.

The queue (:func:`queue`): ``MINGSHI_QUEUE_URL`` — ``redis://127.0.0.1:6379/0`` for production
(RedisHuey: any number of ``mingshi worker`` processes on any machine); unset, the embedded
default ``SqliteHuey`` in ``instance/queue.db`` (no server; ``mingshi demo`` runs a worker in a
thread of its own process); ``memory://`` runs each job at once in the caller (tests).

Kinds are registered in :data:`KINDS` with :func:`register`; a service enqueues with
:func:`enqueue` (the message is sent when the session commits, so a worker never sees a job that
was rolled back).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from mingshi.core import models as m
from mingshi.core.services.access import Actor

log = logging.getLogger(__name__)


class JobError(RuntimeError):
    pass


#: the context a job's function gets: its session, the job row, a progress reporter, the plugins
@dataclass
class JobContext:
    session: Session
    job: m.Job
    jurisdictions: Any
    progress: Callable[[int, int | None], None]
    #: the evidence store (core/storage.py) the process is configured with
    storage: Any = None


@dataclass(frozen=True)
class JobKind:
    code: str
    #: (zh_CN, en) label of the kind, shown on the job page
    label: tuple[str, str]
    run: Callable[[JobContext], dict[str, Any]]
    #: who may start it and see it: a predicate on the actor
    allowed: Callable[[Actor], bool]


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.code in KINDS and KINDS[kind.code] is not kind:
        raise JobError(f"job kind {kind.code!r} is registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_of(job: m.Job) -> JobKind:
    try:
        return KINDS[job.kind]
    except KeyError:
        raise JobError(f"unknown job kind {job.kind!r}") from None


# ---------------------------------------------------------------------------------------------
# the queue

_huey: Any = None
_runtime: dict[str, Any] = {}


def queue() -> Any:
    """The Huey instance (built once per process from ``MINGSHI_QUEUE_URL``)."""
    global _huey
    if _huey is None:
        _huey = _make_queue(os.environ.get("MINGSHI_QUEUE_URL", ""))
        _define_task(_huey)
    return _huey


def _make_queue(url: str) -> Any:
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    if url.startswith("redis://"):
        return RedisHuey("mingshi", url=url)
    if url == "memory://":
        return MemoryHuey("mingshi", immediate=True)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else str(Path.cwd() / "instance" / "queue.db")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("mingshi", filename=path)


def reset_queue() -> None:
    """Forget the queue (tests switch ``MINGSHI_QUEUE_URL``)."""
    global _huey
    _huey = None


def configure(factory: sessionmaker[Session], jurisdictions: Any, storage: Any = None) -> None:
    """Tell this process's worker which database, plugins and evidence store jobs run with (the app or
    CLI factory calls it; without a store, the configured one, ``MINGSHI_STORAGE_URL``)."""
    _runtime["factory"] = factory
    _runtime["jurisdictions"] = jurisdictions
    _runtime["storage"] = storage
    load_kinds()


def _storage() -> Any:
    storage = _runtime.get("storage")
    if storage is None:
        from mingshi.core import config
        from mingshi.core.storage import storage_from_url

        storage = _runtime["storage"] = storage_from_url(config.load().storage_url)
    return storage


def load_kinds() -> None:
    """Import the modules that register the core's job kinds."""
    import mingshi.core.services.assessments
    import mingshi.core.services.credits
    import mingshi.core.services.parameters  # registers parameter_preview
    import mingshi.core.services.retention  # noqa: F401 - registers evidence_purge


def _define_task(huey: Any) -> None:
    @huey.task(name="mingshi.run_job")
    def run_job_task(tenant_id: int, job_id: int) -> None:
        run(tenant_id, job_id)

    _runtime["task"] = run_job_task

    from huey import crontab

    # the central comparison's per-studio-year summaries (mingshi.core.services.summaries): every
    # quarter of an hour on every worker that runs periodic tasks (``mingshi worker``), and on demand
    @huey.periodic_task(crontab(minute=SUMMARIES_EVERY), name="mingshi.refresh_summaries")
    def refresh_summaries_task() -> None:
        refresh_summaries()

    @huey.task(name="mingshi.refresh_summaries_now")
    def refresh_summaries_now() -> None:
        refresh_summaries()

    _runtime["summaries_task"] = refresh_summaries_now

    # reminders (mingshi.core.services.notifications): the pass every hour (a thing is reminded of once:
    # the pass only adds what is new), the e-mail of due reminders every few minutes (when
    # MINGSHI_SMTP_URL is set; a failed one is tried again after its backoff)
    @huey.periodic_task(crontab(minute=REMINDERS_MINUTE), name="mingshi.remind")
    def remind_task() -> None:
        remind()
        send_reminders()

    @huey.periodic_task(crontab(minute=SEND_EVERY), name="mingshi.send_reminders")
    def send_reminders_task() -> None:
        send_reminders()


#: the crontab minute of the hourly reminder pass, and the minutes of the e-mail sender
REMINDERS_MINUTE = "7"
SEND_EVERY = "*/5"


def remind(today: dt.date | None = None) -> list[Any]:
    """The reminder pass over every tenant (what the periodic task and ``mingshi remind`` run)."""
    from mingshi.core.services import notifications

    factory = _runtime.get("factory")
    if factory is None:
        raise JobError("the job runtime is not configured (call mingshi.core.jobs.configure)")
    results = notifications.remind_all(factory, _runtime["jurisdictions"], today or dt.date.today())
    for r in results:
        log.info(
            "reminders %s: %s users (%s actors), %s new, %s resolved",
            r.tenant,
            r.users,
            r.actors,
            r.created,
            r.resolved,
        )
    return results


def send_reminders(now: dt.datetime | None = None) -> Any:
    """E-mail the due reminders through ``MINGSHI_SMTP_URL`` (nothing when it is unset)."""
    from mingshi.core import config
    from mingshi.core.services import notifications

    factory = _runtime.get("factory")
    if factory is None:
        raise JobError("the job runtime is not configured (call mingshi.core.jobs.configure)")
    settings = config.load()
    result = notifications.send_due(
        factory, settings.smtp, mail_from=settings.mail_from, base_url=settings.base_url, now=now
    )
    if result.sent or result.failed:
        log.info("reminder e-mail: %s sent in %s messages, %s failed (%s given up)", result.sent, result.messages,
                 result.failed, result.gave_up)  # fmt: skip
    return result


#: the crontab minutes of the summaries' refresh
SUMMARIES_EVERY = "*/15"


def refresh_summaries(today: dt.date | None = None) -> list[str]:
    """Refresh the central summaries of every tenant (what the periodic task runs); the codes."""
    from mingshi.core.services import summaries

    factory = _runtime.get("factory")
    if factory is None:
        raise JobError("the job runtime is not configured (call mingshi.core.jobs.configure)")
    done = summaries.refresh_all(factory, _runtime["jurisdictions"], today or dt.date.today())
    log.info("central summaries refreshed: %s", ", ".join(done))
    return done


def request_summaries() -> None:
    """Ask a worker to refresh the central summaries now."""
    queue()
    _runtime["summaries_task"]()


def _send(tenant_id: int, job_id: int) -> None:
    queue()
    _runtime["task"](tenant_id, job_id)


# ---------------------------------------------------------------------------------------------
# the API for services


def enqueue(session: Session, kind: str, actor: Actor, params: Mapping[str, Any]) -> m.Job:
    """A new job of ``kind`` for the session's tenant, asked by ``actor``; sent to the queue at commit."""
    spec = KINDS.get(kind)
    if spec is None:
        raise JobError(f"unknown job kind {kind!r}")
    if not spec.allowed(actor):
        from mingshi.core.services.access import Forbidden

        raise Forbidden(f"you may not start a job of kind {kind}")
    job = m.Job(
        kind=kind,
        state="queued",
        params=dict(params),
        done=0,
        attempts=0,
        requested_by_id=actor.user_id,
        requested_by_name=actor.name,
    )
    session.add(job)
    session.flush()
    _send_after_commit(session, job)
    return job


def retry(session: Session, actor: Actor, job: m.Job) -> m.Job:
    """Send a failed (or lost, still queued) job again."""
    if not kind_of(job).allowed(actor):
        from mingshi.core.services.access import Forbidden

        raise Forbidden("you may not retry this job")
    if job.state not in ("failed", "queued"):
        raise JobError(f"a {job.state} job cannot be retried")
    job.state = "queued"
    job.error = None
    job.done = 0
    job.finished_at = None
    session.flush()
    _send_after_commit(session, job)
    return job


def _send_after_commit(session: Session, job: m.Job) -> None:
    tenant_id, job_id = job.tenant_id, job.id

    def after_commit(_session: Session) -> None:
        _send(tenant_id, job_id)

    event.listen(session, "after_commit", after_commit, once=True)


# ---------------------------------------------------------------------------------------------
# the worker side


def run(tenant_id: int, job_id: int) -> None:
    """Run one job (what a worker does with a message). The job's row says how it ended."""
    from mingshi.core.tenancy import bind_tenant

    factory = _runtime.get("factory")
    jurisdictions = _runtime.get("jurisdictions")
    if factory is None:
        raise JobError("the job runtime is not configured (call mingshi.core.jobs.configure)")

    def mark(**values: Any) -> None:
        with factory() as s:
            s.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            bind_tenant(s, tenant_id)
            s.execute(update(m.Job).where(m.Job.id == job_id).values(**values))
            s.commit()

    with factory() as check:
        bind_tenant(check, tenant_id)
        job = check.scalar(select(m.Job).where(m.Job.id == job_id))
        if job is None:
            raise JobError(f"no job {job_id} in tenant {tenant_id}")
        if job.state not in ("queued",):
            log.info("job %s is %s; not run again", job_id, job.state)
            return
        attempts = job.attempts + 1
    mark(state="running", started_at=_now(), attempts=attempts, error=None)
    session = factory()
    try:
        bind_tenant(session, tenant_id)
        job = session.scalar(select(m.Job).where(m.Job.id == job_id))
        assert job is not None
        kind = kind_of(job)

        def progress(done: int, total: int | None) -> None:
            mark(done=done, total=total)

        result = kind.run(JobContext(session, job, jurisdictions, progress, _storage()))
        session.rollback()  # a job's function reads; what it produced is its result
    except Exception as exc:
        session.rollback()
        log.exception("job %s (%s) failed", job_id, tenant_id)
        mark(state="failed", error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=_now())
        return
    finally:
        session.close()
    mark(state="done", result=result, finished_at=_now())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start_worker_thread(workers: int = 1) -> Any:
    """A consumer in threads of this process (``mingshi demo``); returns it (``.stop()`` ends it)."""
    consumer = queue().create_consumer(workers=workers, worker_type="thread", periodic=False)
    consumer.start()
    return consumer
