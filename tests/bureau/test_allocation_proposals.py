"""The allocation the rules propose for a year (hook ``mingshi_allocation``), first year included."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services.allocations import proposed_allocation


def _studio(t) -> m.Studio:
    return t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()


def test_the_first_year_of_a_cycle_is_proposed_from_the_rules(tenant_of) -> None:
    t = tenant_of("lianyungang")
    studio = _studio(t)
    studio.cycle_start = dt.date(2026, 1, 1)
    funding = proposed_allocation(t.session, t.jurisdictions, studio, 2026)
    assert funding is not None
    assert (funding.amount_fen, funding.basis, funding.year) == (1_000_000, "第十九条", 2026)
    assert "周期首年" in funding.explanation.render("zh_CN")
    assert "first year of the cycle" in funding.explanation.render("en")


def test_a_later_year_follows_the_assessment_of_the_year_before(tenant_of) -> None:
    t = tenant_of("shenyang")
    studio = _studio(t)
    funding = proposed_allocation(t.session, t.jurisdictions, studio, studio.cycle_start.year + 1)
    assert funding is not None and funding.year == studio.cycle_start.year + 1
    assert funding.basis in {"第十条", "第十二条"}


def test_wenzhou_grants_the_cycle_funds_once(tenant_of) -> None:
    t = tenant_of("wenzhou")
    studio = _studio(t)
    first = proposed_allocation(t.session, t.jurisdictions, studio, studio.cycle_start.year)
    second = proposed_allocation(t.session, t.jurisdictions, studio, studio.cycle_start.year + 1)
    assert first is not None and first.amount_fen == 2_000_000
    assert second is not None and second.amount_fen == 0
    assert "首年" in second.explanation.render("zh_CN")


def test_no_proposal_for_a_studio_that_is_not_active(tenant_of) -> None:
    t = tenant_of("lianyungang")
    studio = _studio(t)
    studio.status = "draft"
    assert proposed_allocation(t.session, t.jurisdictions, studio, 2026) is None
