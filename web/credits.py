"""Credit recognition (学分认定) under ``/<tenant>/``: a studio's tab (the proposal from its stored
end-of-cycle result, confirm, withdraw, correct), the list of every studio whose cycle has ended with the
background jobs that propose and confirm them all, and the export of confirmed credits.

Views load, check access, call :mod:`mingshi.core.services.credits`, render. A jurisdiction that
recognizes no credits (hook ``mingshi_credits`` not implemented) has none of these pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.schemas.bureau import ConfirmInput, CreditCorrectionInput, CreditStoreInput, WithdrawalInput
from mingshi.core.services import credits as cr
from mingshi.core.services.access import Forbidden
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session, jurisdictions, today
from mingshi.web.filters import locale_code
from mingshi.web.render import form_errors, is_partial, page

bp = Blueprint("credits", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)

#: studios per page of the list
LIST_PAGE = 50


@bp.before_request
def _only_where_credits_are_recognized():
    if not g.jurisdiction.recognizes_credits:
        abort(404)


def _studio_page(studio: m.Studio, *, errors=None, status: int = 200, form=None, editing: int | None = None):
    db = db_session()
    if studio.cycle_start is None:
        abort(404)
    proposal = cr.preview(db, jurisdictions(), studio, today=today())
    result = page(
        "credits/studio.html",
        status=status,
        proposal=proposal,
        seen=proposal.fingerprint(),
        history=cr.history(db, studio) if g.actor.is_admin or g.actor.is_reviewer else [],
        credits_text=cr.credits_text,
        errors=errors or {},
        form=form or {},
        editing=editing,
        **tenant_views._studio_context(studio),
    )
    db.rollback()  # the preview only reads
    return result


def _done(studio: m.Studio):
    if is_partial():
        return _studio_page(db_session().get(m.Studio, studio.id))
    return redirect(url_for("credits.studio_credits", studio_id=studio.id), 303)


@bp.get("/studios/<int:studio_id>/credits")
def studio_credits(studio_id: int):
    return _studio_page(tenant_views._studio(studio_id))


@bp.post("/studios/<int:studio_id>/credits")
def store_credits(studio_id: int):
    """Record the proposal the administrator saw (``seen``), or confirm it (``action=confirm``)."""
    studio = tenant_views._studio(studio_id)
    g.actor.require_admin()
    db = db_session()
    try:
        data = CreditStoreInput().load_form(request.form)
        cr.store(
            db, g.actor, jurisdictions(), studio, today=today(), seen=data["seen"], confirm=data["action"] == "confirm"
        )
    except ValidationError as exc:
        db.rollback()
        return _studio_page(studio, errors=form_errors(exc), status=422)
    db.commit()
    return _done(studio)


def _row(studio: m.Studio, credit_id: int) -> m.CreditRecognition:
    row = db_session().get(m.CreditRecognition, credit_id)
    if row is None or row.studio_id != studio.id:
        abort(404)
    return row


@bp.post("/studios/<int:studio_id>/credits/<int:credit_id>/withdraw")
def withdraw_credit(studio_id: int, credit_id: int):
    studio = tenant_views._studio(studio_id)
    g.actor.require_admin()
    row = _row(studio, credit_id)
    db = db_session()
    try:
        data = WithdrawalInput().load_form(request.form)
        cr.withdraw(db, g.actor, row, reason=data["reason"])
    except ValidationError as exc:
        db.rollback()
        errors = {f"withdraw-{credit_id}-{k}": v for k, v in form_errors(exc).items()}
        return _studio_page(studio, errors=errors, status=422, form=request.form.to_dict(), editing=credit_id)
    db.commit()
    return _done(studio)


@bp.post("/studios/<int:studio_id>/credits/<int:credit_id>/correct")
def correct_credit(studio_id: int, credit_id: int):
    studio = tenant_views._studio(studio_id)
    g.actor.require_admin()
    row = _row(studio, credit_id)
    db = db_session()
    try:
        data = CreditCorrectionInput().load_form(request.form)
        cr.correct(db, g.actor, row, hundredths=cr.to_hundredths(data["credits"]), reason=data["reason"])
    except ValidationError as exc:
        db.rollback()
        errors = {f"correct-{credit_id}-{k}": v for k, v in form_errors(exc).items()}
        return _studio_page(studio, errors=errors, status=422, form=request.form.to_dict(), editing=credit_id)
    db.commit()
    return _done(studio)


# ---------------------------------------------------------------------------------------------
# every studio


def _last_jobs(db) -> list[Any]:
    found = []
    for kind in ("credit_proposal", "credit_confirm"):
        job = db.execute(
            select(m.Job.id, m.Job.kind, m.Job.state, m.Job.created_at)
            .where(m.Job.kind == kind)
            .order_by(m.Job.id.desc())
            .limit(1)
        ).first()
        if job is not None:
            found.append(job)
    return found


def _list_page(*, errors=None, status: int = 200):
    if not (g.actor.is_admin or g.actor.is_reviewer):
        raise Forbidden("only the administrator and reviewers see every studio's credits")
    db = db_session()
    number = tenant_views.page_number()
    total = db.scalar(select(func.count(func.distinct(m.CreditRecognition.studio_id)))) or 0
    studios = list(
        db.execute(
            select(
                m.Studio.id,
                m.Studio.name,
                func.count().filter(m.CreditRecognition.state == "proposed").label("proposed"),
                func.count().filter(m.CreditRecognition.state == "confirmed").label("confirmed"),
                func.coalesce(
                    func.sum(m.CreditRecognition.hundredths).filter(m.CreditRecognition.state == "confirmed"), 0
                ).label("hundredths"),
                func.max(m.CreditRecognition.period_end).label("period_end"),
            )
            .join(m.CreditRecognition, m.CreditRecognition.studio_id == m.Studio.id)
            .group_by(m.Studio.id, m.Studio.name)
            .order_by(m.Studio.name, m.Studio.id)
            .limit(LIST_PAGE)
            .offset((number - 1) * LIST_PAGE)
        )
    )
    return page(
        "credits/list.html",
        status=status,
        rows=studios,
        number=number,
        size=LIST_PAGE,
        total=total,
        last_jobs=_last_jobs(db) if g.actor.is_admin else [],
        credits_text=cr.credits_text,
        errors=errors or {},
    )


@bp.get("/credits")
def credit_list():
    return _list_page()


def _job_redirect(job: m.Job):
    url = url_for("jobs.job", job_id=job.id)
    response = redirect(url, 303)
    if is_partial():
        response.headers["HX-Redirect"] = url
    return response


@bp.post("/credits/proposal")
def propose_all():
    """The platform proposes the credits of every studio whose cycle has ended, as a background job."""
    from mingshi.core import jobs

    g.actor.require_admin()
    db = db_session()
    job = jobs.enqueue(db, "credit_proposal", g.actor, {"today": today().isoformat()})
    db.commit()
    return _job_redirect(job)


@bp.post("/credits")
def confirm_all():
    """Confirm what a finished proposal job shows (``job``), as a background job refused as a whole
    when anything changed since."""
    from mingshi.core import jobs

    g.actor.require_admin()
    db = db_session()
    try:
        data = ConfirmInput().load_form(request.form)
    except ValidationError as exc:
        return _list_page(errors=form_errors(exc), status=422)
    proposal_job = db.get(m.Job, int(data["seen"])) if data["seen"].isdigit() else None
    if proposal_job is None or proposal_job.kind != "credit_proposal" or proposal_job.state != "done":
        return _list_page(errors={"confirm": [_("Run the proposal first, then confirm what it shows.")]}, status=422)
    seen = {str(r["studio_id"]): r["seen"] for r in proposal_job.result["rows"] if r["to_confirm"]}
    job = jobs.enqueue(db, "credit_confirm", g.actor, {"today": today().isoformat(), "seen": seen})
    db.commit()
    return _job_redirect(job)


@bp.get("/credits.xlsx")
def export_credits():
    """Every confirmed credit: studio, cycle, person, role, credits, article, confirmed by and when."""
    from decimal import Decimal

    from mingshi.core.exports import table_to_xlsx
    from mingshi.web.bureau import _xlsx

    if not (g.actor.is_admin or g.actor.is_reviewer):
        raise Forbidden("only the administrator and reviewers export the credits")
    locale = locale_code()
    vocabulary = g.jurisdiction.vocabulary
    data = table_to_xlsx(
        _("Credits"),
        [_("Studio"), _("Cycle"), _("Name"), _("Role"), _("Credits"), _("Article"), _("Explanation"),
         _("Confirmed by"), _("Confirmed on")],
        (
            [
                studio_name,
                f"{row.period_start.isoformat()} – {row.period_end.isoformat()}",
                person_name,
                vocabulary.label("roles", row.role, locale),
                Decimal(row.hundredths) / 100,
                row.basis,
                row.explanation.get("en" if locale.startswith("en") else "zh_CN", ""),
                row.confirmed_by_name or "",
                row.confirmed_at.date() if row.confirmed_at else "",
            ]
            for studio_name, person_name, row in cr.export_rows(db_session())
        ),
    )  # fmt: skip
    return _xlsx(data, f"{g.tenant.code}-credits.xlsx")
