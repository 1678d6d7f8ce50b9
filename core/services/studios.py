"""A studio's basic record (name, county, subject), edited with optimistic locking.

The form carries the version of the studio it was loaded with. A save based on an older version
is refused with :class:`StaleEdit`, which holds the current values, so the user sees what
changed beside what they typed and nothing is overwritten. The version is checked twice: here,
against the row just read, and by the database (``version_id_col``: the ``UPDATE … WHERE
version = n`` of a save that raced another one matches no row).

Who may change what: the city administrator every field of every studio; a host only the
subject of a studio they host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mingshi.core import models as m
from mingshi.core.services import audit
from mingshi.core.services.access import Actor, Forbidden

FIELDS = ("name", "county", "subject")
HOST_FIELDS = ("subject",)


class StaleEdit(Exception):
    """The studio changed since the form was loaded; nothing was saved."""

    def __init__(self, current: dict[str, Any], version: int) -> None:
        super().__init__("the studio was changed by someone else since the form was loaded")
        self.current = current
        self.version = version


def editable_fields(actor: Actor, studio: m.Studio) -> tuple[str, ...]:
    """The fields of ``studio`` that ``actor`` may change (empty: none)."""
    if actor.is_admin:
        return FIELDS
    if studio.id in actor.hosted:
        return HOST_FIELDS
    return ()


def current_values(studio: m.Studio) -> dict[str, Any]:
    return {name: getattr(studio, name) for name in FIELDS}


def edit_studio(
    session: Session, actor: Actor, studio: m.Studio, data: Mapping[str, Any], expected_version: int
) -> m.Studio:
    """Change the studio's record from ``data`` (the fields ``actor`` may change); audited before → after.

    Raises :class:`Forbidden` when the actor may change nothing or tries to change a field that is
    not theirs, :class:`ValidationError` for a missing name, :class:`StaleEdit` when the studio's
    version is no longer ``expected_version``. The caller commits.
    """
    allowed = editable_fields(actor, studio)
    if not allowed:
        raise Forbidden("only the studio's host or the city administrator may change this studio")
    changes = {name: data.get(name) for name in FIELDS if name in data}
    for name, value in changes.items():
        if name not in allowed and value != getattr(studio, name):
            raise Forbidden("only the city administrator may do this")
    changes = {name: value for name, value in changes.items() if name in allowed}
    if "name" in changes and not changes["name"]:
        raise ValidationError({"name": ["missing"]})
    if "county" in changes and changes["county"] != studio.county:
        from mingshi.core.services import registry

        registry.check_county(session, changes["county"])
    if studio.version != expected_version:
        raise StaleEdit(current_values(studio), studio.version)
    before = current_values(studio)
    for name, value in changes.items():
        setattr(studio, name, value)
    after = current_values(studio)
    if after == before:
        return studio
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        fresh = session.get(m.Studio, studio.id, populate_existing=True)
        raise StaleEdit(current_values(fresh), fresh.version) from None
    changed = [name for name in FIELDS if before[name] != after[name]]
    audit.record(
        session,
        actor,
        "edit_studio",
        "studio",
        studio.id,
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )
    return studio
