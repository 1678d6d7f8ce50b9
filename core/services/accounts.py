"""Accounts: create users, one-time passwords, roles, disable/enable, a user's own password.

Used by the operator's commands (``mingshi user …``), the city administrator's pages
(``/<tenant>/admin/accounts``) and ``mingshi demo``. A one-time password is returned to the caller
once (to print or show) and only its hash is stored; the user must choose their own password at
the next sign-in (``must_change_password``). Disabling a user or resetting their password ends
their sessions (``alt_id`` is rotated). Every change is in the audit log of the user's tenant.

Central staff accounts (role ``central``, no tenant) are created only by the operator.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.services.access import Actor, Forbidden
from mingshi.core.services.signin import MAX_PASSWORD_LENGTH, hash_password
from mingshi.core.services.tenants import audit

TENANT_ROLES = ("admin", "reviewer", "host", "member")
#: roles that belong to a studio
STUDIO_ROLES = ("host", "member")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
PAGE_SIZE = 25


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str) -> list[str]:
    """Why ``password`` is too weak for ``username`` (empty: strong enough)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("a password has at least 10 characters")
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append("too long")
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append("a password may not contain the user name")
    if lowered in common_passwords() or lowered.rstrip("0123456789!.") in common_passwords():
        problems.append("this password is on the list of common passwords")
    if len(set(password)) < 4:
        problems.append("a password needs more different characters")
    return problems


def one_time_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Issued:
    """A user and the one-time password just set (shown once, never stored in clear)."""

    user: m.User
    password: str | None


def _user_name_errors(session: Session, username: str) -> list:
    if not USERNAME_PATTERN.match(username):
        return ["a user name is 2 to 80 letters, digits or . _ @ -, starting with a letter or digit"]
    if session.scalar(select(m.User.id).where(func.lower(m.User.username) == username.lower())) is not None:
        return [Text("the user name %(name)s is taken", {"name": username})]
    return []


def _check_roles(session: Session, roles: list[tuple[str, int | None]], tenant_id: int | None) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not roles:
        errors["role"] = ["choose a role"]
    for role, studio_id in roles:
        if role not in TENANT_ROLES:
            errors.setdefault("role", []).append("not a valid choice")
        elif studio_id is not None and tenant_id is not None and session.get(m.Studio, studio_id) is None:
            # the session is bound to the tenant: another tenant's studio is not found
            errors.setdefault("studio_id", []).append("not a valid choice")
    return errors


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str | None = None,
    tenant: m.Tenant | None,
    roles: list[tuple[str, int | None]],
    person_id: int | None = None,
    password_hash: str | None = None,
) -> Issued:
    """Create a tenant user (``tenant``, ``roles``) or central staff (no tenant, roles ``[("central", None)]``).

    Without ``password_hash`` the user gets a one-time password (returned) and must change it at
    the first sign-in; the demo passes its published demo hash. The caller commits.
    """
    username = (username or "").strip()
    display = (display_name or "").strip() or username
    errors: dict[str, list] = {}
    if problems := _user_name_errors(session, username):
        errors["username"] = problems
    if len(display) > 120:
        errors["display_name"] = ["too long"]
    if tenant is None:
        if actor.user_id is not None and not actor.is_central:
            raise Forbidden("central staff accounts are created only by the operator")
        if [r for r, _ in roles] != ["central"]:
            errors["role"] = ["central staff have the role central and no tenant"]
    else:
        _require_manager(actor, tenant.id)
        errors.update(_check_roles(session, roles, tenant.id))
        if person_id is not None and session.get(m.Person, person_id) is None:
            errors["person_id"] = ["not a valid choice"]
        if any(r in STUDIO_ROLES for r, _ in roles) and person_id is None:
            errors["person_id"] = ["a host or member is linked to their person record"]
    if errors:
        raise ValidationError(errors)
    password = None if password_hash else one_time_password()
    user = m.User(
        username=username,
        display_name=display,
        password_hash=password_hash or hash_password(password),
        tenant_id=tenant.id if tenant else None,
        person_id=person_id,
        must_change_password=password is not None,
    )
    user.roles = [m.UserRole(role=r, studio_id=s if r in STUDIO_ROLES else None) for r, s in roles]
    try:
        # the unique constraint decides between two creations of one name at the same moment
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:
        raise ValidationError({"username": [Text("the user name %(name)s is taken", {"name": username})]}) from None
    audit(
        session,
        actor,
        "create_user",
        "user",
        user.id,
        user.tenant_id,
        after={"username": username, "display_name": display, "roles": _role_list(user), "person_id": person_id},
    )
    return Issued(user, password)


def _require_manager(actor: Actor, tenant_id: int) -> None:
    """The operator, or the tenant's administrator."""
    if "operator" in actor.roles or "system" in actor.roles:
        return
    if not (actor.is_admin and actor.tenant_id == tenant_id):
        raise Forbidden("only the city administrator may do this")


def _role_list(user: m.User) -> list[list]:
    return sorted([r.role, r.studio_id] for r in user.roles)


def find_user(session: Session, username: str) -> m.User:
    user = session.scalar(select(m.User).where(m.User.username == (username or "").strip()))
    if user is None:
        raise ValidationError({"username": [Text("no user has the name %(name)s", {"name": username})]})
    return user


def tenant_user(session: Session, actor: Actor, tenant_id: int, user_id: int) -> m.User | None:
    """A user of the tenant, for its administrator; None when there is none (the page answers 404)."""
    _require_manager(actor, tenant_id)
    user = session.get(m.User, user_id)
    return user if user is not None and user.tenant_id == tenant_id else None


def reset_password(session: Session, actor: Actor, user: m.User) -> Issued:
    """A new one-time password (returned once); the user's sessions end. The caller commits."""
    if user.tenant_id is not None:
        _require_manager(actor, user.tenant_id)
    elif "operator" not in actor.roles:
        raise Forbidden("central staff passwords are reset only by the operator")
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.alt_id = str(uuid.uuid4())
    audit(session, actor, "reset_password", "user", user.id, user.tenant_id)
    return Issued(user, password)


def set_active(session: Session, actor: Actor, user: m.User, active: bool) -> m.User:
    """Disable (its sessions end) or enable a user. Nothing is deleted. The caller commits."""
    if user.tenant_id is not None:
        _require_manager(actor, user.tenant_id)
    elif "operator" not in actor.roles:
        raise Forbidden("central staff accounts are changed only by the operator")
    if actor.user_id is not None and actor.user_id == user.id and not active:
        raise ValidationError({"active": ["you cannot disable your own account"]})
    if user.active == active:
        raise ValidationError(
            {"active": ["the account is already enabled" if active else "the account is already disabled"]}
        )
    user.active = active
    if not active:
        user.alt_id = str(uuid.uuid4())
    audit(
        session,
        actor,
        "enable_user" if active else "disable_user",
        "user",
        user.id,
        user.tenant_id,
        before={"active": not active},
        after={"active": active},
    )
    return user


def set_roles(
    session: Session, actor: Actor, user: m.User, roles: list[tuple[str, int | None]], person_id: int | None
) -> m.User:
    """Replace a tenant user's roles (and linked person). The caller commits."""
    if user.tenant_id is None:
        raise Forbidden("central staff accounts are changed only by the operator")
    _require_manager(actor, user.tenant_id)
    errors = _check_roles(session, roles, user.tenant_id)
    if person_id is not None and session.get(m.Person, person_id) is None:
        errors["person_id"] = ["not a valid choice"]
    if any(r in STUDIO_ROLES for r, _ in roles) and person_id is None:
        errors["person_id"] = ["a host or member is linked to their person record"]
    if actor.user_id == user.id and "admin" not in [r for r, _ in roles]:
        errors.setdefault("role", []).append("you cannot take the administrator role from yourself")
    if errors:
        raise ValidationError(errors)
    before = {"roles": _role_list(user), "person_id": user.person_id}
    wanted = {(r, s if r in STUDIO_ROLES else None) for r, s in roles}
    user.roles = [ur for ur in user.roles if (ur.role, ur.studio_id) in wanted]
    have = {(ur.role, ur.studio_id) for ur in user.roles}
    user.roles.extend(m.UserRole(role=r, studio_id=s) for r, s in sorted(wanted - have, key=str))
    user.person_id = person_id
    session.flush()
    audit(
        session,
        actor,
        "change_roles",
        "user",
        user.id,
        user.tenant_id,
        before=before,
        after={"roles": _role_list(user), "person_id": person_id},
    )
    return user


def change_own_password(session: Session, user: m.User, current: str, new: str, repeated: str) -> m.User:
    """The user changes their password: the current one is required, the new one must be strong."""
    errors: dict[str, list] = {}
    if not current or len(current) > MAX_PASSWORD_LENGTH or not check_password_hash(user.password_hash, current):
        errors["current"] = ["the current password is wrong"]
    if problems := password_problems(new or "", user.username):
        errors["new"] = problems
    elif new == current:
        errors["new"] = ["choose a password different from the current one"]
    if new != repeated:
        errors["repeated"] = ["the two new passwords differ"]
    if errors:
        raise ValidationError(errors)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.alt_id = str(uuid.uuid4())  # other sessions end; the caller signs this one in again
    me = Actor(user_id=user.id, name=user.display_name, tenant_id=user.tenant_id, roles=frozenset(user.role_names))
    audit(session, me, "change_password", "user", user.id, user.tenant_id)
    return user


def set_own_email(session: Session, user: m.User, email: str | None, reminders: bool) -> m.User:
    """The user's address for reminders (None: none) and whether they want reminders e-mailed.

    Turning e-mail off also stops what is already waiting to be sent (the sender checks again)."""
    before = {"email": user.email, "email_reminders": user.email_reminders}
    user.email = email
    user.email_reminders = bool(reminders)
    after = {"email": user.email, "email_reminders": user.email_reminders}
    if after != before:
        me = Actor(user_id=user.id, name=user.display_name, tenant_id=user.tenant_id, roles=frozenset(user.role_names))
        audit(session, me, "change_email_preferences", "user", user.id, user.tenant_id, before, after)
    return user


def remember_language(user: m.User, locale: str) -> None:
    """The language the user chose (zh_CN or en): their e-mails are written in it."""
    user.language = "en" if locale == "en" else "zh_CN"


def last_sign_ins(session: Session, user: m.User, count: int = 5) -> list[tuple[dt.datetime, str | None]]:
    """The user's latest successful sign-ins (time, address), newest first."""
    rows = session.execute(
        select(m.AuditEntry.at, m.AuditEntry.after)
        .where(m.AuditEntry.action == "sign_in", m.AuditEntry.entity == "user", m.AuditEntry.entity_id == user.id)
        .order_by(m.AuditEntry.at.desc(), m.AuditEntry.id.desc())
        .limit(count)
    )
    out = []
    for at, after in rows:
        if at.tzinfo is None:  # SQLite gives back naive UTC
            at = at.replace(tzinfo=dt.UTC)
        out.append((at, (after or {}).get("ip")))
    return out


def search(
    session: Session, actor: Actor, tenant_id: int, q: str | None, page: int = 1, size: int = PAGE_SIZE
) -> tuple[list[m.User], int]:
    """One page of the tenant's accounts matching ``q`` (user name or display name), and the total."""
    _require_manager(actor, tenant_id)
    where = [m.User.tenant_id == tenant_id]
    if q:
        like = f"%{q.strip()[:80]}%"
        where.append(or_(m.User.username.ilike(like), m.User.display_name.ilike(like)))
    total = session.scalar(select(func.count()).select_from(m.User).where(*where)) or 0
    users = list(
        session.scalars(
            select(m.User).where(*where).order_by(m.User.username).offset((max(page, 1) - 1) * size).limit(size)
        )
    )
    return users, total
