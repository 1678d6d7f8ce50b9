"""The bureau's workflows run over the demo data of the four cities (the fixtures of tests/web)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services.access import actor_for
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import (  # noqa: F401 - fixtures
    TODAY,
    app,
    demo_template,
    demo_url,
    jurisdictions,
    rendered,
    visitor,
)


class Tenant:
    """A tenant-bound session over the test app's database, with the demo users as actors."""

    def __init__(self, flask_app, code: str) -> None:
        self.session = flask_app.extensions["mingshi"]["sessions"]()
        self.tenant = self.session.scalar(select(m.Tenant).where(m.Tenant.code == code))
        bind_tenant(self.session, self.tenant.id)
        self.jurisdictions = flask_app.extensions["mingshi"]["jurisdictions"]

    def actor(self, username: str):
        user = self.session.scalar(select(m.User).where(m.User.username == username))
        return actor_for(self.session, user, today=TODAY)

    def person(self, **where) -> m.Person:
        stmt = select(m.Person)
        for key, value in where.items():
            stmt = stmt.where(getattr(m.Person, key) == value)
        return self.session.scalars(stmt.order_by(m.Person.id)).first()

    def close(self) -> None:
        self.session.close()


@pytest.fixture
def tenant_of(app):  # noqa: F811 - the web app fixture
    opened: list[Tenant] = []

    def open_(code: str) -> Tenant:
        t = Tenant(app, code)
        opened.append(t)
        return t

    yield open_
    for t in opened:
        t.close()
