"""The tenant's registry: its counties, its schools and its people, kept by the city administrator.

Every change is audited. A person is edited with optimistic locking (the form carries the version
it was loaded with; a save based on an older one changes nothing and shows what changed). The
eligibility checks read what is recorded here: a person's honours, title, backbone designations,
retirement date (:func:`mingshi.core.services.facts.person_fact`).

Searches answer a bounded page (:data:`PICK_LIMIT` for the pickers): a tenant may have 50,000 people.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from mingshi.core import models as m
from mingshi.core.i18n import Text
from mingshi.core.services import audit
from mingshi.core.services.access import Actor
from mingshi.core.vocab import Vocabulary, level_rank

PICK_LIMIT = 20
PAGE_SIZE = 25
PERSON_FIELDS = ("name", "sex", "born", "school_id", "position", "title", "retirement_date", "phone")
SCHOOL_FIELDS = ("name", "county", "stage", "rural", "weak")
#: the rows that name a school (merging two schools moves them to the one kept)
SCHOOL_REFERENCES = (m.Person, m.Studio, m.Activity, m.Output)


class StaleEdit(Exception):
    """The record changed since the form was loaded; nothing was saved."""

    def __init__(self, current: dict[str, Any], version: int) -> None:
        super().__init__("the record was changed by someone else since the form was loaded")
        self.current = current
        self.version = version


def _like(q: str | None) -> str | None:
    q = (q or "").strip()[:100]
    if not q:
        return None
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# ---------------------------------------------------------------------------------------------
# counties


def counties(session: Session) -> list[m.County]:
    return list(session.scalars(select(m.County).order_by(m.County.position, m.County.id)))


def county_names(session: Session) -> list[str]:
    return [c.name for c in counties(session)]


def county_entry(session: Session, name: str | None) -> m.County | None:
    """The entry of the tenant's county list called ``name`` (None: not in the list)."""
    if not name:
        return None
    return session.scalar(select(m.County).where(m.County.name == name))


def check_county(session: Session, value: str | None, field: str = "county") -> str | None:
    """``value`` if it is an entry of the tenant's county list (or empty); else a ValidationError on ``field``."""
    if value is None or value == "":
        return None
    if session.scalar(select(m.County.id).where(m.County.name == value)) is None:
        raise ValidationError({field: ["choose a county from the list"]})
    return value


def add_county(session: Session, actor: Actor, name: str) -> m.County:
    actor.require_admin()
    name = name.strip()
    if session.scalar(select(m.County.id).where(m.County.name == name)) is not None:
        raise ValidationError({"name": [Text("%(name)s is in the list already", {"name": name})]})
    position = (session.scalar(select(func.max(m.County.position))) or 0) + 1
    county = m.County(name=name, position=position)
    session.add(county)
    session.flush()
    audit.record(session, actor, "add_county", "county", county.id, None, {"name": name})
    return county


def rename_county(session: Session, actor: Actor, county: m.County, name: str) -> m.County:
    """Rename an entry; the schools and studios of the county follow (they name it)."""
    actor.require_admin()
    name = name.strip()
    if name == county.name:
        return county
    if session.scalar(select(m.County.id).where(m.County.name == name)) is not None:
        raise ValidationError({"name": [Text("%(name)s is in the list already", {"name": name})]})
    old = county.name
    county.name = name
    for model in (m.School, m.Studio):
        session.execute(update(model).where(model.county == old).values(county=name))
    session.flush()
    audit.record(session, actor, "rename_county", "county", county.id, {"name": old}, {"name": name})
    return county


def remove_county(session: Session, actor: Actor, county: m.County) -> None:
    """Remove an entry no school or studio names (else refused: rename it, or move them first)."""
    actor.require_admin()
    used = sum(
        session.scalar(select(func.count()).select_from(model).where(model.county == county.name)) or 0
        for model in (m.School, m.Studio)
    )
    if used:
        raise ValidationError(
            {"name": [Text("%(count)s schools or studios are in %(name)s", {"count": used, "name": county.name})]}
        )
    audit.record(session, actor, "remove_county", "county", county.id, {"name": county.name}, None)
    session.delete(county)
    session.flush()


# ---------------------------------------------------------------------------------------------
# schools


def search_schools(session: Session, q: str | None, *, limit: int = PICK_LIMIT, offset: int = 0) -> list[m.School]:
    stmt = select(m.School).order_by(m.School.name, m.School.id)
    if like := _like(q):
        stmt = stmt.where(or_(m.School.name.ilike(like, escape="\\"), m.School.county.ilike(like, escape="\\")))
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def search_studios(session: Session, q: str | None, *, limit: int = PICK_LIMIT) -> list[m.Studio]:
    """Studios by name or county, for the studio picker of the accounts (at most ``limit``)."""
    stmt = select(m.Studio).order_by(m.Studio.name, m.Studio.id)
    if like := _like(q):
        stmt = stmt.where(or_(m.Studio.name.ilike(like, escape="\\"), m.Studio.county.ilike(like, escape="\\")))
    return list(session.scalars(stmt.limit(limit)))


def count_schools(session: Session, q: str | None) -> int:
    stmt = select(func.count()).select_from(m.School)
    if like := _like(q):
        stmt = stmt.where(or_(m.School.name.ilike(like, escape="\\"), m.School.county.ilike(like, escape="\\")))
    return session.scalar(stmt) or 0


def _school_checks(session: Session, data: Mapping[str, Any], school: m.School | None = None) -> None:
    errors: dict[str, list] = {}
    clash = session.scalar(select(m.School.id).where(m.School.name == data["name"]))
    if clash is not None and (school is None or clash != school.id):
        errors["name"] = [Text("a school named %(name)s exists already", {"name": data["name"]})]
    try:
        check_county(session, data.get("county"))
    except ValidationError as exc:
        errors.update(exc.messages)
    if errors:
        raise ValidationError(errors)


def create_school(session: Session, actor: Actor, data: Mapping[str, Any]) -> m.School:
    actor.require_admin()
    _school_checks(session, data)
    school = m.School(**{k: data.get(k) for k in SCHOOL_FIELDS})
    session.add(school)
    session.flush()
    audit.record(
        session, actor, "create_school", "school", school.id, None, audit.snapshot(school, list(SCHOOL_FIELDS))
    )
    return school


def edit_school(session: Session, actor: Actor, school: m.School, data: Mapping[str, Any]) -> m.School:
    actor.require_admin()
    _school_checks(session, data, school)
    before = audit.snapshot(school, list(SCHOOL_FIELDS))
    for key in SCHOOL_FIELDS:
        setattr(school, key, data.get(key))
    after = audit.snapshot(school, list(SCHOOL_FIELDS))
    if after != before:
        changed = [k for k in SCHOOL_FIELDS if before[k] != after[k]]
        session.flush()
        audit.record(
            session, actor, "edit_school", "school", school.id,
            {k: before[k] for k in changed}, {k: after[k] for k in changed},
        )  # fmt: skip
    return school


def merge_schools(session: Session, actor: Actor, keep: m.School, duplicate: m.School) -> dict[str, int]:
    """Move every row naming ``duplicate`` to ``keep`` and delete ``duplicate``; the rows moved, by table."""
    actor.require_admin()
    if keep.id == duplicate.id:
        raise ValidationError({"duplicate_id": ["a school cannot be merged into itself"]})
    moved: dict[str, int] = {}
    for model in SCHOOL_REFERENCES:
        ids = list(session.scalars(select(model.id).where(model.school_id == duplicate.id)))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values(school_id=keep.id))
            moved[model.__tablename__] = len(ids)
    # a school marked rural or weak in either record stays so
    keep.rural = keep.rural or duplicate.rural
    keep.weak = keep.weak or duplicate.weak
    audit.record(
        session, actor, "merge_schools", "school", keep.id,
        {"duplicate_id": duplicate.id, "name": duplicate.name}, {"name": keep.name, "moved": moved},
    )  # fmt: skip
    session.flush()
    session.expire_all()
    session.delete(session.get(m.School, duplicate.id))
    session.flush()
    return moved


# ---------------------------------------------------------------------------------------------
# people


def _people_where(q: str | None) -> list:
    like = _like(q)
    if like is None:
        return []
    return [or_(m.Person.name.ilike(like, escape="\\"), m.Person.phone.ilike(like, escape="\\"))]


def search_people(session: Session, q: str | None, *, limit: int = PICK_LIMIT, offset: int = 0) -> list[m.Person]:
    stmt = select(m.Person).where(*_people_where(q)).order_by(m.Person.name, m.Person.id)
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def count_people(session: Session, q: str | None) -> int:
    return session.scalar(select(func.count()).select_from(m.Person).where(*_people_where(q))) or 0


def _person_values(person: m.Person) -> dict[str, Any]:
    return audit.snapshot(person, list(PERSON_FIELDS))


def _person_checks(session: Session, data: Mapping[str, Any]) -> None:
    school_id = data.get("school_id")
    if school_id is not None and session.get(m.School, school_id) is None:
        raise ValidationError({"school_id": ["not a valid choice"]})
    born, retires = data.get("born"), data.get("retirement_date")
    if born is not None and retires is not None and retires <= born:
        raise ValidationError({"retirement_date": ["the retirement date is before the date of birth"]})


def create_person(session: Session, actor: Actor, data: Mapping[str, Any]) -> m.Person:
    actor.require_admin()
    _person_checks(session, data)
    person = m.Person(**{k: data.get(k) for k in PERSON_FIELDS})
    session.add(person)
    session.flush()
    audit.record(session, actor, "create", "person", person.id, None, _person_values(person))
    return person


def edit_person(
    session: Session, actor: Actor, person: m.Person, data: Mapping[str, Any], expected_version: int | None
) -> m.Person:
    """Change the person's record; :class:`StaleEdit` when it changed since the form was loaded."""
    actor.require_admin()
    _person_checks(session, data)
    if expected_version is None:
        raise ValidationError({"version": ["missing"]})
    if person.version != expected_version:
        raise StaleEdit(_person_values(person), person.version)
    before = _person_values(person)
    for key in PERSON_FIELDS:
        setattr(person, key, data.get(key))
    after = _person_values(person)
    if after == before:
        return person
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        fresh = session.get(m.Person, person.id, populate_existing=True)
        raise StaleEdit(_person_values(fresh), fresh.version) from None
    changed = [k for k in PERSON_FIELDS if before[k] != after[k]]
    audit.record(
        session, actor, "edit_person", "person", person.id,
        {k: before[k] for k in changed}, {k: after[k] for k in changed},
    )  # fmt: skip
    return person


def _touch(person: m.Person) -> None:
    """A change to a person's honours or designations is a change of the person: its version moves on."""
    flag_modified(person, "name")  # the mapper's version counter advances on the flush of a dirty row


def add_honor(
    session: Session, actor: Actor, vocabulary: Vocabulary, person: m.Person, data: Mapping[str, Any]
) -> m.PersonHonor:
    """Record an honour from the jurisdiction's vocabulary, with its date and an evidence note."""
    actor.require_admin()
    if data["honor"] not in vocabulary.codes("honors"):
        raise ValidationError({"honor": ["not a valid choice"]})
    if any(h.honor == data["honor"] and h.awarded == data["awarded"] for h in person.honors):
        raise ValidationError({"honor": ["this honour is recorded already with that date"]})
    honor = m.PersonHonor(person_id=person.id, honor=data["honor"], awarded=data["awarded"],
                          evidence=data.get("evidence"))  # fmt: skip
    person.honors.append(honor)
    _touch(person)
    session.flush()
    audit.record(
        session, actor, "add_honor", "person", person.id, None,
        {"honor": honor.honor, "date": honor.awarded.isoformat(), "evidence": honor.evidence},
    )  # fmt: skip
    return honor


def remove_honor(session: Session, actor: Actor, person: m.Person, honor_id: int) -> None:
    actor.require_admin()
    honor = next((h for h in person.honors if h.id == honor_id), None)
    if honor is None:
        raise ValidationError({"honor": ["not a valid choice"]})
    audit.record(
        session, actor, "remove_honor", "person", person.id,
        {"honor": honor.honor, "date": honor.awarded.isoformat() if honor.awarded else None,
         "evidence": honor.evidence}, None,
    )  # fmt: skip
    person.honors.remove(honor)
    _touch(person)
    session.flush()


def add_backbone(session: Session, actor: Actor, person: m.Person, data: Mapping[str, Any]) -> None:
    """Record a backbone designation (level, from a date); the person's current level is the highest held."""
    actor.require_admin()
    if any(b.level == data["level"] and b.date == data["date"] for b in person.backbone_history):
        raise ValidationError({"level": ["this designation is recorded already with that date"]})
    person.backbone_history.append(m.BackboneDesignation(person_id=person.id, level=data["level"], date=data["date"]))
    before = person.backbone_level
    person.backbone_level = max((b.level for b in person.backbone_history), key=level_rank)
    _touch(person)
    session.flush()
    audit.record(
        session, actor, "add_backbone", "person", person.id, {"backbone_level": before},
        {"level": data["level"], "date": data["date"].isoformat(), "backbone_level": person.backbone_level},
    )  # fmt: skip
