"""Who may do what. Checked in the services, not only in templates.

An :class:`Actor` is the signed-in user as the services see it (no Flask objects). A host may
change only the studios they host; a city administrator may change every studio of the tenant;
a reviewer reads every studio and records attestations; a member reads their own studio, their own
record and the public profile of their colleagues in that studio. Central staff read across tenants and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mingshi.core import models as m


class Forbidden(PermissionError):
    """The actor may not do this; the message says what was refused."""


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    tenant_id: int | None
    roles: frozenset[str]
    person_id: int | None = None
    #: studios where the actor's person is the host / a member or trainee (active memberships)
    hosted: frozenset[int] = field(default_factory=frozenset)
    joined: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_reviewer(self) -> bool:
        return "reviewer" in self.roles

    @property
    def is_central(self) -> bool:
        return "central" in self.roles

    def can_view_tenant(self, tenant_id: int) -> bool:
        return self.tenant_id == tenant_id and bool(self.roles - {"central"})

    def can_view_studio(self, studio_id: int) -> bool:
        return self.is_admin or self.is_reviewer or studio_id in self.hosted or studio_id in self.joined

    def can_manage_studio(self, studio_id: int) -> bool:
        return self.is_admin or studio_id in self.hosted

    def can_view_person(self, person_id: int, studio_ids: set[int]) -> bool:
        if self.is_admin or self.is_reviewer or person_id == self.person_id:
            return True
        return bool(studio_ids & set(self.hosted))

    def can_view_profile(self, person_id: int, studio_ids: set[int]) -> bool:
        """The public profile (name, school, position, title, the studios in common): whoever may see
        the whole record, and a member or trainee of a studio the person belongs to — never a person
        outside the actor's own studios, and never their phone or their work records."""
        return self.can_view_person(person_id, studio_ids) or bool(studio_ids & (self.joined | self.hosted))

    def require_view_studio(self, studio_id: int) -> None:
        if not self.can_view_studio(studio_id):
            raise Forbidden("you may not see this studio")

    def require_manage_studio(self, studio_id: int) -> None:
        if not self.can_manage_studio(studio_id):
            raise Forbidden("only the studio's host or the city administrator may change this studio")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("only the city administrator may do this")


def actor_for(session: Session, user: m.User, *, today=None) -> Actor:
    """Build the actor of ``user`` (two small queries: roles are loaded with the user)."""
    import datetime as dt

    day = today or dt.date.today()
    hosted: set[int] = set()
    joined: set[int] = set()
    if user.person_id is not None and user.tenant_id is not None and session.info.get("tenant_id") == user.tenant_id:
        rows = session.execute(
            select(m.Membership.studio_id, m.Membership.role).where(
                m.Membership.person_id == user.person_id,
                m.Membership.joined <= day,
                (m.Membership.left.is_(None)) | (m.Membership.left > day),
            )
        )
        for studio_id, role in rows:
            (hosted if role == "host" else joined).add(studio_id)
    return Actor(
        user_id=user.id,
        name=user.display_name,
        tenant_id=user.tenant_id,
        roles=frozenset(user.role_names),
        person_id=user.person_id,
        hosted=frozenset(hosted),
        joined=frozenset(joined),
    )


SYSTEM = Actor(user_id=None, name="system", tenant_id=None, roles=frozenset({"system"}))
