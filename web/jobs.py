"""Background jobs under ``/<tenant>/jobs/``: a progress bar the page polls, the result or the reason
it failed with a retry; and the one job started from here, the parameter impact preview over every
studio. Views load, check access, call :mod:`mingshi.core.jobs`, render."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from mingshi.core import jobs
from mingshi.core import models as m
from mingshi.core.schemas.bureau import PreviewInput
from mingshi.core.services import parameters as params_service
from mingshi.core.services.access import Forbidden
from mingshi.web import tenant as tenant_views
from mingshi.web.app import db_session
from mingshi.web.render import form_errors, is_partial, page

bp = Blueprint("jobs", __name__, url_prefix="/<tenant>")
bp.url_value_preprocessor(tenant_views._pull_tenant)
bp.url_defaults(tenant_views._add_tenant)
bp.before_request(tenant_views._load_tenant)


#: rows of a job's result shown per page
JOB_ROWS = 100


def _job(job_id: int) -> m.Job:
    job = db_session().scalar(select(m.Job).where(m.Job.id == job_id))
    if job is None:
        abort(404)
    kind = jobs.KINDS.get(job.kind)
    if kind is None or not kind.allowed(g.actor):
        abort(404)
    return job


def _redirect(url: str):
    if is_partial():
        response = redirect(url, 303)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    j = _job(job_id)
    return page("jobs/job.html", job=j, kind=jobs.KINDS[j.kind], number=tenant_views.page_number(), size=JOB_ROWS)


@bp.post("/jobs/<int:job_id>/retry")
def retry(job_id: int):
    j = _job(job_id)
    db = db_session()
    try:
        jobs.retry(db, g.actor, j)
    except jobs.JobError:
        abort(409)
    db.commit()
    return _redirect(url_for("jobs.job", job_id=j.id))


@bp.post("/parameters/impact")
def parameter_impact():
    if not g.actor.is_admin:
        raise Forbidden("only the administrator previews a parameter change")
    db = db_session()
    try:
        data = PreviewInput().load_form(request.form)
        params_service.check_proposal(g.jurisdiction, data["param_id"], data["value"])
    except ValidationError as exc:
        from mingshi.web.bureau import _parameters_page

        return _parameters_page(form=request.form.to_dict(), errors=form_errors(exc), status=422)
    year = data.get("year")
    if data["kind"] == "annual" and year is None:
        from mingshi.web.bureau import _default_year

        year = _default_year()
    job = jobs.enqueue(
        db,
        "parameter_preview",
        g.actor,
        {"param_id": data["param_id"], "value": data["value"], "kind": data["kind"], "year": year},
    )
    db.commit()
    return _redirect(url_for("jobs.job", job_id=job.id))
