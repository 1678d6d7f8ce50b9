"""Wenzhou 第九条 学分认定: the credits the rules propose from a stored end-of-cycle result, on both sides
of each boundary — the studio's grade for the host, each trainee's own result (duties met and place
kept, duties unmet, place withdrawn under 第七条(二), left before the end), and a pending grade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mingshi.core.rules.facts import MembershipFact, PersonFact, StudioFact
from mingshi.jurisdiction import Evaluation, Grade, MemberResult, StudioFacts, cycle
from tests.plugins.conftest import plugin_folders

pytestmark = pytest.mark.skipif("wenzhou" not in plugin_folders(), reason="the wenzhou plugin is not installed")

START = dt.date(2023, 1, 1)
PERIOD = cycle(START, 2)
HOST = PersonFact("h", "主持人甲")
PEOPLE = {p.key: p for p in (HOST, PersonFact("t1", "学员一"), PersonFact("t2", "学员二"), PersonFact("t3", "学员三"),
                             PersonFact("t4", "学员四"))}  # fmt: skip


@pytest.fixture
def wenzhou(jurisdictions):
    return jurisdictions.get("wenzhou")


def _facts(wenzhou, overrides=None) -> StudioFacts:
    memberships = (
        MembershipFact(HOST, "host", START),
        *(MembershipFact(PEOPLE[k], "trainee", START) for k in ("t1", "t2", "t3", "t4")),
    )
    return StudioFacts(
        jurisdiction="wenzhou",
        studio=StudioFact("s", "工作室", "outreach_studio", "文成县", cycle_start=START),
        as_of=PERIOD.end,
        params=wenzhou.paramset(overrides=overrides),
        people=PEOPLE,
        memberships=memberships,
    )


def _evaluation(grade: Grade) -> Evaluation:
    return Evaluation(
        grade=grade,
        members=[
            MemberResult("t1", grade="pass"),
            MemberResult("t2", grade="fail"),
            MemberResult("t3", status="removed", rule="wz.trainee.absence", date=dt.date(2024, 3, 1)),
            MemberResult("t4", grade=None),  # left before the cycle's end
        ],
    )


def _by_person(wenzhou, grade: Grade, overrides=None) -> dict[str, object]:
    credits = wenzhou.credits(facts=_facts(wenzhou, overrides), period=PERIOD, evaluation=_evaluation(grade))
    return {c.person: c for c in credits}


@pytest.mark.parametrize(
    ("grade", "host_credits", "basis"),
    [(Grade.EXCELLENT, Decimal(30), "第九条"), (Grade.PASS, Decimal(24), "第九条"),
     (Grade.FAIL, Decimal(0), "第九条、第十条(二)")],
)  # fmt: skip
def test_the_host_gets_what_the_studio_grade_gives(wenzhou, grade, host_credits, basis) -> None:
    host = _by_person(wenzhou, grade)["h"]
    assert (host.role, host.credits, host.rule, host.basis) == ("host", host_credits, "wz.credit", basis)
    assert "主持人甲" in host.explanation.render("en")
    assert host.explanation.render("zh_CN") != host.explanation.render("en")


@pytest.mark.parametrize("grade", [Grade.PASS, Grade.FAIL])
def test_each_trainee_by_their_own_result_whatever_the_studio_grade(wenzhou, grade) -> None:
    found = _by_person(wenzhou, grade)
    assert found["t1"].credits == Decimal(24) and found["t1"].basis == "第九条、第六条"  # duties met, place kept
    assert found["t2"].credits == Decimal(0)  # duties unmet
    assert found["t3"].credits == Decimal(0) and found["t3"].basis == "第九条、第七条(二)"  # place withdrawn
    assert found["t4"].credits == Decimal(0) and found["t4"].basis == "第九条"  # left before the end
    assert {c.role for k, c in found.items() if k != "h"} == {"trainee"}


def test_the_amounts_are_dated_parameters(wenzhou) -> None:
    found = _by_person(
        wenzhou,
        Grade.PASS,
        {"wz.credit.host_pass": "20.5", "wz.credit.trainee_pass": "12", "wz.credit.trainee_removed": "2"},
    )  # fmt: skip
    assert found["h"].credits == Decimal("20.5")
    assert found["t1"].credits == Decimal(12)
    assert found["t3"].credits == Decimal(2)


def test_a_pending_grade_proposes_nothing(wenzhou) -> None:
    assert _by_person(wenzhou, Grade.PENDING) == {}


def test_other_cities_recognize_no_credits(jurisdictions) -> None:
    for jurisdiction in jurisdictions.all():
        assert jurisdiction.recognizes_credits is (jurisdiction.code == "wenzhou")
    if "shenyang" in jurisdictions:
        shenyang = jurisdictions.get("shenyang")
        assert shenyang.credits(facts=None, period=PERIOD, evaluation=_evaluation(Grade.PASS)) == []


def test_a_removal_in_the_result_counts_even_without_the_status(wenzhou) -> None:
    from mingshi.jurisdiction import Removal, Text

    evaluation = _evaluation(Grade.PASS)
    evaluation.members[0] = MemberResult("t1", grade="pass")
    evaluation.removals.append(Removal("t1", "wz.trainee.absence", "第七条(二)", dt.date(2024, 5, 1), Text("x")))
    credits = wenzhou.credits(facts=_facts(wenzhou), period=PERIOD, evaluation=evaluation)
    t1 = next(c for c in credits if c.person == "t1")
    assert t1.credits == Decimal(0) and t1.basis == "第九条、第七条(二)"
