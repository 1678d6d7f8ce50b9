"""The parameter impact preview reads each studio's facts once and evaluates them once per value."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services.evaluation import (
    EvaluationSpec,
    evaluate_many,
    evaluate_variants,
    facts_request,
    render,
)
from mingshi.core.services.facts import tenant_parameter_values
from mingshi.core.services.parameters import impact
from mingshi.core.synth import synth
from mingshi.core.tenancy import bind_tenant


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


def _session(sessions, code: str):
    session = sessions()
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
    bind_tenant(session, tenant.id)
    return session, tenant


def _text(outcome) -> str:
    return json.dumps(render(outcome, "en"), ensure_ascii=False, sort_keys=True)


ACTIVE = select(m.Studio).where(m.Studio.status == "active", m.Studio.cycle_start.is_not(None))

#: (tenant, evaluation, parameter, proposed value, whether the value moves the studios' periods)
CASES = [
    ("wenzhou", EvaluationSpec("cycle"), "wz.funding.cycle", "30000", False),
    # a longer cycle moves the cycle's end: each studio's facts are read up to another day
    ("wenzhou", EvaluationSpec("cycle"), "wz.cycle_years", "3", True),
    ("shenyang", EvaluationSpec("annual", year=2025), "sy.member.max_absence_ratio", "0.1", False),
    ("wushen", EvaluationSpec("annual", year=2025), "ws.funding.annual", "90000", False),
]


@pytest.mark.parametrize(("code", "spec", "param", "value", "moves"), CASES)
def test_each_variant_equals_its_own_batch_evaluation(
    database_url, sessions, jurisdictions, code, spec, param, value, moves
) -> None:
    synth(sessions, jurisdictions, studios=4 * 12, seed=4)
    session, tenant = _session(sessions, code)
    try:
        jurisdiction = jurisdictions.get(tenant.jurisdiction)
        values = tenant_parameter_values(session)
        before, after = jurisdiction.paramset(values), jurisdiction.paramset(values, {param: value})
        studios = list(session.scalars(ACTIVE.order_by(m.Studio.id)))
        windows = [
            (facts_request(jurisdiction, s, spec, before), facts_request(jurisdiction, s, spec, after)) for s in studios
        ]
        # the case is what it says: the proposed value moves some studio's window, or none
        assert any((a.as_of, a.since, a.until) != (b.as_of, b.since, b.until) for b, a in windows) is moves

        pairs = list(evaluate_variants(session, jurisdictions, ACTIVE, spec, (None, {param: value})))
        current = [_text(o) for o in evaluate_many(session, jurisdictions, ACTIVE, spec)]
        proposed = [_text(o) for o in evaluate_many(session, jurisdictions, ACTIVE, spec, overrides={param: value})]
        assert len(pairs) == len(studios) > 5
        assert [_text(b) for b, _a in pairs] == current
        assert [_text(a) for _b, a in pairs] == proposed
        assert [_text(b) for b, _a in pairs] != proposed  # the value changes something
    finally:
        session.close()


def test_the_preview_reads_the_facts_once(database_url, engine, sessions, jurisdictions) -> None:
    """The impact preview costs the statements of one batch evaluation (plus its count), not two."""
    synth(sessions, jurisdictions, studios=4 * 12, seed=4)
    session, _tenant = _session(sessions, "wenzhou")
    spec = EvaluationSpec("cycle")
    count = 0

    def before(*_args):
        nonlocal count
        count += 1

    try:
        event.listen(engine, "before_cursor_execute", before)
        list(evaluate_many(session, jurisdictions, ACTIVE, spec))
        one = count
        count = 0
        result = impact(session, jurisdictions, param_id="wz.funding.cycle", raw="30000", kind="cycle", year=None)
        previewed = count
        count = 0
        moved = impact(session, jurisdictions, param_id="wz.cycle_years", raw="3", kind="cycle", year=None)
        moved_statements = count
    finally:
        event.remove(engine, "before_cursor_execute", before)
        session.close()
    assert result["totals"]["studios"] > 5 and result["totals"]["funding_changed"] > 0
    assert moved["totals"]["studios"] == result["totals"]["studios"]
    # the impact preview also reads the tenant and its parameters (the jurisdiction's check) and counts
    assert one < previewed <= one + 4
    assert moved_statements == previewed
