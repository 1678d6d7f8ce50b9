"""The tenant overview pages (the workspace comes with the web-app issues)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import func, select

from core import models as m
from core.tenancy import bind_tenant
from web.app import db_session, jurisdictions

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = db_session()
    tenants = list(session.scalars(select(m.Tenant).order_by(m.Tenant.id)))
    return render_template("home/index.html", tenants=tenants, jurisdictions=jurisdictions())


@bp.get("/<tenant_code>/")
def tenant_home(tenant_code: str):
    session = db_session()
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant_code))
    if tenant is None:
        abort(404)
    bind_tenant(session, tenant.id)
    studios = list(session.scalars(select(m.Studio).order_by(m.Studio.name)))
    members = dict(
        session.execute(
            select(m.Membership.studio_id, func.count())
            .where(m.Membership.left.is_(None))
            .group_by(m.Membership.studio_id)
        ).all()
    )
    jurisdiction = jurisdictions().get(tenant.jurisdiction)
    return render_template(
        "tenant/home.html", tenant=tenant, studios=studios, members=members, jurisdiction=jurisdiction
    )
