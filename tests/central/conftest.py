"""A fixed multi-tenant data set whose figures were counted by hand (see test_figures.py).

Three compared tenants — Shenyang (calendar years), Wushen (school years, with the tenant's own
school-year start of 08-01) and Wenzhou (no annual assessment) — and one tenant whose plugin is
not installed. Every row sits on purpose on or just outside a boundary of the year 2025.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.security import generate_password_hash

from mingshi.core import models as m
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import summaries
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app
from tests.conftest import served_url

D = dt.date
PASSWORD = "central-test"
TODAY = D(2026, 11, 20)


@dataclass
class DataSet:
    shenyang: int
    wushen: int
    wenzhou: int
    elsewhere: int


def _criteria(*statuses: str) -> dict:
    return {"criteria": [{"id": f"c{i}", "status": s} for i, s in enumerate(statuses)]}


def _tenant(session, code: str, jurisdiction: str) -> m.Tenant:
    tenant = m.Tenant(code=code, name=f"{code}市", name_en=code.title(), jurisdiction=jurisdiction)
    session.add(tenant)
    session.flush()
    bind_tenant(session, tenant.id)
    return tenant


def _studio(session, name: str, kind: str, status: str, cycle_start: dt.date | None) -> m.Studio:
    studio = m.Studio(name=name, kind=kind, status=status, cycle_start=cycle_start)
    session.add(studio)
    session.flush()
    return studio


def _person(session, name: str) -> m.Person:
    person = m.Person(name=name)
    session.add(person)
    session.flush()
    return person


def _member(session, studio, person, role, joined, left=None, rule=None, reason=None) -> m.Membership:
    ms = m.Membership(
        studio_id=studio.id,
        person_id=person.id,
        role=role,
        joined=joined,
        left=left,
        removal_rule=rule,
        removal_reason=reason,
    )
    session.add(ms)
    return ms


def _activity(session, studio, day, type_) -> None:
    session.add(m.Activity(studio_id=studio.id, date=day, type=type_, title=f"{type_} {day}"))


def _output(session, studio, day, level, type_="paper") -> None:
    session.add(m.Output(studio_id=studio.id, date=day, level=level, type=type_, title=f"{type_} {day}"))


def _record(session, studio, period, grade, result, kind="annual") -> None:
    session.add(m.AssessmentRecord(studio_id=studio.id, kind=kind, period=period, grade=grade, result=result))
    session.flush()  # ids in insertion order: the later record is the latest


def _grant(session, studio, year, fen, source="grant", reverses=None) -> m.FundAllocation:
    row = m.FundAllocation(studio_id=studio.id, year=year, source=source, amount_fen=fen, reverses_id=reverses)
    session.add(row)
    session.flush()
    return row


def _expense(session, studio, day, fen, reverses=None) -> m.Expense:
    row = m.Expense(studio_id=studio.id, date=day, category="other", amount_fen=fen, reverses_id=reverses)
    session.add(row)
    session.flush()
    return row


def build_dataset(sessions) -> DataSet:
    ids = {}
    # -- Shenyang: calendar year 2025 = 2025-01-01 … 2025-12-31 --------------------------------
    with sessions() as s:
        t = _tenant(s, "shenyang", "shenyang")
        ids["shenyang"] = t.id
        s1 = _studio(s, "甲工作坊", "workshop", "active", D(2024, 1, 1))
        s2 = _studio(s, "乙工作室", "studio", "active", D(2025, 3, 1))
        s3 = _studio(s, "丙工作室（申报）", "studio", "draft", None)
        s4 = _studio(s, "丁工作室", "studio", "disqualified", D(2023, 1, 1))
        h1, h2, h3, h4 = (_person(s, n) for n in ("主持甲", "主持乙", "主持丙", "主持丁"))
        m1, m2, m3, m4, m5 = (_person(s, n) for n in ("成员一", "成员二", "成员三", "成员四", "成员五"))
        _member(s, s1, h1, "host", D(2024, 1, 1))
        _member(s, s2, h2, "host", D(2025, 3, 1))
        _member(s, s3, h3, "host", D(2025, 5, 1))
        _member(s, s4, h4, "host", D(2023, 1, 1), left=D(2025, 6, 30))
        _member(s, s1, m1, "member", D(2024, 1, 1))
        _member(s, s1, m2, "member", D(2025, 2, 1), left=D(2025, 5, 10), rule="sy.member.absence", reason="缺席")
        _member(s, s1, m3, "member", D(2026, 1, 1))
        _member(s, s2, m4, "member", D(2025, 3, 1))
        _member(s, s2, m1, "member", D(2025, 3, 1))  # the same person in two studios counts once
        _member(s, s4, m5, "member", D(2023, 1, 1), left=D(2025, 6, 30), rule="manual", reason="调离")
        _member(s, s3, m4, "member", D(2025, 5, 1))  # an application's member: not counted
        for day, type_ in [
            (D(2025, 3, 1), "open_class"),
            (D(2025, 4, 1), "send_teaching"),
            (D(2025, 5, 1), "seminar"),
            (D(2025, 6, 1), "training"),
            (D(2025, 7, 1), "planning_meeting"),
        ]:
            _activity(s, s1, day, type_)
        _activity(s, s2, D(2025, 12, 31), "open_class")
        _activity(s, s2, D(2026, 1, 1), "lecture")
        _activity(s, s2, D(2024, 12, 31), "seminar")
        _output(s, s1, D(2025, 5, 5), "municipal")
        _output(s, s1, D(2025, 6, 6), "provincial")
        _output(s, s2, D(2025, 7, 7), None, "news_brief")
        _output(s, s2, D(2026, 2, 2), "national")
        _record(s, s1, "2025", "fail", _criteria("unmet", "unmet"))  # replaced by the next one
        _record(s, s1, "2025", "pass", _criteria("met", "met", "unmet", "not_applicable", "notice"))
        _record(s, s2, "2025", "excellent", _criteria("met", "pending", "met"))
        _record(s, s1, "2024", "fail", _criteria("unmet"))
        _record(s, s1, "cycle", "pass", _criteria("met"), kind="cycle")
        _grant(s, s1, 2025, 2_000_000)
        wrong = _grant(s, s2, 2025, 1_000_000)
        _grant(s, s2, 2025, -1_000_000, reverses=wrong.id)
        _grant(s, s2, 2025, 500_000)
        _grant(s, s1, 2025, 300_000, source="school_matching")
        _grant(s, s1, 2025, -100_000, source="recovery")
        _grant(s, s1, 2026, 2_000_000)
        _expense(s, s1, D(2025, 3, 3), 123_456)
        _expense(s, s1, D(2025, 12, 31), 100_000)
        mistaken = _expense(s, s2, D(2025, 6, 1), 50_000)
        _expense(s, s2, D(2025, 6, 2), -50_000, reverses=mistaken.id)
        _expense(s, s1, D(2026, 1, 2), 999)
        s.commit()
    # -- Wushen: school year 2025 with the tenant's own start 08-01 = 2024-08-01 … 2025-07-31 --
    with sessions() as s:
        t = _tenant(s, "wushen", "wushen")
        ids["wushen"] = t.id
        s.add(m.ParameterValue(param_id="common.school_year_start", value="08-01", valid_from=D(2020, 1, 1)))
        w1 = _studio(s, "乌审旗戊工作室", "studio", "active", D(2024, 8, 1))
        _member(s, w1, _person(s, "主持戊"), "host", D(2024, 8, 1))
        _member(s, w1, _person(s, "成员六"), "member", D(2024, 8, 1))
        _activity(s, w1, D(2024, 8, 1), "send_teaching")
        _activity(s, w1, D(2025, 7, 31), "support_teaching")
        _activity(s, w1, D(2025, 8, 1), "seminar")
        _activity(s, w1, D(2024, 7, 31), "lecture")
        _output(s, w1, D(2025, 1, 15), "county", "reflection")
        _record(s, w1, "2025", "fail", _criteria("unmet", "met"))
        _grant(s, w1, 2025, 800_000)
        _expense(s, w1, D(2024, 9, 1), 200_000)
        _expense(s, w1, D(2025, 8, 15), 300_000)
        s.commit()
    # -- Wenzhou: calendar year, assessed only at the end of the cycle ---------------------------
    with sessions() as s:
        t = _tenant(s, "wenzhou", "wenzhou")
        ids["wenzhou"] = t.id
        z1 = _studio(s, "温州己工作室", "outreach_studio", "active", D(2025, 1, 1))
        _member(s, z1, _person(s, "主持己"), "host", D(2025, 1, 1))
        _member(s, z1, _person(s, "学员一"), "trainee", D(2025, 1, 1))
        _member(s, z1, _person(s, "学员二"), "trainee", D(2025, 1, 1), left=D(2025, 4, 1), rule="wz.trainee.absence")
        for day, type_ in [
            (D(2025, 2, 1), "open_class"),
            (D(2025, 3, 1), "cross_region_study"),
            (D(2025, 4, 1), "reading"),
            (D(2025, 5, 1), "a_plugin_type"),
        ]:
            _activity(s, z1, day, type_)
        s.commit()
    # -- a tenant whose jurisdiction is not installed --------------------------------------------
    with sessions() as s:
        t = _tenant(s, "elsewhere", "atlantis")
        ids["elsewhere"] = t.id
        _studio(s, "无处工作室", "studio", "active", D(2025, 1, 1))
        s.commit()
    # -- users -----------------------------------------------------------------------------------
    with sessions() as s:
        digest = generate_password_hash(PASSWORD)
        for username, tenant_id, role in [
            ("central", None, "central"),
            ("sy-admin", ids["shenyang"], "admin"),
            ("sy-reviewer", ids["shenyang"], "reviewer"),
            ("mixed", ids["shenyang"], "central"),  # a tenant user with the central role: not central staff
        ]:
            user = m.User(username=username, display_name=username, password_hash=digest, tenant_id=tenant_id)
            user.roles = [m.UserRole(role=role)]
            s.add(user)
        s.commit()
    return DataSet(**ids)


@pytest.fixture(scope="session")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


@pytest.fixture
def dataset(sessions) -> DataSet:
    return build_dataset(sessions)


@pytest.fixture
def central_app(database_url: str, sessions, dataset: DataSet, jurisdictions) -> Iterator:
    # the page reads the summaries a worker's job keeps (mingshi.core.services.summaries)
    summaries.refresh_all(sessions, jurisdictions, TODAY)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": served_url(database_url),
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "test",
            "MINGSHI_TODAY": TODAY,
        }
    )
    yield app
    app.extensions["mingshi"]["engine"].dispose()
