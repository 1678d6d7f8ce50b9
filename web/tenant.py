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
    ActivityEditInput,
    ActivityInput,
    AttendanceInput,
    AwardEditInput,
    AwardInput,
    MemberEditInput,
    MemberInput,
    OutputEditInput,
    OutputInput,
    RemovalInput,
    WithdrawalInput,
)
from mingshi.core.services import workspace as ws
from mingshi.core.services.access import actor_for
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


#: studios whose quota bars the dashboard shows
DASHBOARD_STUDIOS = 8


def page_number() -> int:
    """The ``page`` of the query string (1 when absent or out of range)."""
    return max(1, min(request.args.get("page", default=1, type=int) or 1, 1_000_000))


@bp.get("/")
def dashboard():
    from mingshi.core.services import applications as apps

    db = db_session()
    actor = g.actor
    visible = None if (actor.is_admin or actor.is_reviewer) else actor.hosted | actor.joined
    period = ws.current_period(g.jurisdiction, today())
    # counted by the database over every studio, never from a page of them; studios are those active in
    # the period: an application (draft … notice, rejected) is not one
    counts = ws.count_studios(db, only=visible, active_in=period)
    everything = ws.count_studios(db, only=visible)
    in_progress = sum(everything.by_status.get(status, 0) for status in apps.APPLICATION_STATUSES)
    # the workflow steps awaiting the user come first, then the quota gaps of the studios they work on
    steps = apps.awaiting(db, actor, jurisdictions(), today=today())
    mine = actor.hosted | actor.joined
    rows = ws.list_studios(db, only=mine if mine else visible, limit=DASHBOARD_STUDIOS, today=today(), active_in=period)
    # the very period and numbers of each studio's progress tab and assessment (one number, one call),
    # read for all the cards at once
    quotas = ws.progress_many(db, jurisdictions(), [r.studio for r in rows], today())
    progress = [(r, quotas.get(r.studio.id, [])) for r in rows]
    response = page(
        "tenant/dashboard.html",
        total=counts.total,
        by_status=counts.by_status,
        by_kind=counts.by_kind,
        period=period,
        progress=progress,
        steps=steps,
        gaps=[(r, c) for r, quotas in progress for c in quotas if str(c.status) in ("unmet", "pending")],
        applications_in_progress=in_progress,
    )
    db.rollback()  # the checks above only read
    return response


@bp.get("/studios")
def studios():
    db = db_session()
    actor = g.actor
    visible = None if (actor.is_admin or actor.is_reviewer) else actor.hosted | actor.joined
    filters = {k: (request.args.get(k) or "").strip() or None for k in ("q", "kind", "county", "status")}
    number = page_number()
    size = ws.STUDIO_PAGE
    total = ws.count_studios(db, only=visible, **filters).total
    rows = ws.list_studios(db, only=visible, today=today(), limit=size, offset=(number - 1) * size, **filters)
    return page(
        "tenant/studios.html",
        rows=rows,
        filters=filters,
        counties=ws.counties(db),
        number=number,
        size=size,
        total=total,
        pager_args={k: v for k, v in filters.items() if v},
    )


# ---------------------------------------------------------------------------------------------
# one studio


def _studio_context(studio: m.Studio) -> dict[str, Any]:
    from mingshi.core.services import applications as apps

    return {
        "studio": studio,
        "can_manage": g.actor.can_manage_studio(studio.id),
        # an application, and a studio approved through the workflow, keep their 申报 tab
        "has_application": apps.was_applied_for(db_session(), studio),
    }


@bp.get("/studios/<int:studio_id>")
def studio(studio_id: int):
    # check before redirecting: a tenant's URL does not confirm that a studio exists elsewhere
    return redirect(url_for("tenant.members", studio_id=_studio(studio_id).id))


def _composition(db, studio: m.Studio):
    """The jurisdiction's composition and eligibility checks as of today, for the live panel."""
    return ws.live_checks(db, jurisdictions(), studio, today())


def _judgement_year(db) -> int:
    """The year whose annual judgements the members tab shows: ``?year=`` or the year whose annual
    period contains today (the year the progress tab and the person page show)."""
    from mingshi.core.services import judgements as jg

    asked = request.values.get("year", "")
    if asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    return jg.current_year(db, g.jurisdiction, today())


def _members_page(studio: m.Studio, *, form: dict | None = None, errors: dict | None = None, status: int = 200):
    from mingshi.core.services import judgements as jg

    db = db_session()
    year = _judgement_year(db)
    # people and schools are chosen with the searchable pickers (tenant.pick), never listed whole
    return page(
        "tenant/members.html",
        status=status,
        memberships=ws.memberships(db, studio),
        checks=_composition(db, studio),
        judgements=jg.tables(db, g.jurisdiction, g.actor, studio, year=year, on=today()),
        judgement_year=year,
        form=form or {},
        errors=errors or {},
        today=today(),
        **_studio_context(studio),
    )


@bp.get("/studios/<int:studio_id>/members")
def members(studio_id: int):
    return _members_page(_studio(studio_id))


@bp.post("/studios/<int:studio_id>/judgements")
def record_judgement(studio_id: int):
    """A per-person judgement recorded by whom the jurisdiction's policy names (403 for anyone else)."""
    from mingshi.core.schemas.workspace import JudgementInput
    from mingshi.core.services import assessments
    from mingshi.core.services import judgements as jg

    studio = _studio(studio_id)
    db = db_session()
    judgement = g.jurisdiction.terms.judgement(request.form.get("rule_id", ""))
    if judgement is None:
        abort(404)
    if not jg.may_record(g.actor, studio, judgement):
        from mingshi.core.services.access import Forbidden

        raise Forbidden("only whom the policy names records this judgement")
    prefix = f"judge-{judgement.rule}-{request.form.get('person_id', '')}-"
    try:
        data = JudgementInput().load_form(request.form)
        if not any(ms.person_id == data["person_id"] for ms in ws.memberships(db, studio)):
            raise ValidationError({"person_id": ["not a valid choice"]})
        year = data.get("year") or _judgement_year(db)
        assessments.record_attestation(
            db,
            g.actor,
            jurisdictions(),
            studio,
            rule_id=judgement.rule,
            value=data["value"] == "yes",
            period=jg.period_key(db, g.jurisdiction, judgement, year),
            comment=data.get("note"),
            person_id=data["person_id"],
        )
    except ValidationError as exc:
        db.rollback()
        errors = {f"{prefix}{k}": v for k, v in _errors(exc).items()}
        # what was typed comes back in the row's own form (its fields are named without the prefix)
        return _members_page(studio, form={"note": request.form.get("note", "")}, errors=errors, status=422)
    db.commit()
    if is_partial():
        return _members_page(studio)
    return redirect(url_for("tenant.members", studio_id=studio.id, year=request.form.get("year") or None))


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


@bp.post("/studios/<int:studio_id>/members/<int:membership_id>/reinstate")
def reinstate_member(studio_id: int, membership_id: int):
    studio = _studio(studio_id)
    membership = _membership(studio, membership_id)

    def reinstate() -> None:
        data = WithdrawalInput().load_form(request.form)
        ws.reinstate_member(db_session(), g.actor, membership, reason=data["reason"], today=today())

    return submit(
        reinstate,
        again=lambda **kw: _members_page(studio, **kw),
        then=url_for("tenant.members", studio_id=studio.id),
        prefix=f"reinstate-{membership_id}-",
    )


# -- activities -------------------------------------------------------------------------------


def _activities_page(
    studio: m.Studio,
    *,
    form=None,
    errors=None,
    status: int = 200,
    removed=None,
    restored=None,
    editing: m.Activity | None = None,
):
    db = db_session()
    everyone = ws.memberships(db, studio)
    if editing is None:
        current = [ms for ms in everyone if ms.left is None or ms.left > today()]
    else:
        # the roster of the activity's day, and whoever has a record in it (a trainee it removed too)
        recorded = {r.person_id for r in editing.attendance}
        seen: set[int] = set()
        current = []
        for ms in everyone:
            on_the_day = ms.joined <= editing.date and (ms.left is None or ms.left >= editing.date)
            if (on_the_day or ms.person_id in recorded) and ms.person_id not in seen:
                seen.add(ms.person_id)
                current.append(ms)
        if form is None:
            form = _activity_form(editing)
    listing = ws.activity_page(db, studio, after=ws.parse_cursor(request.args.get("after")))
    from mingshi.core.services import submissions

    return page(
        "tenant/activities.html",
        not_reimbursable=submissions.reimbursability(db, g.jurisdiction, [studio], today=today()),
        status=status,
        activities=listing.rows,
        activity_total=listing.total,
        activity_after=listing.after,
        first_page=not request.args.get("after"),
        current=current,
        form=form or {},
        errors=errors or {},
        removed=removed or [],
        restored=restored or [],
        editing=editing,
        today=today(),
        **_studio_context(studio),
    )


def _activity_form(activity: m.Activity) -> dict[str, Any]:
    """An activity as its correction form shows it (the same names as the form that recorded it)."""
    form: dict[str, Any] = {"version": str(activity.version)}
    for name in ws.ACTIVITY_FIELDS:
        value = getattr(activity, name)
        if value is not None:
            form[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    form["led_by"] = str(activity.leaders[0].person_id) if activity.leaders else ""
    for r in activity.attendance:
        form[f"att-{r.person_id}"] = r.status
        if r.leave_approved:
            form[f"leave-{r.person_id}"] = r.leave_approved.isoformat()
    return form


def _activity(studio: m.Studio, activity_id: int) -> m.Activity:
    activity = db_session().get(m.Activity, activity_id)
    if activity is None or activity.studio_id != studio.id:
        abort(404)
    return activity


@bp.get("/studios/<int:studio_id>/activities")
def activities(studio_id: int):
    studio = _studio(studio_id)
    editing = None
    edit = request.args.get("edit", type=int)
    if edit is not None and g.actor.can_manage_studio(studio.id):
        editing = db_session().get(m.Activity, edit)
        if editing is None or editing.studio_id != studio.id or editing.withdrawn:
            editing = None
    return _activities_page(studio, editing=editing)


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


@bp.post("/studios/<int:studio_id>/activities/<int:activity_id>/edit")
def edit_activity(studio_id: int, activity_id: int):
    studio = _studio(studio_id)
    activity = _activity(studio, activity_id)
    db = db_session()
    try:
        errors: dict[str, list[str]] = {}
        try:
            data = ActivityEditInput().load_form(request.form)
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
        _activity_row, removed, restored = ws.edit_activity(db, g.actor, jurisdictions(), activity, data, attendance)
    except ValidationError as exc:
        db.rollback()
        activity = _activity(studio, activity_id)
        typed = request.form.to_dict()
        return _activities_page(studio, form=typed, errors=_errors(exc), status=422, editing=activity)
    removed_names = [(ms.person.name, ms.removal_reason, ms.left) for ms in removed]
    restored_names = [ms.person.name for ms in restored]
    db.commit()
    if is_partial():
        return _activities_page(studio, removed=removed_names, restored=restored_names)
    return redirect(url_for("tenant.activities", studio_id=studio.id))


@bp.post("/studios/<int:studio_id>/activities/<int:activity_id>/withdraw")
def withdraw_activity(studio_id: int, activity_id: int):
    studio = _studio(studio_id)
    activity = _activity(studio, activity_id)
    db = db_session()
    try:
        data = WithdrawalInput().load_form(request.form)
        restored = ws.withdraw_activity(db, g.actor, jurisdictions(), activity, data["reason"])
    except ValidationError as exc:
        db.rollback()
        errors = {f"withdraw-{activity_id}-{k}": v for k, v in _errors(exc).items()}
        return _activities_page(studio, form=request.form.to_dict(), errors=errors, status=422)
    restored_names = [ms.person.name for ms in restored]
    db.commit()
    if is_partial():
        return _activities_page(studio, restored=restored_names)
    return redirect(url_for("tenant.activities", studio_id=studio.id))


# -- outputs and awards -----------------------------------------------------------------------


def _outputs_page(
    studio: m.Studio,
    *,
    form=None,
    errors=None,
    status: int = 200,
    editing_output: m.Output | None = None,
    editing_award: m.StudentAward | None = None,
):
    db = db_session()
    people = list({ms.person_id: ms.person for ms in ws.memberships(db, studio)}.values())
    if form is None and editing_output is not None:
        form = _record_form(editing_output, ws.OUTPUT_FIELDS, "edit-output")
        form["people"] = str(editing_output.people[0].person_id) if editing_output.people else ""
        form["published"] = "1" if editing_output.published else ""
    if form is None and editing_award is not None:
        form = _record_form(editing_award, ws.AWARD_FIELDS, "edit-award")
    return page(
        "tenant/outputs.html",
        status=status,
        outputs=ws.outputs(db, studio),
        awards=ws.awards(db, studio),
        people=people,
        form=form or {},
        errors=errors or {},
        editing_output=editing_output,
        editing_award=editing_award,
        today=today(),
        **_studio_context(studio),
    )


def _record_form(record: Any, names: tuple[str, ...], which: str) -> dict[str, Any]:
    form: dict[str, Any] = {"_form": which, "version": str(record.version)}
    for name in names:
        value = getattr(record, name)
        if value is not None and not isinstance(value, bool):
            form[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return form


def _output(studio: m.Studio, output_id: int) -> m.Output:
    output = db_session().get(m.Output, output_id)
    if output is None or output.studio_id != studio.id:
        abort(404)
    return output


def _award(studio: m.Studio, award_id: int) -> m.StudentAward:
    award = db_session().get(m.StudentAward, award_id)
    if award is None or award.studio_id != studio.id:
        abort(404)
    return award


@bp.get("/studios/<int:studio_id>/outputs")
def outputs(studio_id: int):
    studio = _studio(studio_id)
    db = db_session()
    editing: dict[str, Any] = {}
    if g.actor.can_manage_studio(studio.id):
        for arg, model, key in (
            ("edit_output", m.Output, "editing_output"),
            ("edit_award", m.StudentAward, "editing_award"),
        ):
            record_id = request.args.get(arg, type=int)
            record = db.get(model, record_id) if record_id is not None else None
            if record is not None and record.studio_id == studio.id and not record.withdrawn:
                editing[key] = record
    return _outputs_page(studio, **editing)


@bp.post("/studios/<int:studio_id>/outputs/<int:output_id>/edit")
def edit_output(studio_id: int, output_id: int):
    studio = _studio(studio_id)
    output = _output(studio, output_id)
    return submit(
        lambda: ws.edit_output(
            db_session(), g.actor, jurisdictions(), output, OutputEditInput().load_form(request.form)
        ),
        again=lambda **kw: _outputs_page(studio, editing_output=_output(studio, output_id) if kw else None, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        prefix="edit-output-",
        form_extra={"_form": "edit-output"},
    )


@bp.post("/studios/<int:studio_id>/outputs/<int:output_id>/withdraw")
def withdraw_output(studio_id: int, output_id: int):
    studio = _studio(studio_id)
    output = _output(studio, output_id)
    return submit(
        lambda: ws.withdraw_output(db_session(), g.actor, output, WithdrawalInput().load_form(request.form)["reason"]),
        again=lambda **kw: _outputs_page(studio, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        prefix=f"withdraw-output-{output_id}-",
    )


@bp.post("/studios/<int:studio_id>/awards/<int:award_id>/edit")
def edit_award(studio_id: int, award_id: int):
    studio = _studio(studio_id)
    award = _award(studio, award_id)
    return submit(
        lambda: ws.edit_award(db_session(), g.actor, jurisdictions(), award, AwardEditInput().load_form(request.form)),
        again=lambda **kw: _outputs_page(studio, editing_award=_award(studio, award_id) if kw else None, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        prefix="edit-award-",
        form_extra={"_form": "edit-award"},
    )


@bp.post("/studios/<int:studio_id>/awards/<int:award_id>/withdraw")
def withdraw_award(studio_id: int, award_id: int):
    studio = _studio(studio_id)
    award = _award(studio, award_id)
    return submit(
        lambda: ws.withdraw_award(db_session(), g.actor, award, WithdrawalInput().load_form(request.form)["reason"]),
        again=lambda **kw: _outputs_page(studio, **kw),
        then=url_for("tenant.outputs", studio_id=studio.id),
        prefix=f"withdraw-award-{award_id}-",
    )


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
    spec, period = ws.progress_spec_period(db_session(), jurisdictions(), studio, today(), year)
    quotas = ws.quota_progress(db_session(), jurisdictions(), studio, period, spec)
    scope = ws.assessment_scope(db_session(), jurisdictions(), studio, spec)
    response = page("tenant/progress.html", quotas=quotas, period=period, scope=scope, **_studio_context(studio))
    db_session().rollback()  # the assessment it reads only reads
    return response


# ---------------------------------------------------------------------------------------------
# a person's own page


#: the rows of a person's attendance and outputs shown (the newest; the studio's tabs have the rest)
PERSON_ROWS = 200


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    """A person's page, in a constant number of statements: the rows it shows are read as columns
    (nothing to reload), the studios with the memberships, and the individual progress of all the
    person's studios evaluated together (:func:`evaluate_many`, one batch per assessed period)."""
    from sqlalchemy.orm import joinedload, selectinload

    from mingshi.core.services.evaluation import evaluate_many

    db = db_session()
    person = db.scalar(select(m.Person).options(joinedload(m.Person.school)).where(m.Person.id == person_id))
    if person is None:
        abort(404)
    memberships = list(
        db.scalars(
            select(m.Membership)
            .options(selectinload(m.Membership.studio))
            .where(m.Membership.person_id == person.id)
            .order_by(m.Membership.joined, m.Membership.id)
        )
    )
    studio_ids = {ms.studio_id for ms in memberships}
    if not g.actor.can_view_person(person.id, studio_ids):
        if not g.actor.can_view_profile(person.id, studio_ids):
            abort(404)
        # a colleague's public profile: who they are and the studios in common, nothing more
        shared = [ms for ms in memberships if g.actor.can_view_studio(ms.studio_id)]
        return page("tenant/person.html", person=person, memberships=shared, public=True)
    attended = db.execute(
        select(m.Activity.date, m.Activity.title, m.Attendance.status)
        .join(m.Attendance, m.Attendance.activity_id == m.Activity.id)
        .where(m.Attendance.person_id == person.id, m.Activity.withdrawn_at.is_(None))
        .order_by(m.Activity.date.desc(), m.Activity.id.desc())
        .limit(PERSON_ROWS)
    ).all()
    authored = db.execute(
        select(m.Output.date, m.Output.title, m.Output.type)
        .join(m.OutputPerson, m.OutputPerson.output_id == m.Output.id)
        .where(m.OutputPerson.person_id == person.id, m.Output.withdrawn_at.is_(None))
        .order_by(m.Output.date.desc(), m.Output.id.desc())
        .limit(PERSON_ROWS)
    ).all()
    # the assessed year that contains today (a school year for Wushen), as the progress tab shows it
    by_spec: dict[Any, list[int]] = {}
    for ms in memberships:
        if ms.studio.cycle_start is not None:
            spec, _period = ws.progress_spec_period(db, jurisdictions(), ms.studio, today())
            by_spec.setdefault(spec, []).append(ms.studio_id)
    outcomes = {}
    for spec, ids in by_spec.items():
        studios = select(m.Studio).where(m.Studio.id.in_(ids))
        for outcome in evaluate_many(db, jurisdictions(), studios, spec):
            outcomes[outcome.studio.id] = outcome
    key = person.ref or str(person.id)
    individual = []
    for ms in memberships:
        outcome = outcomes.get(ms.studio_id)
        if outcome is None:
            continue
        mine = [r for r in outcome.members if r.person == key]
        individual.append((ms.studio, ms, outcome, mine[0] if mine else None))
    from mingshi.core.services import judgements as jg

    judged = jg.of_person(db, g.jurisdiction, person)
    from mingshi.core.services import credits as cr

    recognized = cr.confirmed_of_person(db, person) if g.jurisdiction.recognizes_credits else []
    result = page(
        "tenant/person.html",
        person=person,
        judged=judged,
        recognized=recognized,
        credits_text=cr.credits_text,
        memberships=memberships,
        attended=attended,
        authored=authored,
        individual=individual,
    )
    db.rollback()  # the evaluations above only read
    return result


@bp.app_template_global()
def my_page_url() -> str | None:
    """The signed-in user's own person page ("my page" in the top bar), if they have a person record."""
    if not current_user.is_authenticated or current_user.person_id is None or current_user.tenant_id is None:
        return None
    tenant = getattr(g, "tenant", None)
    if tenant is None or tenant.id != current_user.tenant_id:
        tenant = db_session().get(m.Tenant, current_user.tenant_id)
    return url_for("tenant.person", tenant=tenant.code, person_id=current_user.person_id)


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
    # keyset cursors: ``before`` (an older page) or ``after`` (a newer one); anything else: the newest
    cursors = {}
    for name in ("before", "after"):
        value = request.args.get(name, type=int)
        if value is not None and 0 < value < 2**63:
            cursors[name] = value
    lines, older, newer = audit_text.page_of(
        db_session(),
        g.actor,
        g.tenant.id,
        **cursors,
        size=AUDIT_PAGE_SIZE,
        vocabulary=g.jurisdiction.vocabulary,
        translator=messages,
        rules=g.jurisdiction.rules,
    )
    return page("tenant/audit.html", lines=lines, older=older, newer=newer)


# ---------------------------------------------------------------------------------------------
# pickers: server-side searches answering a bounded list (a tenant may have 50,000 people)


@bp.get("/pick/<kind>")
def pick(kind: str):
    from mingshi.core.services import registry

    actor = g.actor
    if kind not in ("people", "schools", "studios"):
        abort(404)
    if not (actor.is_admin or actor.is_reviewer or actor.hosted):
        abort(403)
    field = request.args.get("field") or {"people": "person_id", "schools": "school_id", "studios": "studio_id"}[kind]
    if field not in ("person_id", "school_id", "duplicate_id", "host_person_id", "studio_id"):
        abort(400)
    q = (request.args.get(f"{field}__q") or request.args.get("q") or "").strip()
    db = db_session()
    if kind == "studios":
        if not actor.is_admin:
            abort(403)
        rows = registry.search_studios(db, q)
    else:
        rows = registry.search_people(db, q) if kind == "people" else registry.search_schools(db, q)
    return page("tenant/pick.html", kind=kind, field=field, rows=rows, q=q, limit=registry.PICK_LIMIT)
