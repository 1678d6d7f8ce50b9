"""The demo holds every city's plans and reports in every state a bureau meets (issue 17, done when):
approved, returned, awaiting review, begun (a draft), overdue and due soon — computed, never faked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import judgements
from mingshi.core.services import submissions as sv
from mingshi.core.services.access import Actor
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY

EVERY_STATE = {"approved", "returned", "submitted", "draft", "overdue", "due_soon"}


def _states(app, jurisdictions, code: str) -> set[str]:
    session = app.extensions["mingshi"]["sessions"]()
    with session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
        bind_tenant(session, tenant.id)
        jurisdiction = jurisdictions.get(tenant.jurisdiction)
        actor = Actor(user_id=None, name="t", tenant_id=tenant.id, roles=frozenset({"admin"}))
        year = judgements.current_year(session, jurisdiction, TODAY)
        studios = session.scalars(select(m.Studio).where(m.Studio.status == "active"))
        states: set[str] = set()
        for studio in studios:
            for y in (year - 1, year):
                for row in sv.documents(session, actor, jurisdiction, studio, y, today=TODAY):
                    states.add(row.state)
                    if row.submission is not None and row.submission.state == "draft":
                        states.add("draft")
        return states


@pytest.mark.parametrize("code", ["lianyungang", "shenyang", "wenzhou", "wushen"])
def test_every_city_has_documents_in_every_state(app, jurisdictions, code) -> None:
    assert _states(app, jurisdictions, code) >= EVERY_STATE
