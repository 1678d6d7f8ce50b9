"""Sign-in: password check, failed-attempt limiting, and the sign-ins in the audit log.

Passwords are hashed with scrypt (Werkzeug's default); a hash made with an older method is
replaced at the next successful sign-in.

Failed attempts are counted in the database, in their own table (``sign_in_failures``, indexed by
user name and time; rows older than :data:`RETENTION` are deleted as new failures come): the count
is shared by every worker process of the server and survives a restart, and needs no cache
service (a bureau's intranet has no Redis). Each attempt is also written to the audit log, where
the city administrator reads it. Within :data:`WINDOW`, after :data:`MAX_FAILURES` failures for
one user name from one address, or :data:`MAX_FAILURES_PER_NAME` from any address (guessing
spread over many machines), every attempt for that name is refused — even with the right
password — until the window has passed since those failures. A successful sign-in starts the
count afresh (the name's failures are deleted). Counting by name and address means an attacker
elsewhere cannot lock a user out of their own office for long: that takes
:data:`MAX_FAILURES_PER_NAME` failures.

The password is checked (scrypt, the slow part) before any lock; then the count, the decision and
the new failure are one step serialised per user name (:func:`mingshi.core.db.serialize`: an advisory lock
on PostgreSQL, the write lock on SQLite), so that concurrent attempts for one name are judged one
after the other: 40 wrong passwords at once record :data:`MAX_FAILURES` failures and are then
refused, and a right password after them is refused too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mingshi.core import models as m
from mingshi.core.db import serialize

WINDOW = dt.timedelta(minutes=15)
#: failed attempts are kept this long in ``sign_in_failures`` (the audit log keeps its own record)
RETENTION = dt.timedelta(days=30)
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
    since = _now(now) - WINDOW
    rows = session.scalars(
        select(m.SignInFailure.address)
        .where(m.SignInFailure.username == username[:120], m.SignInFailure.at > since)
        .order_by(m.SignInFailure.at.desc())
        .limit(MAX_FAILURES_PER_NAME)
    )
    return list(rows)


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
    name = username[:120]
    if is_locked(session, name, address, now=now):  # already locked: no hashing, no lock, nothing written
        return SignInResult(None, locked=True)
    user = session.scalar(select(m.User).where(m.User.username == username)) if username else None
    if user is None or not user.active or not tenant_active(session, user) or len(password) > MAX_PASSWORD_LENGTH:
        check_password_hash(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password)
    # the decision and the count, one attempt for this name at a time
    serialize(session, "sign_in", name)
    if is_locked(session, name, address, now=now):
        return SignInResult(None, locked=True)
    current = _now(now)
    entry = m.AuditEntry(
        tenant_id=user.tenant_id if user is not None else None,
        user_id=user.id if ok and user is not None else None,
        user_name=user.display_name if ok and user is not None else name,
        action="sign_in" if ok else "sign_in_failed",
        entity="user",
        entity_id=user.id if user is not None else None,
        after={"username": name, "ip": address},
        at=current,
    )
    session.add(entry)
    if not ok:
        session.execute(delete(m.SignInFailure).where(m.SignInFailure.at < current - RETENTION))
        session.add(m.SignInFailure(username=name, address=(address or "")[:64] or None, at=current))
        return SignInResult(None)
    session.execute(delete(m.SignInFailure).where(m.SignInFailure.username == name))
    if not user.password_hash.startswith(HASH_METHOD + ":"):
        user.password_hash = hash_password(password)
    return SignInResult(user)
