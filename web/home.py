"""The front door: signed-in users go to their tenant; central staff see the tenants."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.web.app import db_session, jurisdictions
from mingshi.web.auth import home_of

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.tenant_id is not None:
        return redirect(home_of(current_user))
    tenants = list(db_session().scalars(select(m.Tenant).order_by(m.Tenant.id)))
    return render_template("home/index.html", tenants=tenants, jurisdictions=jurisdictions())
