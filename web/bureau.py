"""The bureau's workflows under ``/<tenant>/``: applications to 挂牌, assessments with judgements,
funds, parameters and spreadsheets. Views load, check access, call a core service, render."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core import spreadsheets
from mingshi.core.i18n import Text
from mingshi.core.schemas.bureau import (
    AllocationInput,
    ApplicationInput,
    AssessmentInput,
    AttestationInput,
    ConfirmInput,
    ExpenseInput,
    ParameterInput,
    PreviewInput,
    ReversalInput,
    StepInput,
    WithdrawalInput,
)
from mingshi.core.services import allocations, assessments, funds, proof
from mingshi.core.services import applications as apps
from mingshi.core.services import evidence as ev
from mingshi.core.services import parameters as params_service
from mingshi.core.services.access import Forbidden
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session, jurisdictions, today
from mingshi.web.filters import day_text, locale_code, studio_status_text
from mingshi.web.forms import submit
from mingshi.web.render import form_errors, is_partial, page

bp = Blueprint("bureau", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)

_studio = tenant_views._studio
_studio_context = tenant_views._studio_context


def _visible() -> set[int] | None:
    actor = g.actor
    return None if (actor.is_admin or actor.is_reviewer) else set(actor.hosted | actor.joined)


# ---------------------------------------------------------------------------------------------
# applications


def _state() -> str | None:
    state = request.args.get("state") or None
    return state if state in apps.APPLICATION_STATES else None


def _application_list() -> dict[str, Any]:
    """A page of the applications, filtered by state (people and schools are chosen with the
    server-side pickers)."""
    db = db_session()
    number, size = tenant_views.page_number(), apps.APPLICATION_PAGE
    state = _state()
    return {
        "today_year": today().year,
        "rows": apps.applications(db, _visible(), state, limit=size, offset=(number - 1) * size),
        "number": number,
        "size": size,
        "total": apps.count_applications(db, _visible(), state),
        "state": state,
        "states": apps.APPLICATION_STATES,
    }


@bp.get("/applications")
def applications():
    return page("bureau/applications.html", awaits=apps.AWAITS, form={}, errors={}, **_application_list())


@bp.post("/applications")
def create_application():
    db = db_session()
    try:
        data = ApplicationInput().load_form(request.form)
        studio = apps.create(db, g.actor, jurisdictions(), data, today=today())
    except ValidationError as exc:
        db.rollback()
        return page(
            "bureau/applications.html",
            status=422,
            awaits=apps.AWAITS,
            form=request.form.to_dict(),
            errors=form_errors(exc),
            **_application_list(),
        )
    db.commit()
    return redirect(url_for("bureau.application", studio_id=studio.id))


def _in_language(result: dict[str, Any], locale: str) -> dict[str, Any]:
    """A stored result as the reader's language has it (stored in the tenant's language and in English)."""
    return (result.get("en") or result) if locale.startswith("en") else result


def _application_page(studio: m.Studio, *, form=None, errors=None, status: int = 200):
    db = db_session()
    stored = None
    if studio.status in (*apps.APPLICATION_STATUSES, "rejected"):
        outcome = apps.eligibility(db, jurisdictions(), studio, today())
    else:
        # approved (挂牌): the check as it stood that day, stored, never recomputed as of today
        outcome = None
        stored = apps.approved_eligibility(db, studio)
    locale = str(get_locale() or g.tenant.locale)
    members = {ms.person.ref or str(ms.person_id): ms.person for ms in studio.memberships}
    result = page(
        "bureau/application.html",
        status=status,
        outcome=outcome,
        stored=stored,
        stored_on=dt.date.fromisoformat(stored.result["period"]["end"]) if stored else None,
        stored_result=_in_language(stored.result, locale) if stored else None,
        history=apps.history(db, studio),
        steps=apps.allowed_steps(g.actor, studio),
        notice_until=apps.notice_until(db, studio),
        attestations=assessments.attestations_of(db, studio),
        members_by_key=members,
        can_edit=studio.status == "draft" and (g.actor.is_admin or studio.id in g.actor.hosted),
        can_attest=g.actor.is_admin or g.actor.is_reviewer,
        form=form or {},
        errors=errors or {},
        today=today(),
        **_studio_context(studio),
    )
    db.rollback()  # the eligibility check only reads
    return result


@bp.get("/applications/<int:studio_id>")
def application(studio_id: int):
    return _application_page(_studio(studio_id))


@bp.post("/applications/<int:studio_id>")
def update_application(studio_id: int):
    studio = _studio(studio_id)

    def update() -> None:
        data = ApplicationInput(partial=("name", "kind")).load_form(request.form)
        changes = {k: v for k, v in data.items() if k not in ("kind", "host_person_id")}
        apps.update_draft(db_session(), g.actor, jurisdictions(), studio, changes)

    return submit(
        update,
        again=lambda **kw: _application_page(studio, **kw),
        then=url_for("bureau.application", studio_id=studio.id),
    )


@bp.post("/applications/<int:studio_id>/steps/<step>")
def application_step(studio_id: int, step: str):
    studio = _studio(studio_id)

    def take() -> None:
        data = StepInput().load_form(request.form)
        apps.take(db_session(), g.actor, jurisdictions(), studio, step, today=today(), reason=data.get("reason"))

    return submit(
        take,
        again=lambda **kw: _application_page(studio, **kw),
        then=url_for("bureau.application", studio_id=studio.id),
    )


@bp.post("/studios/<int:studio_id>/attestations")
def attest(studio_id: int):
    studio = _studio(studio_id)
    db = db_session()
    back = request.form.get("back") or "application"
    try:
        data = AttestationInput().load_form(request.form)
        assessments.record_attestation(
            db,
            g.actor,
            jurisdictions(),
            studio,
            rule_id=data["rule_id"],
            value=data["value"] == "yes",
            period=data.get("period"),
            comment=data.get("comment"),
            person_id=data.get("person_id"),
        )
    except ValidationError as exc:
        db.rollback()
        errors = {f"attest-{request.form.get('rule_id', '')}": [m for v in form_errors(exc).values() for m in v]}
        if back == "assessment":
            return _assessment_page(studio, _assessment_spec(), errors=errors, status=422)
        return _application_page(studio, errors=errors, status=422)
    db.commit()
    if back == "assessment":
        if is_partial():
            return _assessment_page(studio, _assessment_spec())
        return redirect(url_for("bureau.assessment", studio_id=studio.id, **request.args))
    if is_partial():
        return _application_page(studio)
    return redirect(url_for("bureau.application", studio_id=studio.id))


# ---------------------------------------------------------------------------------------------
# assessments


def _default_year() -> int:
    return today().year - 1 if today().month < 12 else today().year


def _assessment_spec():
    kind = request.values.get("kind") or ("annual" if "annual" in g.jurisdiction.info.evaluations else "cycle")
    if kind not in ("annual", "cycle") or kind not in g.jurisdiction.info.evaluations:
        abort(404)
    year = request.values.get("year", type=int) or _default_year()
    if not 1990 <= year <= 2200:
        abort(404)
    return assessments.spec_for(kind, year)


def _last_assessment_jobs(db, spec) -> list[Any]:
    """The latest proposal and confirmation jobs of this assessment, linked (their results are kept;
    read here without them)."""
    found = []
    for kind in ("assessment_proposal", "assessment_confirm"):
        rows = db.execute(
            select(m.Job.id, m.Job.kind, m.Job.state, m.Job.params, m.Job.created_at)
            .where(m.Job.kind == kind)
            .order_by(m.Job.id.desc())
            .limit(20)
        ).all()
        job = next(
            (
                j
                for j in rows
                if (j.params or {}).get("kind") == spec.kind and (j.params or {}).get("year") == spec.year
            ),
            None,
        )
        if job is not None:
            found.append(job)
    return found


def _assessment_list_page(spec, *, errors=None, status: int = 200):
    db = db_session()
    number = tenant_views.page_number()
    size = assessments.TABLE_PAGE
    rows = assessments.table(db, spec.kind, spec.period_key, limit=size, offset=(number - 1) * size)
    context: dict[str, Any] = {
        "number": number,
        "size": size,
        "total": assessments.table_count(db),
        "pager_args": {"kind": spec.kind, "year": spec.year} if spec.year else {"kind": spec.kind},
        "last_jobs": _last_assessment_jobs(db, spec) if g.actor.is_admin else [],
    }
    result = page(
        "bureau/assessments.html",
        status=status,
        rows=rows,
        spec=spec,
        errors=errors or {},
        year=spec.year or _default_year(),
        today=today(),
        **context,
    )
    return result


@bp.get("/assessments")
def assessment_list():
    if not (g.actor.is_admin or g.actor.is_reviewer):
        raise Forbidden("only the administrator and reviewers see every assessment")
    return _assessment_list_page(_assessment_spec())


def _job_redirect(job: m.Job):
    url = url_for("jobs.job", job_id=job.id)
    response = redirect(url, 303)
    if is_partial():
        response.headers["HX-Redirect"] = url
    return response


@bp.post("/assessments/proposal")
def assessment_proposal():
    """What assessing every studio would store and change, computed by a background job (nothing
    is stored); the job's page shows its progress, then the proposal to confirm."""
    from mingshi.core import jobs

    if not g.actor.is_admin:
        raise Forbidden("only the city administrator assesses the studios")
    spec = _assessment_spec()
    db = db_session()
    job = jobs.enqueue(
        db, "assessment_proposal", g.actor, {"kind": spec.kind, "year": spec.year, "today": today().isoformat()}
    )
    db.commit()
    return _job_redirect(job)


@bp.post("/assessments")
def assessment_run_all():
    """Store the proposal the administrator saw (``seen``), as a background job: refused by the job
    (nothing stored) when the data changed since the proposal."""
    from mingshi.core import jobs

    if not g.actor.is_admin:
        raise Forbidden("only the city administrator assesses the studios")
    db = db_session()
    try:
        data = AssessmentInput().load_form(request.form)
        spec = assessments.spec_for(data["kind"], data.get("year"))
    except ValidationError as exc:
        return _assessment_list_page(_assessment_spec(), errors=form_errors(exc), status=422)
    job = jobs.enqueue(
        db,
        "assessment_confirm",
        g.actor,
        {"kind": spec.kind, "year": spec.year, "seen": data["seen"], "today": today().isoformat()},
    )
    db.commit()
    return _job_redirect(job)


def _assessment_page(studio: m.Studio, spec, *, errors=None, status: int = 200, form=None):
    db = db_session()
    if studio.cycle_start is None:
        abort(404)
    # looking changes nothing: the page is the proposal; storing it is a confirmation of what it shows
    proposal = assessments.propose(db, jurisdictions(), studio, spec, today=today())
    outcome = proposal.outcome
    current = outcome.to_json(g.tenant.locale)
    result = page(
        "bureau/assessment.html",
        status=status,
        outcome=outcome,
        proposal=proposal,
        seen=assessments.fingerprint([proposal]),
        result=current,
        previous=proposal.previous,
        records=assessments.history(db, studio, spec),
        changes=proposal.changes,
        attestations=assessments.attestations_of(db, studio),
        can_attest=g.actor.is_admin or g.actor.is_reviewer,
        spec=spec,
        errors=errors or {},
        form=form or {},
        today=today(),
        **_studio_context(studio),
    )
    db.rollback()
    return result


@bp.get("/studios/<int:studio_id>/assessment")
def assessment(studio_id: int):
    return _assessment_page(_studio(studio_id), _assessment_spec())


@bp.get("/studios/<int:studio_id>/assessment/proof")
def criterion_proof(studio_id: int):
    """查看原始材料: the records a criterion (``rule``, and ``period`` when split) of this assessment counted,
    each with its files, a page at a time; without ``rule``, the first criterion that counted any."""
    studio = _studio(studio_id)
    if studio.cycle_start is None:
        abort(404)
    spec = _assessment_spec()
    db = db_session()
    outcome = assessments.run(db, jurisdictions(), studio, spec)
    with_records = proof.criteria_with_records(outcome.evaluation)
    rule_id = request.args.get("rule") or None
    if rule_id is None:
        criterion = with_records[0] if with_records else None
    else:
        criterion = proof.find_criterion(
            outcome.evaluation, rule_id, request.args.get("period") or None, request.args.get("person") or None
        )
        if criterion is None:
            abort(404)
    number, size = tenant_views.page_number(), proof.PROOF_PAGE
    try:
        found = proof.counted_records(
            db, g.actor, studio, criterion.counted if criterion else (), limit=size, offset=(number - 1) * size
        )
    except Forbidden:
        abort(404)
    result = page(
        "bureau/proof.html",
        criterion=criterion,
        rules=g.jurisdiction.rules,
        with_records=with_records,
        found=found,
        number=number,
        size=size,
        spec=spec,
        outcome=outcome,
        person=request.args.get("person") or None,
        purpose_labels=ev.PURPOSE_LABELS,
        kind_labels=proof.KIND_LABELS,
        **_studio_context(studio),
    )
    db.rollback()
    return result


@bp.get("/studios/<int:studio_id>/assessment/print")
def assessment_print(studio_id: int):
    """The result in an official document's layout, for printing (a page of its own, never a fragment)."""
    studio = _studio(studio_id)
    spec = _assessment_spec()
    if studio.cycle_start is None:
        abort(404)
    outcome = assessments.run(db_session(), jurisdictions(), studio, spec)
    previous = assessments.latest_record(db_session(), studio, spec)
    locale = locale_code()  # the reader's language, as every other page
    stored = None
    if previous is not None:
        stored = (
            previous.result.get("en") if str(locale).startswith("en") and previous.result.get("en") else previous.result
        )
    response = render_template(
        "bureau/assessment_print.html",
        studio=studio,
        result=stored or outcome.to_json(locale),
        stored=previous,
        outcome=outcome,
        today=today(),
    )
    db_session().rollback()
    return response


@bp.post("/studios/<int:studio_id>/assessment")
def store_assessment(studio_id: int):
    """Store the result the administrator saw on the page (``seen``) and apply its consequences."""
    studio = _studio(studio_id)
    g.actor.require_admin()
    db = db_session()
    spec = _assessment_spec()
    try:
        assessments.require_assessable(studio, spec)
        data = ConfirmInput().load_form(request.form)
        assessments.confirm(db, g.actor, jurisdictions(), spec, today=today(), seen=data["seen"], studio=studio)
    except ValidationError as exc:
        db.rollback()
        return _assessment_page(studio, spec, errors=form_errors(exc), status=422)
    db.commit()
    if is_partial():
        return _assessment_page(studio, spec)
    return redirect(url_for("bureau.assessment", studio_id=studio.id, kind=spec.kind, year=spec.year))


@bp.post("/studios/<int:studio_id>/assessment/withdraw")
def withdraw_assessment(studio_id: int):
    """Withdraw a stored result (the form's ``record``) with a reason; its consequences are reversed by new records."""
    studio = _studio(studio_id)
    db = db_session()
    assessment_id = request.form.get("record", type=int)
    record = db.get(m.AssessmentRecord, assessment_id) if assessment_id else None
    if record is None or record.studio_id != studio.id:
        abort(404)
    spec = assessments.spec_for(record.kind, int(record.period) if record.kind == "annual" else None)
    try:
        data = WithdrawalInput().load_form(request.form)
        funds.begin_write(db)
        record = db.get(m.AssessmentRecord, assessment_id)
        assessments.withdraw(db, g.actor, record, reason=data["reason"], today=today())
    except ValidationError as exc:
        db.rollback()
        errors = {f"withdraw-{k}": v for k, v in form_errors(exc).items()}
        return _assessment_page(
            db.get(m.Studio, studio.id), spec, errors=errors, status=422, form=request.form.to_dict()
        )
    db.commit()
    if is_partial():
        return _assessment_page(db.get(m.Studio, studio.id), spec)
    return redirect(url_for("bureau.assessment", studio_id=studio.id, kind=spec.kind, year=spec.year))


# ---------------------------------------------------------------------------------------------
# funds


def _funds_page(studio: m.Studio, *, form=None, errors=None, status: int = 200):
    db = db_session()
    book = funds.ledger(db, studio)
    years = sorted({a.year for a in book.allocations} | {e.date.year for e in book.expenses} | {today().year})
    proposals = []
    for record in db.scalars(
        select(m.AssessmentRecord)
        .where(m.AssessmentRecord.studio_id == studio.id, m.AssessmentRecord.kind == "annual")
        .order_by(m.AssessmentRecord.id)
    ):
        funding = record.result.get("funding") or {}
        if funding.get("year") and not any(a.year == funding["year"] and a.source == "grant" for a in book.allocations):
            proposals.append((record, funding))
    granted = {a.year for a in book.allocations if a.source == "grant"}
    proposed = {f["year"] for _r, f in proposals}
    rule_proposals = [
        funding
        for year in (today().year, today().year + 1)
        if year not in granted and year not in proposed
        for funding in [allocations.proposed_allocation(db, jurisdictions(), studio, year)]
        if funding is not None
    ]
    return page(
        "bureau/funds.html",
        status=status,
        book=book,
        rule_proposals=rule_proposals,
        reports=[funds.usage_report(book, y) for y in years],
        proposals={f["year"]: (r, f) for r, f in proposals}.values(),
        stops=funds.stopped_years(db, studio),
        form=form or {},
        errors=errors or {},
        token=secrets.token_urlsafe(16),
        today=today(),
        **_expense_activities(db, studio),
        **_studio_context(studio),
    )


#: the studio's latest activities the expense form offers
EXPENSE_ACTIVITIES = 60


def _expense_activities(db, studio: m.Studio) -> dict[str, Any]:
    """The activities an expense may name (the latest ones, and those the ledger names) and, where the
    jurisdiction makes documents the basis for reimbursement (温州 第八条), why an activity is not."""
    from mingshi.core.services import submissions

    latest = list(
        db.scalars(
            select(m.Activity)
            .where(m.Activity.studio_id == studio.id, m.Activity.withdrawn_at.is_(None))
            .order_by(m.Activity.date.desc(), m.Activity.id.desc())
            .limit(EXPENSE_ACTIVITIES)
        )
    )
    named = {a.id for a in latest}
    ids = {e.activity_id for e in funds.ledger(db, studio).expenses if e.activity_id} - named
    extra = list(db.scalars(select(m.Activity).where(m.Activity.id.in_(sorted(ids))))) if ids else []
    return {
        "expense_activity_options": [(a.id, f"{a.date.isoformat()} {a.title}") for a in latest],
        "activity_by_id": {a.id: a for a in [*latest, *extra]},
        "not_reimbursable": submissions.reimbursability(db, g.jurisdiction, [studio], today=today()),
    }


@bp.get("/studios/<int:studio_id>/funds")
def studio_funds(studio_id: int):
    return _funds_page(_studio(studio_id))


@bp.post("/studios/<int:studio_id>/expenses")
def record_expense(studio_id: int):
    studio = _studio(studio_id)
    g.actor.require_manage_studio(studio.id)  # before the form is read: a refusal costs nothing
    db = db_session()
    try:
        data = ExpenseInput().load_form(request.form)
        funds.begin_write(db)
        studio = db.get(m.Studio, studio.id)
        funds.record_expense(
            db, g.actor, jurisdictions(), studio, data, idempotency_key=data.get("idempotency_key"), today=today()
        )
    except ValidationError as exc:
        db.rollback()
        return _funds_page(studio, form=request.form.to_dict(), errors=form_errors(exc), status=422)
    db.commit()
    return _funds_page(studio) if is_partial() else redirect(url_for("bureau.studio_funds", studio_id=studio.id))


@bp.post("/studios/<int:studio_id>/expenses/<int:expense_id>/reverse")
def reverse_expense(studio_id: int, expense_id: int):
    studio = _studio(studio_id)
    g.actor.require_manage_studio(studio.id)
    db = db_session()
    expense = db.get(m.Expense, expense_id)
    if expense is None or expense.studio_id != studio.id:
        abort(404)
    try:
        data = ReversalInput().load_form(request.form)
        funds.begin_write(db)
        studio, expense = db.get(m.Studio, studio.id), db.get(m.Expense, expense_id)
        funds.reverse_expense(db, g.actor, studio, expense, reason=data["reason"], on=today())
    except ValidationError as exc:
        db.rollback()
        errors = {f"reverse-{expense_id}-{k}": v for k, v in form_errors(exc).items()}
        return _funds_page(studio, form=request.form.to_dict(), errors=errors, status=422)
    db.commit()
    return _funds_page(studio) if is_partial() else redirect(url_for("bureau.studio_funds", studio_id=studio.id))


@bp.post("/studios/<int:studio_id>/allocations")
def record_allocation(studio_id: int):
    studio = _studio(studio_id)
    g.actor.require_admin()
    db = db_session()
    try:
        data = AllocationInput().load_form(request.form)
        funds.begin_write(db)
        studio = db.get(m.Studio, studio.id)
        funds.record_allocation(
            db,
            g.actor,
            studio,
            year=data["year"],
            amount_fen=data["amount"],
            source=data["source"],
            basis=data.get("basis"),
            note=data.get("note"),
            idempotency_key=data.get("idempotency_key"),
            override_reason=data.get("override_reason"),
        )
    except ValidationError as exc:
        db.rollback()
        errors = {f"alloc-{k}": v for k, v in form_errors(exc).items()}
        return _funds_page(studio, form=request.form.to_dict(), errors=errors, status=422)
    db.commit()
    return _funds_page(studio) if is_partial() else redirect(url_for("bureau.studio_funds", studio_id=studio.id))


@bp.get("/studios/<int:studio_id>/funds/report")
def funds_report(studio_id: int):
    studio = _studio(studio_id)
    year = request.args.get("year", type=int) or today().year
    if not 1990 <= year <= 2200:
        abort(404)
    book = funds.ledger(db_session(), studio)
    return page("bureau/funds_report.html", report=funds.usage_report(book, year), **_studio_context(studio))


# ---------------------------------------------------------------------------------------------
# parameters


def _parameters_page(*, form=None, errors=None, status: int = 200, preview=None):
    rows = params_service.parameter_table(db_session(), g.jurisdiction, today())
    return page(
        "bureau/parameters.html",
        status=status,
        rows=rows,
        form=form or {},
        errors=errors or {},
        preview=preview,
        today=today(),
        can_change=g.actor.is_admin,
    )


@bp.get("/parameters")
def parameters():
    if not (g.actor.is_admin or g.actor.is_reviewer):
        raise Forbidden("only the administrator and reviewers see the parameters")
    return _parameters_page()


@bp.post("/parameters")
def add_parameter_value():
    return submit(
        lambda: params_service.add_value(
            db_session(), g.actor, jurisdictions(), ParameterInput().load_form(request.form)
        ),
        again=_parameters_page,
        then=url_for("bureau.parameters"),
    )


NO_ANNUAL = "%(city)s has no annual assessment: preview the change on the end-of-cycle assessment"


@bp.post("/parameters/preview")
def preview_parameter():
    if not g.actor.is_admin:
        raise Forbidden("only the administrator previews a parameter change")
    db = db_session()
    try:
        data = PreviewInput().load_form(request.form)
        evaluations = g.jurisdiction.info.evaluations
        # the jurisdiction's own assessment when the form names none (Wenzhou has only the cycle's)
        kind = data.get("kind") or ("annual" if "annual" in evaluations else "cycle")
        if kind not in evaluations:
            message = Text(NO_ANNUAL, {"city": g.tenant.name}) if kind == "annual" else "not a valid choice"
            raise ValidationError({"kind": [message]})
        year = data.get("year") or _default_year()
        rows = params_service.preview(
            db, jurisdictions(), param_id=data["param_id"], raw=data["value"], kind=kind, year=year
        )
    except ValidationError as exc:
        return _parameters_page(form=request.form.to_dict(), errors=form_errors(exc), status=422)
    return _parameters_page(form=request.form.to_dict(), preview={**data, "rows": rows, "year": year, "kind": kind})


# ---------------------------------------------------------------------------------------------
# spreadsheets


def _xlsx(data: bytes, name: str):
    from io import BytesIO

    return send_file(
        BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=name,
    )


def _today_stamp() -> str:
    return dt.date.today().strftime("%Y%m%d")


@bp.get("/studios/<int:studio_id>/import")
def import_page(studio_id: int):
    studio = _studio(studio_id)
    if not g.actor.can_manage_studio(studio.id):
        raise Forbidden("only the studio's host or the city administrator imports into this studio")
    return page("bureau/import.html", result=None, refused=None, kind=None, **_studio_context(studio))


@bp.get("/studios/<int:studio_id>/import/template/<kind>")
def import_template(studio_id: int, kind: str):
    _studio(studio_id)
    if kind not in ("members", "activities"):
        abort(404)
    return _xlsx(spreadsheets.template(kind, g.jurisdiction), f"mingshi-{kind}-template.xlsx")


@bp.post("/studios/<int:studio_id>/import/<kind>")
def import_file(studio_id: int, kind: str):
    studio = _studio(studio_id)
    if kind not in ("members", "activities"):
        abort(404)
    upload = request.files.get("file")
    db = db_session()
    refused = None
    result = None
    if upload is None or not upload.filename:
        refused = _("Choose an .xlsx file.")
    else:
        importer = spreadsheets.import_members if kind == "members" else spreadsheets.import_activities
        try:
            result = importer(db, g.actor, jurisdictions(), studio, upload.read())
        except spreadsheets.ImportRefused as exc:
            refused = exc.args[0]  # a core.i18n.Text, translated by the page
    if refused or not result.ok:
        db.rollback()  # all rows or none
        return page(
            "bureau/import.html", status=422, result=result, refused=refused, kind=kind, **_studio_context(studio)
        )
    db.commit()
    return page("bureau/import.html", result=result, refused=None, kind=kind, **_studio_context(studio))


# -- exports ----------------------------------------------------------------------------------


@bp.get("/studios.xlsx")
def export_studios():
    """The studios list as the page shows it: names, labels in the reader's language, no codes."""
    from mingshi.core.exports import table_to_xlsx
    from mingshi.core.services import workspace as ws

    rows = ws.list_studios(db_session(), only=_visible(), limit=100_000, today=today())
    info = g.jurisdiction.info
    locale = locale_code()
    data = table_to_xlsx(
        _("Studios"),
        [_("Studio"), _("Host"), _("Kind"), _("County"), _("Status"), _("Members"), _("Activities")],
        [
            [
                r.studio.name,
                r.host,
                info.studio_kinds[r.studio.kind](locale) if r.studio.kind in info.studio_kinds else "",
                r.studio.county,
                studio_status_text(r.studio.status),
                r.members,
                r.activities,
            ]
            for r in rows
        ],
    )
    return _xlsx(data, f"{g.tenant.code}-studios-{_today_stamp()}.xlsx")


@bp.get("/assessments.xlsx")
def export_assessments():
    from mingshi.core.exports import table_to_xlsx
    from mingshi.web.central_tables import NORMALIZED_GRADES

    if not (g.actor.is_admin or g.actor.is_reviewer):
        raise Forbidden("only the administrator and reviewers export the assessments")
    spec = _assessment_spec()
    labels = g.jurisdiction.info.grade_labels
    locale = locale_code()

    def grade(code: str) -> str:
        return labels[code](locale) if code in labels else ""

    def normalized(code: str) -> str:
        return NORMALIZED_GRADES[code](locale) if code in NORMALIZED_GRADES else ""

    data = table_to_xlsx(
        _("Assessments"),
        [_("Studio"), _("Period"), _("Grade"), _("Normalized grade"), _("Criteria met"), _("Stored on")],
        (
            [
                name,
                spec.period_key,
                grade(code) if code else "",
                normalized(code) if code else "",
                sum(1 for c in result.get("criteria", []) if c["status"] == "met") if code else "",
                computed_at.date() if code else "",
            ]
            for name, code, result, computed_at in assessments.export_rows(db_session(), spec.kind, spec.period_key)
        ),
    )
    return _xlsx(data, f"{g.tenant.code}-assessments-{spec.period_key}.xlsx")


@bp.get("/studios/<int:studio_id>/ledger.xlsx")
def export_ledger(studio_id: int):
    """The studio's ledger: each entry named in the reader's language (a grant, an expense of a
    category, the reversal of an expense of a date), never by its code."""
    from decimal import Decimal

    from mingshi.core.exports import table_to_xlsx

    studio = _studio(studio_id)
    book = funds.ledger(db_session(), studio)
    sources = {
        "grant": _("grant"),
        "school_matching": _("school matching funds"),
        "recovery": _("recovery of the unused balance"),
    }
    vocabulary, locale = g.jurisdiction.vocabulary, locale_code()
    dates = {e.id: e.date for e in book.expenses}
    rows = [
        [
            a.created_at.date(),
            f"{sources.get(a.source, '')} {a.year}".strip(),
            "",
            Decimal(a.amount_fen) / 100,
            a.basis or "",
            a.note or "",
        ]
        for a in book.allocations
    ]
    rows += [
        [
            e.date,
            _("expense")
            if not e.reverses_id
            else _("reversal of the expense of %(date)s", date=day_text(dates.get(e.reverses_id))),
            vocabulary.label("expense_categories", e.category, locale),
            Decimal(-e.amount_fen) / 100,
            "",
            e.note or "",
        ]
        for e in book.expenses
    ]
    data = table_to_xlsx(
        _("Ledger"), [_("Date"), _("Entry"), _("Category"), _("Amount (yuan)"), _("Basis"), _("Note")], rows
    )
    return _xlsx(data, f"{g.tenant.code}-ledger-{studio.id}.xlsx")
