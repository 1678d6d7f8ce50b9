"""A tenant's workspace under ``/<tenant>/``: dashboard, studios, members, activities, outputs, progress.

Views are thin: load, check access (the services check again), render. The tenant comes from the
URL; a signed-in user of another tenant, or central staff, gets 404 — a tenant's URLs do not
even confirm that a record exists elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.schemas.workspace import (
    ActivityInput,
    AttendanceInput,
    AwardInput,
    MemberEditInput,
    MemberInput,
    OutputInput,
    RemovalInput,
)
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import actor_for
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.tenancy import bind_tenant
from mingshi.web.app import db_session, jurisdictions, login_manager, today
from mingshi.web.forms import submit
from mingshi.web.render import form_errors, is_partial, page

bp = Blueprint("tenant", __name__, url_prefix="/<tenant>")


@bp.url_value_preprocessor
def _pull_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.tenant_code = (values or {}).pop("tenant", None)


@bp.url_defaults
def _add_tenant(endpoint: str, values: dict[str, Any]) -> None:
    if "tenant" not in values and getattr(g, "tenant", None) is not None:
        values["tenant"] = g.tenant.code


@bp.before_request
def _load_tenant():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    db = db_session()
    tenant = db.scalar(select(m.Tenant).where(m.Tenant.code == g.tenant_code))
    if tenant is None or current_user.tenant_id != tenant.id:
        abort(404)
    bind_tenant(db, tenant.id)
    g.tenant = tenant
    if tenant.jurisdiction not in jurisdictions():
        # installed jurisdictions are enabled per deployment (MINGSHI_JURISDICTIONS): say so, never a 500
        return render_template("errors/error.html", code=503, reason="jurisdiction", tenant=tenant), 503
    g.jurisdiction = jurisdictions().get(tenant.jurisdiction)
    g.actor = actor_for(db, current_user, today=today())
    if not g.actor.can_view_tenant(tenant.id):
        abort(404)
    return None


def _studio(studio_id: int) -> m.Studio:
    studio = db_session().get(m.Studio, studio_id)
    if studio is None or not g.actor.can_view_studio(studio.id):
        abort(404)
    return studio


def _errors(exc: ValidationError) -> dict[str, list[Any]]:
    return form_errors(exc)


# ---------------------------------------------------------------------------------------------
# dashboard and studio list


@bp.get("/")
def dashboard():
    db = db_session()
    actor = g.actor
    visible = None if (actor.is_admin or actor.is_reviewer) else actor.hosted | actor.joined
    rows = ws.list_studios(db, only=visible, today=today())
    by_status: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for row in rows:
        by_status[row.studio.status] = by_status.get(row.studio.status, 0) + 1
        by_kind[row.studio.kind] = by_kind.get(row.studio.kind, 0) + 1
    period = ws.current_period(g.jurisdiction, today())
    # quota completion for the studios the user works on (a bounded number: one page)
    mine = [r for r in rows if r.studio.id in (actor.hosted | actor.joined)] or rows[:8]
    progress = [(r, ws.quota_progress(db, jurisdictions(), r.studio, period)) for r in mine[:8]]
    return page(
        "tenant/dashboard.html",
        rows=rows,
        by_status=by_status,
        by_kind=by_kind,
        period=period,
        progress=progress,
    )


@bp.get("/studios")
def studios():
    db = db_session()
    actor = g.actor
    visible = None if (actor.is_admin or actor.is_reviewer) else actor.hosted | actor.joined
    filters = {k: (request.args.get(k) or "").strip() or None for k in ("q", "kind", "county", "status")}
    rows = ws.list_studios(db, only=visible, today=today(), **filters)
    return page("tenant/studios.html", rows=rows, filters=filters, counties=ws.counties(db))


# ---------------------------------------------------------------------------------------------
# one studio


def _studio_context(studio: m.Studio) -> dict[str, Any]:
    return {"studio": studio, "can_manage": g.actor.can_manage_studio(studio.id)}


@bp.get("/studios/<int:studio_id>")
def studio(studio_id: int):
    # check before redirecting: a tenant's URL does not confirm that a studio exists elsewhere
    return redirect(url_for("tenant.members", studio_id=_studio(studio_id).id))


def _composition(db, studio: m.Studio):
    """The jurisdiction's composition and eligibility checks as of today, for the live panel."""
    outcome = evaluate(db, jurisdictions(), studio, EvaluationSpec("application", date=today()), apply_removals=False)
    rules = g.jurisdiction.rules
    return [c for c in outcome.evaluation.criteria if rules[c.id].kind in ("composition", "application")]


def _members_page(studio: m.Studio, *, form: dict | None = None, errors: dict | None = None, status: int = 200):
    db = db_session()
    # people and schools are chosen with the searchable pickers (tenant.pick), never listed whole
    return page(
        "tenant/members.html",
        status=status,
        memberships=ws.memberships(db, studio),
        checks=_composition(db, studio),
        form=form or {},
        errors=errors or {},
        today=today(),
        **_studio_context(studio),
    )


@bp.get("/studios/<int:studio_id>/members")
def members(studio_id: int):
    return _members_page(_studio(studio_id))


def _membership(studio: m.Studio, membership_id: int) -> m.Membership:
    membership = db_session().get(m.Membership, membership_id)
    if membership is None or membership.studio_id != studio.id:
        abort(404)
    return membership


@bp.post("/studios/<int:studio_id>/members")
def add_member(studio_id: int):
    studio = _studio(studio_id)
    return submit(
        lambda: ws.add_member(db_session(), g.actor, jurisdictions(), studio, MemberInput().load_form(request.form)),
        again=lambda **kw: _members_page(studio, **kw),
        then=url_for("tenant.members", studio_id=studio.id),
    )


@bp.post("/studios/<int:studio_id>/members/<int:membership_id>/edit")
def edit_member(studio_id: int, membership_id: int):
    studio = _studio(studio_id)
    membership = _membership(studio, membership_id)
    return submit(
        lambda: ws.edit_member(
            db_session(), g.actor, jurisdictions(), membership, MemberEditInput().load_form(request.form)
        ),
        again=lambda **kw: _members_page(studio, **kw),
        then=url_for("tenant.members", studio_id=studio.id),
        prefix=f"edit-{membership_id}-",
    )


@bp.post("/studios/<int:studio_id>/members/<int:membership_id>/remove")
def remove_member(studio_id: int, membership_id: int):
    studio = _studio(studio_id)
    membership = _membership(studio, membership_id)

    def remove() -> None:
        data = RemovalInput().load_form(request.form)
        ws.remove_member(db_session(), g.actor, membership, date=data["date"], reason=data["reason"])

    return submit(
        remove,
        again=lambda **kw: _members_page(studio, **kw),
        then=url_for("tenant.members", studio_id=studio.id),
        prefix=f"remove-{membership_id}-",
    )


# -- activities -------------------------------------------------------------------------------


def _activities_page(studio: m.Studio, *, form=None, errors=None, status: int = 200, removed=None):
    db = db_session()
    current = [ms for ms in ws.memberships(db, studio) if ms.left is None or ms.left > today()]
    return page(
        "tenant/activities.html",
        status=status,
        activities=ws.activities(db, studio),
        current=current,
        schools=list(db.scalars(select(m.School).order_by(m.School.name))),
        form=form or {},
        errors=errors or {},
        removed=removed or [],
        today=today(),
        **_studio_context(studio),
    )


@bp.get("/studios/<int:studio_id>/activities")
def activities(studio_id: int):
    return _activities_page(_studio(studio_id))


def _attendance_rows(form) -> list[dict[str, Any]]:
    rows = []
    errors: dict[str, list[str]] = {}
    for key in form:
        if not key.startswith("att-"):
            continue
        person_id = key.removeprefix("att-")
        status = form.get(key)
        if not status:
            continue
        raw = {"person_id": person_id, "status": status}
        leave = form.get(f"leave-{person_id}")
        if leave:
            raw["leave_approved"] = leave
        try:
            rows.append(AttendanceInput().load(raw))
        except ValidationError as exc:
            errors.setdefault("attendance", []).extend(
                f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in exc.messages.items()
            )
    if errors:
        raise ValidationError(errors)
    return rows


@bp.post("/studios/<int:studio_id>/activities")
def record_activity(studio_id: int):
    studio = _studio(studio_id)
    db = db_session()
    try:
        errors: dict[str, list[str]] = {}
        try:
            data = ActivityInput().load_form(request.form)
        except ValidationError as exc:
            errors.update(_errors(exc))
            data = None
        try:
            attendance = _attendance_rows(request.form)
        except ValidationError as exc:
            errors.update(_errors(exc))
            attendance = []
        if errors or data is None:
            raise ValidationError(errors)
        _activity, removed = ws.record_activity(db, g.actor, jurisdictions(), studio, data, attendance)
    except ValidationError as exc:
        db.rollback()
        return _activities_page(studio, form=request.form.to_dict(), errors=_errors(exc), status=422)
    removed_names = [(ms.person.name, ms.removal_reason, ms.left) for ms in removed]
    db.commit()
    if is_partial():
        return _activities_page(studio, removed=removed_names)
    return redirect(url_for("tenant.activities", studio_id=studio.id))


# -- outputs and awards -----------------------------------------------------------------------


def _outputs_page(studio: m.Studio, *, form=None, errors=None, status: int = 200):
    db = db_session()
    people = [ms.person for ms in ws.memberships(db, studio)]
    return page(
        "tenant/outputs.html",
        status=status,
        outputs=ws.outputs(db, studio),
        awards=ws.awards(db, studio),
        people=people,
        schools=list(db.scalars(select(m.School).order_by(m.School.name))),
        form=form or {},
        errors=errors or {},
        today=today(),
        **_studio_context(studio),
    )


@bp.get("/studios/<int:studio_id>/outputs")
def outputs(studio_id: int):
    return _outputs_page(_studio(studio_id))


@bp.post("/studios/<int:studio_id>/outputs")
def add_output(studio_id: int):
    studio = _studio(studio_id)
    return submit(
        lambda: ws.add_output(db_session(), g.actor, jurisdictions(), studio, OutputInput().load_form(request.form)),
        again=lambda **kw: _outputs_page(studio, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        form_extra={"_form": "output"},
    )


@bp.post("/studios/<int:studio_id>/awards")
def add_award(studio_id: int):
    studio = _studio(studio_id)
    return submit(
        lambda: ws.add_award(db_session(), g.actor, jurisdictions(), studio, AwardInput().load_form(request.form)),
        again=lambda **kw: _outputs_page(studio, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        prefix="award-",
        form_extra={"_form": "award"},
    )


# -- progress ---------------------------------------------------------------------------------


@bp.get("/studios/<int:studio_id>/progress")
def progress(studio_id: int):
    studio = _studio(studio_id)
    year = request.args.get("year", type=int)
    if not (year and 1990 <= year <= 2200):
        year = None
    # the very period the assessment page covers for the same year (one number, one call)
    _spec, period = ws.progress_spec_period(db_session(), jurisdictions(), studio, today(), year)
    quotas = ws.quota_progress(db_session(), jurisdictions(), studio, period)
    return page("tenant/progress.html", quotas=quotas, period=period, **_studio_context(studio))


# ---------------------------------------------------------------------------------------------
# a person's own page


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    db = db_session()
    person = db.get(m.Person, person_id)
    if person is None:
        abort(404)
    memberships = list(db.scalars(select(m.Membership).where(m.Membership.person_id == person.id)))
    studio_ids = {ms.studio_id for ms in memberships}
    if not g.actor.can_view_person(person.id, studio_ids):
        abort(404)
    attended = db.execute(
        select(m.Activity, m.Attendance.status)
        .join(m.Attendance, m.Attendance.activity_id == m.Activity.id)
        .where(m.Attendance.person_id == person.id)
        .order_by(m.Activity.date.desc())
        .limit(200)
    ).all()
    authored = list(
        db.scalars(
            select(m.Output)
            .join(m.OutputPerson, m.OutputPerson.output_id == m.Output.id)
            .where(m.OutputPerson.person_id == person.id)
            .order_by(m.Output.date.desc())
        )
    )
    individual = []
    for ms in memberships:
        studio = db.get(m.Studio, ms.studio_id)
        if studio.cycle_start is None:
            continue
        # the assessed year that contains today (a school year for Wushen), as the progress tab shows it
        spec, _period = ws.progress_spec_period(db, jurisdictions(), studio, today())
        outcome = evaluate(db, jurisdictions(), studio, spec, apply_removals=False)
        key = person.ref or str(person.id)
        mine = [r for r in outcome.members if r.person == key]
        individual.append((studio, ms, outcome, mine[0] if mine else None))
    db.rollback()  # the evaluations above only read
    return page(
        "tenant/person.html",
        person=person,
        memberships=memberships,
        attended=attended,
        authored=authored,
        individual=individual,
    )


@bp.app_template_global()
def today_iso() -> str:
    return dt.date.today().isoformat()


# ---------------------------------------------------------------------------------------------
# a studio's basic record, with optimistic locking (the form carries the version it was loaded with)


def _studio_edit_page(studio: m.Studio, *, form=None, errors=None, conflict=None, status: int = 200):
    from mingshi.core.services import studios as st

    return page(
        "tenant/studio_edit.html",
        status=status,
        editable=st.editable_fields(g.actor, studio),
        form=form or {},
        errors=errors or {},
        conflict=conflict,
        **_studio_context(studio),
    )


@bp.route("/studios/<int:studio_id>/edit", methods=["GET", "POST"])
def edit_studio(studio_id: int):
    from mingshi.core.schemas.studio import StudioEditInput
    from mingshi.core.services import studios as st
    from mingshi.core.services.access import Forbidden

    studio = _studio(studio_id)
    if not st.editable_fields(g.actor, studio):
        raise Forbidden("only the studio's host or the city administrator may change this studio")
    if request.method == "GET":
        return _studio_edit_page(studio)
    db = db_session()
    typed = request.form.to_dict()
    try:
        data = StudioEditInput().load_form(request.form)
        st.edit_studio(db, g.actor, studio, data, data["version"])
    except ValidationError as exc:
        db.rollback()
        return _studio_edit_page(studio, form=typed, errors=_errors(exc), status=422)
    except st.StaleEdit as exc:
        db.rollback()
        # the form comes back with the current version and what the user typed: saving again is a choice
        typed["version"] = str(exc.version)
        return _studio_edit_page(studio, form=typed, conflict=exc.current, status=409)
    db.commit()
    return redirect(url_for("tenant.members", studio_id=studio.id))


# ---------------------------------------------------------------------------------------------
# the audit log, in plain language, for the city administrator

AUDIT_PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    from pathlib import Path

    from mingshi.core.i18n import Translator
    from mingshi.core.services import audit_text

    # the core's sentences are translated with the web's catalog (they are listed in web/messages.py)
    messages = Translator("mingshi_web", Path(__file__).parent / "translations")
    number = max(1, min(request.args.get("page", default=1, type=int) or 1, 100_000))
    lines, more = audit_text.page_of(
        db_session(),
        g.actor,
        g.tenant.id,
        page=number,
        size=AUDIT_PAGE_SIZE,
        vocabulary=g.jurisdiction.vocabulary,
        translator=messages,
        rules=g.jurisdiction.rules,
    )
    return page("tenant/audit.html", lines=lines, number=number, more=more)


# ---------------------------------------------------------------------------------------------
# pickers: server-side searches answering a bounded list (a tenant may have 50,000 people)


@bp.get("/pick/<kind>")
def pick(kind: str):
    from mingshi.core.services import registry

    actor = g.actor
    if kind not in ("people", "schools"):
        abort(404)
    if not (actor.is_admin or actor.is_reviewer or actor.hosted):
        abort(403)
    field = request.args.get("field") or ("person_id" if kind == "people" else "school_id")
    if field not in ("person_id", "school_id", "duplicate_id", "host_person_id"):
        abort(400)
    q = (request.args.get(f"{field}__q") or request.args.get("q") or "").strip()
    db = db_session()
    rows = registry.search_people(db, q) if kind == "people" else registry.search_schools(db, q)
    return page("tenant/pick.html", kind=kind, field=field, rows=rows, q=q, limit=registry.PICK_LIMIT)
