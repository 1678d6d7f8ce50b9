"""Sign-in: password check, failed-attempt limiting, and the sign-ins in the audit log.

Passwords are hashed with scrypt (Werkzeug's default); a hash made with an older method is
replaced at the next successful sign-in.

Failed attempts are counted in the database, in the audit log itself (``sign_in_failed``
entries, with the address in ``after``): the count is shared by every worker process of the
server and survives a restart, needs no extra table or cache service (a bureau's intranet has
no Redis), and the city administrator reads the failures on the audit page. Within
:data:`WINDOW`, after :data:`MAX_FAILURES` failures for one user name from one address, or
:data:`MAX_FAILURES_PER_NAME` from any address (guessing spread over many machines), every
attempt for that name is refused — even with the right password — until the window has passed
since those failures. A successful sign-in starts the count afresh. Counting by name and address
means an attacker elsewhere cannot lock a user out of their own office for long: that takes
:data:`MAX_FAILURES_PER_NAME` failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mingshi.core import models as m

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 5
MAX_FAILURES_PER_NAME = 50
HASH_METHOD = "scrypt"
#: longer passwords are refused without hashing them (hashing megabytes is a denial of service)
MAX_PASSWORD_LENGTH = 1024
#: checked against when the user name is unknown, so that the answer takes as long either way
_DUMMY_HASH = generate_password_hash("not a password", method=HASH_METHOD)


@dataclass(frozen=True)
class SignInResult:
    user: m.User | None
    locked: bool = False


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def failures(session: Session, username: str, *, now: dt.datetime | None = None) -> list[str | None]:
    """The addresses of the failed attempts for ``username`` that still count (newest first)."""
    current = _now(now)
    since = current - WINDOW
    user_id = session.scalar(select(m.User.id).where(m.User.username == username))
    last_success = None
    if user_id is not None:
        last_success = session.scalar(
            select(m.AuditEntry.at)
            .where(m.AuditEntry.action == "sign_in", m.AuditEntry.entity == "user", m.AuditEntry.entity_id == user_id)
            .order_by(m.AuditEntry.at.desc())
            .limit(1)
        )
    if last_success is not None:
        if last_success.tzinfo is None:  # SQLite gives back naive UTC
            last_success = last_success.replace(tzinfo=dt.UTC)
        since = max(since, last_success)
    rows = session.scalars(
        select(m.AuditEntry.after)
        .where(
            m.AuditEntry.action == "sign_in_failed",
            m.AuditEntry.user_name == username[:120],
            m.AuditEntry.at > since,
        )
        .order_by(m.AuditEntry.at.desc())
        .limit(MAX_FAILURES_PER_NAME)
    )
    return [(after or {}).get("ip") for after in rows]


def is_locked(session: Session, username: str, address: str | None, *, now: dt.datetime | None = None) -> bool:
    addresses = failures(session, username, now=now)
    return len(addresses) >= MAX_FAILURES_PER_NAME or addresses.count(address) >= MAX_FAILURES


def tenant_active(session: Session, user: m.User) -> bool:
    """Whether the user's tenant (if any) is enabled: a disabled tenant's users cannot sign in."""
    if user.tenant_id is None:
        return True
    return bool(session.scalar(select(m.Tenant.active).where(m.Tenant.id == user.tenant_id)))


def sign_in(
    session: Session, username: str, password: str, address: str | None, *, now: dt.datetime | None = None
) -> SignInResult:
    """Check a sign-in attempt and record it. The caller commits (also after a failure: it is counted)."""
    username = username.strip()
    if is_locked(session, username, address, now=now):
        return SignInResult(None, locked=True)
    user = session.scalar(select(m.User).where(m.User.username == username)) if username else None
    if user is None or not user.active or not tenant_active(session, user) or len(password) > MAX_PASSWORD_LENGTH:
        check_password_hash(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password)
    entry = m.AuditEntry(
        tenant_id=user.tenant_id if user is not None else None,
        user_id=user.id if ok and user is not None else None,
        user_name=user.display_name if ok and user is not None else username[:120],
        action="sign_in" if ok else "sign_in_failed",
        entity="user",
        entity_id=user.id if user is not None else None,
        after={"username": username[:120], "ip": address},
    )
    if now is not None:
        entry.at = now
    session.add(entry)
    if not ok:
        return SignInResult(None)
    if not user.password_hash.startswith(HASH_METHOD + ":"):
        user.password_hash = hash_password(password)
    return SignInResult(user)
