"""The city administrator's pages under ``/<tenant>/admin/``: accounts, counties, schools, people.

Only the tenant's administrator opens them (anyone else of the tenant: 403; another tenant: 404,
as every tenant URL). Views load, check access, call a core service (which checks again), render.
A one-time password is shown once, on the page that answers the reset; it is never stored in clear.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for
from marshmallow import ValidationError

from mingshi.core import models as m
from mingshi.core.schemas.registry import (
    AccountInput,
    BackboneInput,
    CountyInput,
    HonorInput,
    MergeInput,
    RegistryPersonInput,
    RolesInput,
    SchoolInput,
)
from mingshi.core.services import accounts, registry
from mingshi.core.services.access import Forbidden
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session
from mingshi.web.forms import submit
from mingshi.web.render import form_errors, page

bp = Blueprint("admin", __name__, url_prefix="/<tenant>/admin")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)


@bp.before_request
def _only_the_administrator():
    if not g.actor.is_admin:
        raise Forbidden("only the city administrator may do this")


def _page_number() -> int:
    return max(1, min(request.args.get("page", default=1, type=int) or 1, 100_000))


def _q() -> str:
    return (request.args.get("q") or "").strip()[:100]


def _roles(data: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(role, data.get("studio_id")) for role in data.get("role", [])]


def _studio_name(user: m.User) -> str | None:
    """The name of the studio of the account's host or member role (the picker shows it as chosen)."""
    studio_id = next((r.studio_id for r in user.roles if r.studio_id), None)
    studio = db_session().get(m.Studio, studio_id) if studio_id else None
    return studio.name if studio else None


@bp.get("/")
def index():
    return redirect(url_for("admin.accounts"))


# ---------------------------------------------------------------------------------------------
# accounts


def _accounts_page(*, form=None, errors=None, status: int = 200, issued=None):
    db = db_session()
    users, total = accounts.search(db, g.actor, g.tenant.id, _q(), _page_number())
    return page(
        "admin/accounts.html",
        status=status,
        users=users,
        total=total,
        q=_q(),
        number=_page_number(),
        size=accounts.PAGE_SIZE,
        form=form or {},
        errors=errors or {},
        issued=issued,
    )


@bp.get("/accounts", endpoint="accounts")
def accounts_page():
    return _accounts_page()


@bp.post("/accounts")
def create_account():
    db = db_session()
    try:
        data = AccountInput().load_form(request.form)
        issued = accounts.create_user(
            db,
            g.actor,
            username=data["username"],
            display_name=data.get("display_name"),
            tenant=g.tenant,
            roles=_roles(data),
            person_id=data.get("person_id"),
        )
    except ValidationError as exc:
        db.rollback()
        return _accounts_page(form=_typed(), errors=form_errors(exc), status=422)
    shown = (issued.user.username, issued.password)
    db.commit()
    return _accounts_page(issued=shown, status=201)


def _typed() -> dict[str, Any]:
    typed: dict[str, Any] = request.form.to_dict()
    typed["role"] = request.form.getlist("role")
    return typed


def _account(user_id: int) -> m.User:
    user = accounts.tenant_user(db_session(), g.actor, g.tenant.id, user_id)
    if user is None:
        abort(404)
    return user


def _account_page(user: m.User, *, form=None, errors=None, status: int = 200, issued=None):
    return page(
        "admin/account.html",
        status=status,
        user=user,
        current_studio_name=_studio_name(user),
        sign_ins=accounts.last_sign_ins(db_session(), user),
        form=form or {},
        errors=errors or {},
        issued=issued,
    )


@bp.get("/accounts/<int:user_id>")
def account(user_id: int):
    return _account_page(_account(user_id))


@bp.post("/accounts/<int:user_id>/roles")
def account_roles(user_id: int):
    user = _account(user_id)

    def change() -> None:
        data = RolesInput().load_form(request.form)
        accounts.set_roles(db_session(), g.actor, user, _roles(data), data.get("person_id"))

    return submit(
        change,
        again=lambda **kw: _account_page(user, **{**kw, "form": {**kw.get("form", {}), "role": _roles_typed()}}),
        then=url_for("admin.account", user_id=user.id),
    )


def _roles_typed() -> list[str]:
    return request.form.getlist("role")


@bp.post("/accounts/<int:user_id>/active")
def account_active(user_id: int):
    user = _account(user_id)
    active = request.form.get("active") == "1"
    return submit(
        lambda: accounts.set_active(db_session(), g.actor, user, active),
        again=lambda **kw: _account_page(user, **kw),
        then=url_for("admin.account", user_id=user.id),
    )


@bp.post("/accounts/<int:user_id>/reset")
def account_reset(user_id: int):
    user = _account(user_id)
    db = db_session()
    issued = accounts.reset_password(db, g.actor, user)
    db.commit()
    return _account_page(user, issued=(user.username, issued.password))


# ---------------------------------------------------------------------------------------------
# counties


def _counties_page(*, form=None, errors=None, status: int = 200):
    return page(
        "admin/counties.html",
        status=status,
        counties=registry.counties(db_session()),
        form=form or {},
        errors=errors or {},
    )


@bp.get("/counties")
def counties():
    return _counties_page()


@bp.post("/counties")
def add_county():
    return submit(
        lambda: registry.add_county(db_session(), g.actor, CountyInput().load_form(request.form)["name"]),
        again=lambda **kw: _counties_page(**kw),
        then=url_for("admin.counties"),
    )


def _county(county_id: int) -> m.County:
    county = db_session().get(m.County, county_id)
    if county is None:
        abort(404)
    return county


@bp.post("/counties/<int:county_id>")
def rename_county(county_id: int):
    county = _county(county_id)
    return submit(
        lambda: registry.rename_county(db_session(), g.actor, county, CountyInput().load_form(request.form)["name"]),
        again=lambda **kw: _counties_page(**kw),
        then=url_for("admin.counties"),
        prefix=f"county-{county_id}-",
    )


@bp.post("/counties/<int:county_id>/remove")
def remove_county(county_id: int):
    county = _county(county_id)
    return submit(
        lambda: registry.remove_county(db_session(), g.actor, county),
        again=lambda **kw: _counties_page(**kw),
        then=url_for("admin.counties"),
        prefix=f"county-{county_id}-",
    )


# ---------------------------------------------------------------------------------------------
# schools


def _schools_page(*, form=None, errors=None, status: int = 200):
    db = db_session()
    number = _page_number()
    return page(
        "admin/schools.html",
        status=status,
        schools=registry.search_schools(db, _q(), limit=registry.PAGE_SIZE, offset=(number - 1) * registry.PAGE_SIZE),
        total=registry.count_schools(db, _q()),
        q=_q(),
        number=number,
        size=registry.PAGE_SIZE,
        counties=registry.county_names(db),
        form=form or {},
        errors=errors or {},
    )


@bp.get("/schools")
def schools():
    return _schools_page()


@bp.post("/schools")
def create_school():
    return submit(
        lambda: registry.create_school(db_session(), g.actor, SchoolInput().load_form(request.form)),
        again=lambda **kw: _schools_page(**kw),
        then=url_for("admin.schools"),
    )


def _school(school_id: int) -> m.School:
    school = db_session().get(m.School, school_id)
    if school is None:
        abort(404)
    return school


def _school_page(school: m.School, *, form=None, errors=None, status: int = 200):
    return page(
        "admin/school.html",
        status=status,
        school=school,
        counties=registry.county_names(db_session()),
        form=form or {},
        errors=errors or {},
    )


@bp.get("/schools/<int:school_id>")
def school(school_id: int):
    return _school_page(_school(school_id))


@bp.post("/schools/<int:school_id>")
def edit_school(school_id: int):
    school = _school(school_id)
    return submit(
        lambda: registry.edit_school(db_session(), g.actor, school, SchoolInput().load_form(request.form)),
        again=lambda **kw: _school_page(school, **kw),
        then=url_for("admin.school", school_id=school.id),
    )


@bp.post("/schools/<int:school_id>/merge")
def merge_school(school_id: int):
    school = _school(school_id)

    def merge() -> None:
        data = MergeInput().load_form(request.form)
        duplicate = db_session().get(m.School, data["duplicate_id"])
        if duplicate is None:
            raise ValidationError({"duplicate_id": ["not a valid choice"]})
        registry.merge_schools(db_session(), g.actor, school, duplicate)

    return submit(
        merge,
        again=lambda **kw: _school_page(school, **kw),
        then=url_for("admin.school", school_id=school.id),
        prefix="merge-",
    )


# ---------------------------------------------------------------------------------------------
# people


def _people_page(*, form=None, errors=None, status: int = 200):
    db = db_session()
    number = _page_number()
    return page(
        "admin/people.html",
        status=status,
        people=registry.search_people(db, _q(), limit=registry.PAGE_SIZE, offset=(number - 1) * registry.PAGE_SIZE),
        total=registry.count_people(db, _q()),
        q=_q(),
        number=number,
        size=registry.PAGE_SIZE,
        form=form or {},
        errors=errors or {},
    )


@bp.get("/people")
def people():
    return _people_page()


@bp.post("/people")
def create_person():
    db = db_session()
    try:
        person = registry.create_person(db, g.actor, RegistryPersonInput().load_form(request.form))
    except ValidationError as exc:
        db.rollback()
        return _people_page(form=request.form.to_dict(), errors=form_errors(exc), status=422)
    db.commit()
    return redirect(url_for("admin.person", person_id=person.id))


def _person(person_id: int) -> m.Person:
    person = db_session().get(m.Person, person_id)
    if person is None:
        abort(404)
    return person


def _person_page(person: m.Person, *, form=None, errors=None, conflict=None, status: int = 200):
    return page(
        "admin/person.html",
        status=status,
        person=person,
        honors=g.jurisdiction.vocabulary.kinds.get("honors", {}),
        form=form or {},
        errors=errors or {},
        conflict=conflict,
        fields=registry.PERSON_FIELDS,
    )


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    return _person_page(_person(person_id))


@bp.post("/people/<int:person_id>")
def edit_person(person_id: int):
    person = _person(person_id)
    db = db_session()
    typed = request.form.to_dict()
    try:
        data = RegistryPersonInput().load_form(request.form)
        registry.edit_person(db, g.actor, person, data, data.get("version"))
    except ValidationError as exc:
        db.rollback()
        return _person_page(person, form=typed, errors=form_errors(exc), status=422)
    except registry.StaleEdit as exc:
        db.rollback()
        typed["version"] = str(exc.version)
        return _person_page(person, form=typed, conflict=exc.current, status=409)
    db.commit()
    return redirect(url_for("admin.person", person_id=person.id))


@bp.post("/people/<int:person_id>/honors")
def add_honor(person_id: int):
    person = _person(person_id)
    return submit(
        lambda: registry.add_honor(
            db_session(), g.actor, g.jurisdiction.vocabulary, person, HonorInput().load_form(request.form)
        ),
        again=lambda **kw: _person_page(person, **kw),
        then=url_for("admin.person", person_id=person.id),
        prefix="honor-",
    )


@bp.post("/people/<int:person_id>/honors/<int:honor_id>/remove")
def remove_honor(person_id: int, honor_id: int):
    person = _person(person_id)
    return submit(
        lambda: registry.remove_honor(db_session(), g.actor, person, honor_id),
        again=lambda **kw: _person_page(person, **kw),
        then=url_for("admin.person", person_id=person.id),
        prefix="honor-",
    )


@bp.post("/people/<int:person_id>/backbone")
def add_backbone(person_id: int):
    person = _person(person_id)
    return submit(
        lambda: registry.add_backbone(db_session(), g.actor, person, BackboneInput().load_form(request.form)),
        again=lambda **kw: _person_page(person, **kw),
        then=url_for("admin.person", person_id=person.id),
        prefix="backbone-",
    )


# ---------------------------------------------------------------------------------------------
# retention of withdrawn evidence


def _retention_page(*, errors=None, status: int = 200):
    from mingshi.core.services import retention
    from mingshi.web.app import today

    number = _page_number()
    size = retention.PREVIEW_PAGE
    found = retention.preview(db_session(), g.actor, today=today(), limit=size, offset=(number - 1) * size)
    return page(
        "admin/retention.html",
        status,
        preview=found,
        number=number,
        size=size,
        total=found.total,
        q=None,
        errors=errors or {},
    )


@bp.get("/retention")
def retention():
    """What a purge of withdrawn files past their retention period would delete; nothing is deleted here."""
    return _retention_page()


@bp.post("/retention")
def purge_evidence():
    """Purge what the administrator saw (``seen``) in a background job; the job refuses a changed list."""
    from mingshi.core import jobs
    from mingshi.web.app import today

    seen = (request.form.get("seen") or "").strip()
    if len(seen) != 64 or any(ch not in "0123456789abcdef" for ch in seen):
        return _retention_page(errors={"confirm": ["Look at the preview again before confirming."]}, status=422)
    db = db_session()
    job = jobs.enqueue(db, "evidence_purge", g.actor, {"seen": seen, "today": today().isoformat()})
    db.commit()
    return redirect(url_for("jobs.job", job_id=job.id), 303)
