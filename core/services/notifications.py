"""Reminders: what is due or awaits a person, in the application and by e-mail (issue 17).

**The reminder pass** (:func:`remind_tenant`, :func:`remind_all`; run by the worker's periodic task,
by ``mingshi remind`` and at demo load) asks every *source* in :data:`SOURCES` what awaits each active
user of a tenant and writes a :class:`~mingshi.core.models.Notification` for each thing not already
reminded of (its ``dedupe_key``: a daily run does not repeat itself). A reminder whose thing no
longer awaits the user is *resolved*: it leaves the bell, is not e-mailed, and if the thing comes back
later (an application sent back to the same step) a new reminder is written. The core's source is the
dashboard's 待办 (:func:`mingshi.core.services.applications.awaiting`), asked once per distinct
*actor* (roles, hosted and joined studios) rather than once per user — every administrator of a tenant
shares one answer, every reviewer another — and for all actors together
(:func:`~mingshi.core.services.applications.awaiting_many`), so that a pass costs the same statements
for ten hosts or ten thousand. A source is a function ``(session, recipients,
jurisdictions, today) -> {user id: [Reminder]}``; another source (document deadlines, …) is appended
to :data:`SOURCES`.

**The words** are a message id of the core's catalog and its parameters (a studio's name, a year, a
count), rendered in the reader's language when read (:func:`text_of`): on the page in the request's
language, in an e-mail in the user's saved language (``users.language``, kept when they choose one).

**E-mail** (:func:`send_due`; the worker's periodic task, never a web request) is sent only when
``MINGSHI_SMTP_URL`` is set, to users with an address who have not turned it off (the account page).
A reminder is due when ``email_next_at`` has come; the sender *claims* it first (moves
``email_next_at`` a lease ahead in a short transaction of its own, so that two workers never send the
same reminder), sends one message per user with every reminder due for them, and then marks them
sent — or, if the server refused or could not be reached, keeps the error, counts the attempt and
sets the next one after a backoff (:data:`RETRY_AFTER` doubled per attempt); after
:data:`MAX_ATTEMPTS` it gives up, the error kept on the reminder. A reminder read in the application
before it was e-mailed is not e-mailed any more.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from mingshi.core import models as m
from mingshi.core.config import SmtpSettings
from mingshi.core.db import serialize
from mingshi.core.i18n import CORE, Text, normalize_locale
from mingshi.core.i18n import CORE as _
from mingshi.core.services.access import Actor
from mingshi.core.vocab import Label

log = logging.getLogger(__name__)

#: e-mail attempts per reminder before sending gives up (the last error stays on the reminder)
MAX_ATTEMPTS = 5
#: the wait after the first failed attempt; doubled after each further one (5, 10, 20, 40 minutes)
RETRY_AFTER = dt.timedelta(minutes=5)
#: how long a claimed reminder is left to its sender before another worker may try it
CLAIM_LEASE = dt.timedelta(minutes=10)
#: reminders claimed per batch by the sender
SEND_BATCH = 200
#: reminders on a page of the notifications list
PAGE = 20


class NotFound(LookupError):
    """No such reminder for this user (another user's or another tenant's is the same answer)."""


@dataclass(frozen=True)
class Reminder:
    """What a source says awaits a user: a stable key, the sentence, the path of the thing."""

    key: str
    kind: str
    text: Text
    #: the path under the tenant (``applications/12``), for the page's and the e-mail's link
    link: str


@dataclass(frozen=True)
class Recipient:
    """An active user of the tenant, as the sources see them."""

    user: m.User
    actor: Actor


#: a source of reminders: (session bound to the tenant, recipients, jurisdictions, today) → per user id
Source = Callable[[Session, Sequence[Recipient], Any, dt.date], dict[int, list[Reminder]]]


# ---------------------------------------------------------------------------------------------
# the core's source: the dashboard's 待办


def _step_text(step: str, studio_name: str) -> Text:
    # the dashboard's words for each step (web/templates/tenant/partial/dashboard.html), as sentences
    texts = {
        "submit": _("Awaiting your submission: %(studio)s", studio=studio_name),
        "recommend": _("Awaiting your recommendation: %(studio)s", studio=studio_name),
        "review": _("Awaiting the start of your review: %(studio)s", studio=studio_name),
        "attest": _("Awaiting your judgement: %(studio)s", studio=studio_name),
        "notice": _("Ready for the public notice: %(studio)s", studio=studio_name),
        "approve": _("Awaiting your approval (挂牌): %(studio)s", studio=studio_name),
    }
    return texts.get(step) or _("Awaiting you: %(studio)s", studio=studio_name)


def reminder_of(item: Any) -> Reminder:
    """The reminder of one item of :func:`~mingshi.core.services.applications.awaiting`."""
    step = item.step
    if step == "more":
        return Reminder(
            "awaiting:more",
            "awaiting:more",
            _("More applications are in the workflow than the to-do list shows: see the applications list"),
            "applications",
        )
    if step == "confirm":
        if item.kind == "annual":
            text = _("The assessment of %(year)s awaits your confirmation: %(n)s studios", year=item.year, n=item.count)
        else:
            text = _("The end-of-cycle assessment awaits your confirmation: %(n)s studios", n=item.count)
        query = f"kind={item.kind}" + (f"&year={item.year}" if item.year is not None else "")
        return Reminder(
            f"awaiting:confirm:{item.kind}:{item.year or ''}", "awaiting:confirm", text, f"assessments?{query}"
        )
    if item.studio is not None:
        return Reminder(
            f"awaiting:{step}:studio:{item.studio.id}",
            f"awaiting:{step}",
            _step_text(step, item.studio.name),
            f"applications/{item.studio.id}",
        )
    # a step of another kind (a source added to awaiting later) with no studio: the dashboard shows it
    return Reminder(f"awaiting:{step}", f"awaiting:{step}", _("Something awaits you on your dashboard"), "")


def awaiting_source(
    session: Session, recipients: Sequence[Recipient], jurisdictions: Any, today: dt.date
) -> dict[int, list[Reminder]]:
    """The 待办 of every recipient, asked once per distinct actor and for all of them together (see the
    module's docstring)."""
    from mingshi.core.services.applications import awaiting_many

    by_actor: dict[tuple, list[int]] = defaultdict(list)
    actors: dict[tuple, Actor] = {}
    for recipient in recipients:
        actor = recipient.actor
        signature = (actor.roles, actor.hosted, actor.joined, actor.person_id if _personal(actor) else None)
        by_actor[signature].append(recipient.user.id)
        actors.setdefault(signature, actor)
    signatures = list(by_actor)
    answers = awaiting_many(session, [actors[s] for s in signatures], jurisdictions, today=today) if signatures else []
    out: dict[int, list[Reminder]] = {}
    for signature, items in zip(signatures, answers, strict=True):
        reminders = [reminder_of(item) for item in items]
        for user_id in by_actor[signature]:
            out[user_id] = reminders
    return out


def _personal(actor: Actor) -> bool:
    """Whether what awaits the actor may depend on their own person (not only on roles and studios):
    kept apart from everyone else's answer so that a later source of personal items stays right."""
    return not (actor.is_admin or actor.is_reviewer)


# ---------------------------------------------------------------------------------------------
# the core's second source: the quotas of the period not met yet (the dashboard's other half)


def quota_reminder(studio: m.Studio, gaps: int, period: Any) -> Reminder:
    """A host's reminder of their studio's quotas not met yet in ``period``."""
    return Reminder(
        f"quota:{studio.id}:{period.start.isoformat()}",
        "quota",
        _(
            "%(studio)s: %(n)s quotas are not met yet in the period %(start)s – %(end)s",
            studio=studio.name,
            n=gaps,
            start=period.start,
            end=period.end,
        ),
        f"studios/{studio.id}/progress",
    )


def quota_tenant_reminder(studios: int, period: Any) -> Reminder:
    """An administrator's reminder of how many studios have quotas not met yet in ``period``."""
    return Reminder(
        f"quota:tenant:{period.start.isoformat()}",
        "quota",
        _(
            "%(n)s studios have quotas not met yet in the period %(start)s – %(end)s",
            n=studios,
            start=period.start,
            end=period.end,
        ),
        "studios",
    )


def quota_source(
    session: Session, recipients: Sequence[Recipient], jurisdictions: Any, today: dt.date
) -> dict[int, list[Reminder]]:
    """What is due in the current period: for a host, each of their studios with quotas not met yet
    (unmet or pending) in a period its assessment assesses, once per period; for an administrator,
    how many of the tenant's studios have such quotas, once per period. The progress of every
    concerned studio is read at once (:func:`~mingshi.core.services.workspace.progress_many`: a
    constant number of statements)."""
    from mingshi.core.services import workspace as ws

    admins = [r for r in recipients if r.actor.is_admin]
    hosts = [r for r in recipients if r.actor.hosted]
    if not admins and not hosts:
        return {}
    wanted = None if admins else sorted({s for r in hosts for s in r.actor.hosted})
    query = select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)
    if wanted is not None:
        query = query.where(m.Studio.id.in_(wanted))
    studios = {s.id: s for s in session.scalars(query)}
    # a studio its period's assessment does not assess (approved late in it) has no quota to meet yet
    progress = ws.progress_many(session, jurisdictions, list(studios.values()), today, assessed_only=True)
    gaps = {sid: [c for c in quotas if str(c.status) in ("unmet", "pending")] for sid, quotas in progress.items()}
    gaps = {sid: found for sid, found in gaps.items() if found}
    period = ws.current_period(ws.jurisdiction_of(session, jurisdictions), today)
    out: dict[int, list[Reminder]] = {}
    for r in hosts:
        out[r.user.id] = [
            quota_reminder(studios[sid], len(gaps[sid]), period) for sid in sorted(r.actor.hosted) if sid in gaps
        ]
    if gaps:
        summary = quota_tenant_reminder(len(gaps), period)
        for r in admins:
            out.setdefault(r.user.id, []).append(summary)
    return out


#: the sources the reminder pass asks, in order (append another source's function here)
SOURCES: list[Source] = [awaiting_source, quota_source]


# ---------------------------------------------------------------------------------------------
# the reminder pass


@dataclass
class PassResult:
    tenant: str
    users: int = 0
    created: int = 0
    resolved: int = 0
    #: distinct actors asked (the cost of the pass grows with these, not with the users)
    actors: int = 0
    per_user: dict[int, int] = field(default_factory=dict)


def recipients_of(session: Session, today: dt.date) -> list[Recipient]:
    """Every active user of the session's tenant with their actor (two statements whatever the number)."""
    tenant_id = session.info.get("tenant_id")
    users = list(
        session.scalars(
            select(m.User).where(m.User.tenant_id == tenant_id, m.User.active.is_(True)).order_by(m.User.id)
        )
    )
    people = {u.person_id for u in users if u.person_id is not None}
    hosted: dict[int, set[int]] = defaultdict(set)
    joined: dict[int, set[int]] = defaultdict(set)
    if people:
        rows = session.execute(
            select(m.Membership.person_id, m.Membership.studio_id, m.Membership.role).where(
                m.Membership.person_id.in_(sorted(people)),
                m.Membership.joined <= today,
                (m.Membership.left.is_(None)) | (m.Membership.left > today),
            )
        )
        for person_id, studio_id, role in rows:
            (hosted if role == "host" else joined)[person_id].add(studio_id)
    out = []
    for user in users:
        roles = frozenset(user.role_names) - {"central"}
        if not roles:
            continue
        actor = Actor(
            user_id=user.id,
            name=user.display_name,
            tenant_id=user.tenant_id,
            roles=roles,
            person_id=user.person_id,
            hosted=frozenset(hosted.get(user.person_id, ())),
            joined=frozenset(joined.get(user.person_id, ())),
        )
        out.append(Recipient(user, actor))
    return out


def wants_email(user: m.User) -> bool:
    return bool(user.email) and bool(user.email_reminders) and user.active


def remind_tenant(
    session: Session, jurisdictions: Any, today: dt.date, *, now: dt.datetime | None = None
) -> PassResult:
    """One reminder pass over the session's tenant (bound); writes, does not commit."""
    now = now or _now()
    tenant_id = session.info.get("tenant_id")
    tenant = session.get(m.Tenant, tenant_id)
    result = PassResult(tenant=tenant.code if tenant else "")
    recipients = recipients_of(session, today)
    result.users = len(recipients)
    found: dict[int, dict[str, Reminder]] = {r.user.id: {} for r in recipients}
    for source in SOURCES:
        for user_id, reminders in source(session, recipients, jurisdictions, today).items():
            for reminder in reminders:
                found.setdefault(user_id, {}).setdefault(reminder.key, reminder)
    result.actors = len({(r.actor.roles, r.actor.hosted, r.actor.joined) for r in recipients})
    # the write phase, one pass per tenant at a time (cron and the worker together): the open reminders
    # are read under the lock (the sources above only read, without it)
    serialize(session, "reminders", tenant_id)
    open_rows = list(session.scalars(select(m.Notification).where(m.Notification.resolved_at.is_(None))))
    known: set[tuple[int, str]] = set()
    for row in open_rows:
        if row.dedupe_key in found.get(row.user_id, {}):
            known.add((row.user_id, row.dedupe_key))
        elif row.user_id in found:  # an active user whose thing no longer awaits them
            row.resolved_at = now
            if row.emailed_at is None:
                row.email_next_at = None
            result.resolved += 1
    users = {r.user.id: r.user for r in recipients}
    for user_id, reminders in found.items():
        for key, reminder in reminders.items():
            if (user_id, key) in known:
                continue
            session.add(row_of(users[user_id], reminder, now))
            result.created += 1
            result.per_user[user_id] = result.per_user.get(user_id, 0) + 1
    session.flush()
    return result


def row_of(user: m.User, reminder: Reminder, now: dt.datetime) -> m.Notification:
    """The new reminder of ``user`` (to be e-mailed from ``now`` if they want e-mail)."""
    return m.Notification(
        user_id=user.id,
        dedupe_key=reminder.key[:200],
        kind=reminder.kind[:40],
        msgid=reminder.text.msgid,
        params=_json_params(reminder.text.params),
        link=reminder.link[:500],
        created_at=now,
        email_next_at=now if wants_email(user) else None,
    )


def email_state(row: m.Notification) -> str:
    """What became of the reminder's e-mail: ``sent``, ``due`` (waiting for the sender), ``retrying``
    (an attempt failed; another follows), ``failed`` (given up, the error kept) or ``none`` (not to be sent)."""
    if row.emailed_at is not None:
        return "sent"
    if row.email_next_at is not None:
        return "retrying" if row.email_attempts else "due"
    return "failed" if row.email_error else "none"


def _json_params(params: Any) -> dict[str, Any]:
    """A sentence's parameters as JSON: plain values as they are, a date as ``{"date": iso}``, a
    label as both its languages (``{"zh": …, "en": …}``) — rendered in the reader's language later."""
    out: dict[str, Any] = {}
    for name, value in dict(params).items():
        if isinstance(value, Label):
            out[name] = {"zh": value.zh, "en": value.en}
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            out[name] = {"date": value.isoformat()}
        elif value is None or isinstance(value, (str, int, float, bool)):
            out[name] = value
        else:
            raise TypeError(f"a reminder's parameter {name!r} must be a plain value, not {type(value).__name__}")
    return out


def _params_of(stored: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (stored or {}).items():
        if isinstance(value, dict) and set(value) == {"date"}:
            out[name] = dt.date.fromisoformat(value["date"])
        elif isinstance(value, dict) and set(value) == {"zh", "en"}:
            out[name] = Label(value["zh"], value["en"])
        else:
            out[name] = value
    return out


def remind_all(factory: sessionmaker[Session], jurisdictions: Any, today: dt.date) -> list[PassResult]:
    """The reminder pass over every active tenant whose jurisdiction is enabled, one transaction each."""
    from mingshi.core.tenancy import bind_tenant

    with factory() as session:
        tenants = list(session.execute(select(m.Tenant.id, m.Tenant.jurisdiction).where(m.Tenant.active.is_(True))))
    results = []
    for tenant_id, jurisdiction in tenants:
        if jurisdiction not in jurisdictions:
            log.warning("reminders: tenant %s's jurisdiction %s is not enabled; skipped", tenant_id, jurisdiction)
            continue
        with factory() as session:
            bind_tenant(session, tenant_id)
            results.append(remind_tenant(session, jurisdictions, today))
            session.commit()
    return results


# ---------------------------------------------------------------------------------------------
# reading and marking (the web's notifications page and bell)


def text_of(row: m.Notification) -> Text:
    """The reminder's sentence, to be rendered in the reader's language."""
    return Text(row.msgid, _params_of(row.params), CORE)


def unread_count(session: Session, user_id: int) -> int:
    """The bell's number: unread reminders of things that still await the user (one statement)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(m.Notification)
            .where(
                m.Notification.user_id == user_id,
                m.Notification.read_at.is_(None),
                m.Notification.resolved_at.is_(None),
            )
        )
        or 0
    )


def page_of(session: Session, user_id: int, *, number: int, size: int = PAGE) -> tuple[list[m.Notification], int]:
    """A page of the user's reminders, newest first, and how many there are."""
    where = m.Notification.user_id == user_id
    total = session.scalar(select(func.count()).select_from(m.Notification).where(where)) or 0
    rows = list(
        session.scalars(
            select(m.Notification)
            .where(where)
            .order_by(m.Notification.created_at.desc(), m.Notification.id.desc())
            .limit(size)
            .offset((number - 1) * size)
        )
    )
    return rows, total


def own(session: Session, user_id: int, notification_id: int) -> m.Notification:
    row = session.scalar(
        select(m.Notification).where(m.Notification.id == notification_id, m.Notification.user_id == user_id)
    )
    if row is None:
        raise NotFound(notification_id)
    return row


def mark_read(session: Session, user_id: int, notification_id: int) -> m.Notification:
    """The user has read one of their reminders (again: no change)."""
    row = own(session, user_id, notification_id)
    if row.read_at is None:
        row.read_at = _now()
        if row.emailed_at is None:
            row.email_next_at = None  # seen in the application: no e-mail of it any more
    return row


def mark_all_read(session: Session, user_id: int) -> int:
    """Every unread reminder of the user is read; how many were."""
    now = _now()
    unread = (m.Notification.user_id == user_id, m.Notification.read_at.is_(None))
    # seen in the application: what was not e-mailed yet is not e-mailed any more
    session.execute(
        update(m.Notification)
        .where(*unread, m.Notification.emailed_at.is_(None))
        .values(email_next_at=None)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        update(m.Notification).where(*unread).values(read_at=now).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# ---------------------------------------------------------------------------------------------
# e-mail


@dataclass
class SendResult:
    sent: int = 0
    messages: int = 0
    failed: int = 0
    gave_up: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after ``attempts`` failed attempts (1 → RETRY_AFTER, then doubled)."""
    return RETRY_AFTER * (2 ** max(0, attempts - 1))


def send_due(
    factory: sessionmaker[Session],
    smtp: SmtpSettings | None,
    *,
    mail_from: str,
    base_url: str,
    now: dt.datetime | None = None,
) -> SendResult:
    """E-mail every due reminder of every tenant (what the worker's periodic task runs)."""
    from mingshi.core.tenancy import bind_tenant

    result = SendResult()
    if smtp is None:
        return result
    now = now or _now()
    with factory() as session:
        tenants = list(session.execute(select(m.Tenant.id, m.Tenant.code)))
    for tenant_id, code in tenants:
        while True:
            claimed = _claim(factory, tenant_id, now)
            if not claimed:
                break
            with factory() as session:
                bind_tenant(session, tenant_id)
                rows = list(
                    session.scalars(
                        select(m.Notification).where(m.Notification.id.in_(claimed)).order_by(m.Notification.id)
                    )
                )
                users = {
                    u.id: u for u in session.scalars(select(m.User).where(m.User.id.in_({r.user_id for r in rows})))
                }
                by_user: dict[int, list[m.Notification]] = defaultdict(list)
                for row in rows:
                    by_user[row.user_id].append(row)
            outcomes: dict[int, str | None] = {}
            off: set[int] = set()
            for user_id, reminders in by_user.items():
                user = users[user_id]
                if not wants_email(user):
                    off.update(r.id for r in reminders)  # turned off (or the address removed) since
                    continue
                try:
                    message = compose(user, reminders, code=code, mail_from=mail_from, base_url=base_url)
                except (ValueError, UnicodeError) as exc:  # kept on the reminders like a refusal, logged below
                    error: str | None = f"the message could not be written: {type(exc).__name__}: {exc}"
                else:
                    error = deliver(smtp, message)
                result.messages += error is None
                for r in reminders:
                    outcomes[r.id] = error
            _record(factory, tenant_id, outcomes, off, now, result)
            if len(claimed) < SEND_BATCH:
                break
    return result


def _claim(factory: sessionmaker[Session], tenant_id: int, now: dt.datetime) -> list[int]:
    """Take up to SEND_BATCH due reminders of the tenant for this sender (a short transaction)."""
    from mingshi.core.tenancy import bind_tenant

    with factory() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        bind_tenant(session, tenant_id)
        due = list(
            session.scalars(
                select(m.Notification.id)
                .where(
                    m.Notification.email_next_at <= now,
                    m.Notification.emailed_at.is_(None),
                    m.Notification.resolved_at.is_(None),
                    m.Notification.read_at.is_(None),
                )
                .order_by(m.Notification.email_next_at, m.Notification.id)
                .limit(SEND_BATCH)
            )
        )
        if not due:
            return []
        # the condition again in the UPDATE: of two senders claiming at once, each row goes to one
        claimed = list(
            session.scalars(
                update(m.Notification)
                .where(
                    m.Notification.id.in_(due),
                    m.Notification.email_next_at <= now,
                    m.Notification.emailed_at.is_(None),
                )
                .values(email_next_at=now + CLAIM_LEASE)
                .returning(m.Notification.id)
                .execution_options(synchronize_session=False)
            )
        )
        session.commit()
    return claimed


def _record(
    factory: sessionmaker[Session],
    tenant_id: int,
    outcomes: dict[int, str | None],
    off: set[int],
    now: dt.datetime,
    result: SendResult,
) -> None:
    from mingshi.core.tenancy import bind_tenant

    with factory() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        bind_tenant(session, tenant_id)
        ids = sorted(set(outcomes) | off)
        for row in session.scalars(select(m.Notification).where(m.Notification.id.in_(ids))):
            if row.id in off:
                row.email_next_at = None
                result.skipped += 1
                continue
            error = outcomes[row.id]
            row.email_attempts = (row.email_attempts or 0) + 1
            if error is None:
                row.emailed_at = _now()
                row.email_next_at = None
                row.email_error = None
                result.sent += 1
                continue
            row.email_error = error[:2000]
            result.failed += 1
            if row.email_attempts >= MAX_ATTEMPTS:
                row.email_next_at = None  # given up: the error stays
                result.gave_up += 1
                log.error("reminder %s: e-mail given up after %s attempts: %s", row.id, row.email_attempts, error)
            else:
                row.email_next_at = now + backoff(row.email_attempts)
                log.warning("reminder %s: e-mail attempt %s failed: %s", row.id, row.email_attempts, error)
            if error not in result.errors:
                result.errors.append(error)
        session.commit()


def compose(
    user: m.User, reminders: Iterable[m.Notification], *, code: str, mail_from: str, base_url: str
) -> EmailMessage:
    """The e-mail of a user's due reminders, in the user's saved language."""
    locale = _locale_of(user)
    reminders = list(reminders)
    if len(reminders) == 1:
        subject = _("Reminder: %(what)s", what=text_of(reminders[0]).render(locale)).render(locale)
    else:
        subject = _("%(n)s things await you in the master-teacher studios", n=len(reminders)).render(locale)
    lines = [_("Hello %(name)s,", name=user.display_name).render(locale), ""]
    lines.append(_("This awaits you:").render(locale) if len(reminders) == 1 else _("These await you:").render(locale))
    lines.append("")
    for row in reminders:
        lines.append(f"• {text_of(row).render(locale)}")
        lines.append(f"  {link_of(row, code, base_url)}")
    lines += [
        "",
        _("You can turn these e-mails off on your account page: %(url)s", url=f"{base_url}/account/").render(locale),
    ]
    message = EmailMessage()
    message["Subject"] = _one_line(subject)
    message["From"] = formataddr((_("Master-teacher studios").render(locale), mail_from))
    message["To"] = formataddr((_one_line(user.display_name), user.email or ""))
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain=mail_from.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    message["Content-Language"] = "en" if locale == "en" else "zh-CN"  # after: set_content clears Content-*
    return message


def _one_line(value: str, limit: int = 200) -> str:
    """A header's text: line breaks and runs of spaces as one space (a name typed with a line break
    would otherwise make the message unwritable), at most ``limit`` characters."""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_of(row: m.Notification, code: str, base_url: str = "") -> str:
    """The thing's address: under the tenant's root (absolute with ``base_url``)."""
    return f"{base_url}/{code}/{row.link}"


def deliver(smtp: SmtpSettings, message: EmailMessage) -> str | None:
    """Send ``message``; None when the server accepted it, else the reason (the caller keeps it)."""
    try:
        if smtp.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if refused:
        return "refused: " + "; ".join(f"{k}: {v}" for k, v in refused.items())
    return None


def _locale_of(user: m.User) -> str:
    try:
        return normalize_locale(user.language)
    except ValueError:
        return "zh_CN"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
