"""Observation 5 of issue 13: progress, assessment and person pages read one service for one period."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import assessments
from mingshi.core.services import workspace as ws
from tests.bureau.conftest import TODAY, tenant_of  # noqa: F401 - fixture


@pytest.mark.parametrize("code", ["lianyungang", "wenzhou"])
def test_every_criterion_of_the_progress_tab_equals_the_assessment_of_the_same_period(tenant_of, code) -> None:  # noqa: F811
    t = tenant_of(code)
    compared = 0
    for studio in t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)):
        spec, period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
        assert TODAY in period or spec.kind == "cycle"
        quotas = ws.quota_progress(t.session, t.jurisdictions, studio, period, spec)
        outcome = assessments.run(t.session, t.jurisdictions, studio, spec)
        assert outcome.period == period
        assessed = {c.id: c for c in outcome.evaluation.criteria}
        for q in quotas:
            if q.id in assessed:
                a = assessed[q.id]
                assert (q.value, q.target) == (a.value, a.target), (studio.name, q.id)
                compared += 1
    t.session.rollback()
    assert compared > 0, code


@pytest.mark.parametrize("code", ["shenyang", "lianyungang", "wenzhou", "wushen"])
def test_every_criterion_is_the_same_on_the_progress_tab_and_the_assessment(tenant_of, code) -> None:  # noqa: F811
    """Shenyang and Wushen showed sy.task.course 1 vs 2, sy.task.advice unmet vs not applicable,
    ws.team.seminar target 4 vs 2, ws.team.project unmet vs not applicable."""
    t = tenant_of(code)
    compared = 0
    for studio in t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)):
        spec, period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
        quotas = ws.quota_progress(t.session, t.jurisdictions, studio, period, spec)
        assessed = {c.id: c for c in assessments.run(t.session, t.jurisdictions, studio, spec).evaluation.criteria}
        for q in quotas:
            if q.id in assessed:
                a = assessed[q.id]
                assert (q.value, q.target, str(q.status)) == (a.value, a.target, str(a.status)), (studio.name, q.id)
                assert q.explanation.render("zh_CN") == a.explanation.render("zh_CN"), (studio.name, q.id)
                compared += 1
    t.session.rollback()
    assert compared > 0, code


@pytest.mark.parametrize("code", ["shenyang", "wushen"])
def test_the_progress_page_shows_the_assessments_numbers(visitor, app, tenant_of, code) -> None:  # noqa: F811
    """What the progress tab prints is what the assessment page prints for the same period."""
    t = tenant_of(code)
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    spec, _period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
    t.session.rollback()
    visitor.login(f"{code}-admin")
    progress = visitor.get(f"/{code}/studios/{studio.id}/progress").get_data(as_text=True)
    bars = re.findall(
        r'data-rule="([^"]+)">\s*<div class="quota-head">.*?<span class="quota-count">([^<]*)</span>', progress, re.S
    )
    assessment = visitor.get(f"/{code}/studios/{studio.id}/assessment?kind={spec.kind}&year={spec.year or ''}")
    html = assessment.get_data(as_text=True)
    rows = {
        rule_id: (value, target)
        for rule_id, value, target in re.findall(
            r'<tr data-rule="([^"]+)"[^>]*>.*?<td class="num">([^<]*)</td><td class="num">([^<]*)</td>', html, re.S
        )
    }
    compared = 0
    for rule_id, count in bars:
        if rule_id in rows and count:
            value, target = rows[rule_id]
            assert count == (f"{value}/{target}" if target else value), (rule_id, count, rows[rule_id])
            compared += 1
    assert compared > 0


def test_wenzhou_progress_shows_the_cycle_its_assessment_covers(visitor, app) -> None:
    """Wenzhou studio 8 showed team size 9/10 on progress (a calendar year) and 11/10 on the cycle assessment."""
    from tests.web.conftest import studio_of

    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    progress = visitor.get(f"/wenzhou/studios/{studio.id}/progress").get_data(as_text=True)
    assessment = visitor.get(f"/wenzhou/studios/{studio.id}/assessment?kind=cycle").get_data(as_text=True)
    span = re.search(r"<small class=\"muted\">([^<]+)</small></h2>", progress).group(1)
    assert span in assessment


def test_a_wushen_person_page_shows_the_school_year_containing_today(tenant_of) -> None:  # noqa: F811
    """A paper of 2026-11-20 never appeared: the person page assessed the school year 2025-2026."""
    t = tenant_of("wushen")
    studio = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    spec, period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
    assert TODAY in period and spec.year == 2027  # the school year 2026-2027, ending in 2027
    t.session.rollback()


def test_every_row_of_a_wushen_assessment_counts_the_same_people(tenant_of) -> None:  # noqa: F811
    """One Wushen table counted "7人" on some rows and "9人" on another: those not yet due were dropped unsaid."""
    t = tenant_of("wushen")
    checked = 0
    for studio in t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)):
        spec, _period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
        for s in (spec, assessments.spec_for("cycle")):
            outcome = assessments.run(t.session, t.jurisdictions, studio, s)
            counts = {
                c.id: int(re.search(r"(\d+)人", c.explanation.render("zh_CN")).group(1))
                for c in outcome.evaluation.criteria
                if c.id.startswith(("ws.ind.", "ws.team.pairing"))
                and re.search(r"(\d+)人", c.explanation.render("zh_CN"))
            }
            assert len(set(counts.values())) <= 1, (studio.name, s, counts)
            checked += len(counts)
    t.session.rollback()
    assert checked > 0


def _plaqued_this_autumn(t, first_of_year) -> list[m.Studio]:
    return list(
        t.session.scalars(select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start > first_of_year))
    )


@pytest.mark.parametrize("code", ["shenyang", "wushen"])
def test_a_studio_its_year_does_not_assess_says_why(visitor, app, tenant_of, code) -> None:  # noqa: F811
    """A studio plaqued this autumn is not assessed for its first part-year (沈阳 第十条, 乌审旗 （十四）, ⚙
    *.first_year.min_months): its progress tab says so, with the assessment's own numbers for the
    period, and no quota reminder tells its host to meet quotas nobody assesses."""
    import datetime as dt

    t = tenant_of(code)
    newcomers = _plaqued_this_autumn(t, dt.date(2026, 9, 1))
    old = t.session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    assert newcomers and old not in newcomers
    for studio in newcomers:
        spec, _period = ws.progress_spec_period(t.session, t.jurisdictions, studio, TODAY)
        assert not assessments.run(t.session, t.jurisdictions, studio, spec).assessed
        assert ws.assessment_scope(t.session, t.jurisdictions, studio, spec).not_assessed is not None
    kept = ws.progress_many(t.session, t.jurisdictions, [old, *newcomers], TODAY, assessed_only=True)
    everyone = ws.progress_many(t.session, t.jurisdictions, [old, *newcomers], TODAY)
    assert set(kept) == {old.id} and set(everyone) == {old.id, *(s.id for s in newcomers)}
    ids = [s.id for s in newcomers]
    t.session.rollback()
    visitor.login(f"{code}-admin")
    for studio_id in ids:
        html = visitor.get(f"/{code}/studios/{studio_id}/progress").get_data(as_text=True)
        assert re.search(r'id="not-assessed">[^<]*\S[^<]*<span class="article">[^<]+</span>', html), html[:3000]
    assert 'id="not-assessed"' not in visitor.get(f"/{code}/studios/{old.id}/progress").get_data(as_text=True)
