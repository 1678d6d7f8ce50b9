"""Tenants: create one for an installed jurisdiction, list them, disable and enable them.

Used by the operator's commands (``mingshi tenant …``) and by ``mingshi demo``. A disabled tenant
keeps every row; its users cannot sign in (:mod:`mingshi.core.services.signin`) and their sessions stop
working. Every action is in the audit log, under the tenant it concerns.

A new tenant's list of counties is seeded from its jurisdiction's vocabulary (kind ``counties``,
where the policy names them, e.g. Wenzhou's five counties): the core reads it through the plugin
hooks and never imports a plugin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.services.access import Actor
from mingshi.core.tenancy import all_tenants, bind_tenant

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
#: first path segments the web application uses itself: a tenant cannot be served there
RESERVED_CODES = frozenset({"login", "logout", "lang", "central", "static", "account", "admin", "api", "healthz"})

#: the deployment operator, acting through the command line
OPERATOR = Actor(user_id=None, name="operator (command line)", tenant_id=None, roles=frozenset({"operator"}))


@dataclass(frozen=True)
class TenantRow:
    tenant: m.Tenant
    studios: int
    users: int


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    tenant_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """An audit entry under ``tenant_id`` (the audit log is not tenant-scoped: the operator's session has no tenant)."""
    session.add(
        m.AuditEntry(
            tenant_id=tenant_id,
            user_id=actor.user_id,
            user_name=actor.name[:120],
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )


def find(session: Session, code: str) -> m.Tenant:
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
    if tenant is None:
        raise ValidationError({"code": [Text("no tenant has the code %(code)s", {"code": code})]})
    return tenant


def create(
    session: Session,
    actor: Actor,
    jurisdictions: Jurisdictions,
    *,
    code: str,
    jurisdiction: str,
    name: str,
    name_en: str | None = None,
    locale: str = "zh_CN",
) -> m.Tenant:
    """Create a tenant of an installed jurisdiction and seed its counties. The caller commits.

    Refused (:class:`ValidationError` naming the field): a code that is not a slug, reserved or
    taken; a jurisdiction that is not installed; an empty name.
    """
    code = (code or "").strip()
    name = (name or "").strip()
    errors: dict[str, list] = {}
    if not CODE_PATTERN.match(code):
        errors["code"] = ["a code is 2 to 64 lower-case letters, digits or hyphens, starting with a letter"]
    elif code in RESERVED_CODES:
        errors["code"] = [Text("the code %(code)s is used by the application itself", {"code": code})]
    elif session.scalar(select(m.Tenant.id).where(m.Tenant.code == code)) is not None:
        errors["code"] = [Text("a tenant with the code %(code)s exists already", {"code": code})]
    if jurisdiction not in jurisdictions.codes():
        installed = ", ".join(jurisdictions.codes()) or "none"
        errors["jurisdiction"] = [
            Text(
                "no jurisdiction %(code)s is installed (installed: %(installed)s)",
                {"code": jurisdiction, "installed": installed},
            )
        ]
    if not name:
        errors["name"] = ["may not be empty"]
    elif len(name) > 200:
        errors["name"] = ["too long"]
    if errors:
        raise ValidationError(errors)
    return create_for(
        session, actor, jurisdictions.get(jurisdiction), code=code, name=name, name_en=name_en, locale=locale
    )


def create_for(
    session: Session,
    actor: Actor,
    jurisdiction: Jurisdiction,
    *,
    code: str,
    name: str,
    name_en: str | None = None,
    locale: str = "zh_CN",
) -> m.Tenant:
    """Create the tenant (already validated), bind ``session`` to it and seed its counties."""
    tenant = m.Tenant(code=code, name=name, name_en=name_en or None, jurisdiction=jurisdiction.code, locale=locale)
    try:
        # the unique constraint decides between two creations of one code at the same moment
        with session.begin_nested():
            session.add(tenant)
            session.flush()
    except IntegrityError:
        raise ValidationError(
            {"code": [Text("a tenant with the code %(code)s exists already", {"code": code})]}
        ) from None
    bind_tenant(session, tenant.id)
    seeded = add_counties(session, jurisdiction.vocabulary.codes("counties"))
    audit(
        session,
        actor,
        "create_tenant",
        "tenant",
        tenant.id,
        tenant.id,
        after={"code": code, "name": name, "jurisdiction": jurisdiction.code, "counties": seeded},
    )
    return tenant


def add_counties(session: Session, names) -> list[str]:
    """Add the ``names`` missing from the bound tenant's county list, in order; the names added."""
    existing = set(session.scalars(select(m.County.name)))
    position = session.scalar(select(func.max(m.County.position))) or 0
    added = []
    for raw in names:
        county = str(raw).strip()
        if county and county not in existing:
            position += 1
            session.add(m.County(name=county, position=position))
            existing.add(county)
            added.append(county)
    session.flush()
    return added


def listing(session: Session) -> list[TenantRow]:
    """Every tenant with its number of studios and users (a session without a tenant)."""
    tenants = list(session.scalars(select(m.Tenant).order_by(m.Tenant.code)))
    studios = dict(
        session.execute(
            select(m.Studio.tenant_id, func.count())
            .group_by(m.Studio.tenant_id)
            .execution_options(**all_tenants("tenant listing"))
        ).all()
    )
    users = dict(session.execute(select(m.User.tenant_id, func.count()).group_by(m.User.tenant_id)).all())
    return [TenantRow(t, studios.get(t.id, 0), users.get(t.id, 0)) for t in tenants]


def set_active(session: Session, actor: Actor, code: str, active: bool) -> m.Tenant:
    """Disable or enable a tenant. Disabling also ends its users' sessions. The caller commits."""
    import uuid

    tenant = find(session, code)
    if tenant.active == active:
        state = "enabled" if active else "disabled"
        raise ValidationError(
            {"code": [Text("the tenant %(code)s is already %(state)s", {"code": code, "state": state})]}
        )
    tenant.active = active
    if not active:
        for user in session.scalars(select(m.User).where(m.User.tenant_id == tenant.id)):
            user.alt_id = str(uuid.uuid4())
    audit(
        session,
        actor,
        "enable_tenant" if active else "disable_tenant",
        "tenant",
        tenant.id,
        tenant.id,
        before={"active": not active},
        after={"active": active},
    )
    return tenant
