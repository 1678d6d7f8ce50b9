"""Nothing grows with the tenant: every GET route of the URL map, as a tenant's administrator, at two
data sizes (``mingshi synth``: a small and a large synthetic tenant of every installed jurisdiction
in one database), answers in the same number of statements and a page of about the same size.

Also the named cases of issue 15 the route sweep cannot see by itself: the dashboard counts every
studio (not the first page), the studio list has a next page, a person's page is a constant number
of statements whatever the person's history.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import event, func, select

from mingshi.core import cache
from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.plugins import Jurisdictions
from mingshi.core.synth import SYNTH_TODAY, synth
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app
from tests.conftest import PG_URL, served_url


def truncate(url: str) -> None:
    from sqlalchemy import text

    from mingshi.core.db import Base

    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


pytestmark = pytest.mark.slow

#: synthetic studios per tenant, small and large
SMALL, LARGE = 5, 60
#: a page may differ by this factor between the sizes (names and numbers are longer), plus a little
PAGE_FACTOR, PAGE_SLACK = 1.3, 1024

#: whole-tenant exports: their size is the data by definition (their statements must still be constant)
EXPORTS = {
    "bureau.export_studios",
    "bureau.export_assessments",
    # documents listing a round's or a year's studios, and a studio's own documents (PDF bytes vary)
    "documents.notice",
    "documents.plaque",
    "documents.assessment_report",
    "documents.fund_usage",
    "documents.cycle_summary",
}
#: pages whose size depends on what a bounded number of rows hold, not on how many rows the tenant
#: has (their statements must still be constant; the bound is tested by name below)
BOUNDED = {
    # the quota bars and to-do items of DASHBOARD_STUDIOS studios: a studio meeting its quotas
    # lists nothing, one failing lists each unmet quota
    "tenant.dashboard",
}

#: a page may load this factor more ORM rows at the larger size (the first studio of each differs), plus some
LOAD_FACTOR, LOAD_SLACK = 2, 60
#: pages known to load rows in proportion to the tenant: each a known gap, with why (docs/benchmarks.md)
LOADS_THE_TENANT = frozenset(
    {
        # the administrator's "results awaiting confirmation" asks the jurisdiction about every running
        # studio (its assessment period is the plugin's to say); kept per tenant revision, so only the
        # first view after a write pays it (applications.assessments_awaiting, docs/benchmarks.md)
        "tenant.dashboard",
    }
)

#: the rows a route's variables are filled with: from the tenant's first active studio where the
#: model belongs to a studio, else the tenant's first row
ROWS = {
    "studio_id": m.Studio,
    "membership_id": m.Membership,
    "person_id": m.Person,
    "school_id": m.School,
    "activity_id": m.Activity,
    "output_id": m.Output,
    "award_id": m.StudentAward,
    "expense_id": m.Expense,
    "allocation_id": m.FundAllocation,
    "assessment_id": m.AssessmentRecord,
    "job_id": m.Job,
    "user_id": m.User,
    "record_id": m.Activity,
    "submission_id": m.DocumentSubmission,
}
#: variables naming rows the synthetic data does not make (a file's download reads one row and one file)
NOT_SYNTHESIZED = {"evidence_id"}
PLAIN = {
    "year": "2025",
    "kind": "annual",
    "fmt": "xlsx",
    "format": "xlsx",
    "period": "2025",
    "doc_format": "docx",
    "record_kind": "activity",
}


@dataclass(frozen=True)
class Measure:
    statements: int
    size: int
    status: int
    #: ORM rows loaded (the growth a constant number of statements can hide: one statement for every studio)
    loaded: int = 0


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    return Jurisdictions.load()


@pytest.fixture(scope="module")
def grown_url(database_template, tmp_path_factory) -> Iterator[str]:
    """A migrated database for this module (the synthetic data is built once for its tests)."""
    if PG_URL:
        yield PG_URL
        truncate(PG_URL)
        return
    path = tmp_path_factory.mktemp("growth") / "growth.db"
    shutil.copyfile(database_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture(scope="module")
def grown(grown_url, jurisdictions) -> Iterator[tuple]:
    """One database with a small (``-s``) and a large (``-l``) synthetic tenant per jurisdiction."""
    engine = make_engine(grown_url)
    sessions = make_session_factory(engine)
    per = len(jurisdictions.codes())
    synth(sessions, jurisdictions, studios=SMALL * per, seed=1, suffix="-s")
    synth(sessions, jurisdictions, studios=LARGE * per, seed=1, suffix="-l")
    with sessions() as session:
        tenant_ids = list(session.scalars(select(m.Tenant.id)))
    for tenant_id in tenant_ids:
        with sessions() as session:
            bind_tenant(session, tenant_id)
            # a finished job, so that its page is measured too
            session.add(
                m.Job(
                    kind="parameter_preview",
                    state="done",
                    params={},
                    done=1,
                    total=1,
                    attempts=1,
                    result={
                        "param_id": "x",
                        "value": "1",
                        "rows": [],
                        "totals": {
                            "studios": 1,
                            "grade_changed": 0,
                            "removals_changed": 0,
                            "funding_changed": 0,
                            "funding_before_fen": 0,
                            "funding_after_fen": 0,
                        },
                    },
                )
            )
            session.commit()
    with sessions() as session:
        from mingshi.core.demo import _user

        _user(session, "central", "中央数据分析员", ["central"], None)
        session.commit()
    # the reminders (what the worker writes every hour), so that the bell and the reminders list are measured with some
    from mingshi.core.services import notifications

    notifications.remind_all(sessions, jurisdictions, SYNTH_TODAY)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": served_url(grown_url),
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "growth",
            "MINGSHI_TODAY": SYNTH_TODAY,
        }
    )
    yield app, sessions
    app.extensions["mingshi"]["engine"].dispose()
    engine.dispose()


def _row_ids(sessions, code: str) -> dict[str, int]:
    ids: dict[str, int] = {}
    with sessions() as session:
        tid = session.scalar(select(m.Tenant.id).where(m.Tenant.code == code))
        bind_tenant(session, tid)
        studio_id = session.scalar(
            select(m.Studio.id).where(m.Studio.status == "active").order_by(m.Studio.id).limit(1)
        )
        for name, model in ROWS.items():
            stmt = select(model.id).order_by(model.id).limit(1)
            if model is m.Studio:
                stmt = select(m.Studio.id).where(m.Studio.id == studio_id)
            elif model is m.Person:
                # a member of the studio with the most attendance: the page that grew with a history
                stmt = (
                    select(m.Attendance.person_id)
                    .join(m.Activity, m.Activity.id == m.Attendance.activity_id)
                    .where(m.Activity.studio_id == studio_id)
                    .group_by(m.Attendance.person_id)
                    .order_by(func.count().desc(), m.Attendance.person_id)
                    .limit(1)
                )
            elif model is m.User:
                stmt = stmt.where(m.User.tenant_id == tid)
            elif hasattr(model, "studio_id"):
                stmt = stmt.where(model.studio_id == studio_id)
            elif model is m.Activity:
                stmt = stmt.where(m.Activity.studio_id == studio_id)
            row = session.scalar(stmt)
            if row is not None:
                ids[name] = row
    return ids


def _client(app, username: str):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


class Counter:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0
        self.loaded = 0

    def __enter__(self) -> Counter:
        from mingshi.core.db import Base

        event.listen(self.engine, "before_cursor_execute", self._count)
        event.listen(Base, "load", self._load, propagate=True)
        return self

    def _count(self, *_a) -> None:
        self.count += 1

    def _load(self, *_a) -> None:
        self.loaded += 1

    def __exit__(self, *_exc) -> None:
        from mingshi.core.db import Base

        event.remove(self.engine, "before_cursor_execute", self._count)
        event.remove(Base, "load", self._load)


def measure_routes(app, sessions, code: str) -> dict[str, Measure]:
    """Every GET route under ``/<tenant>/`` as the tenant's synthetic administrator."""
    ids = _row_ids(sessions, code)
    client = _client(app, f"{code}-admin")
    engine = app.extensions["mingshi"]["engine"]
    out: dict[str, Measure] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or "tenant" not in rule.arguments:
            continue
        values: dict[str, object] = {"tenant": code}
        if rule.arguments & NOT_SYNTHESIZED:
            continue
        for arg in rule.arguments - {"tenant"}:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg in PLAIN:
                values[arg] = PLAIN[arg]
            else:
                raise AssertionError(f"{rule.endpoint}: no value for <{arg}> (add it to ROWS or PLAIN)")
        with app.test_request_context():
            path = url_for(rule.endpoint, **values)
        # measured cold: a result kept by an earlier route (core/cache.py) would hide what this one computes
        cache.results.clear()
        with Counter(engine) as counter:
            response = client.get(path)
        out[rule.endpoint] = Measure(counter.count, len(response.get_data()), response.status_code, counter.loaded)
    return out


def growth(small: dict[str, Measure], large: dict[str, Measure]) -> list[str]:
    grows = []
    for endpoint, s in sorted(small.items()):
        lg = large[endpoint]
        if s.status != lg.status:
            grows.append(f"{endpoint}: status {s.status} → {lg.status}")
        if lg.statements > s.statements:
            grows.append(f"{endpoint}: {s.statements} → {lg.statements} statements")
        if endpoint not in EXPORTS | BOUNDED and lg.size > PAGE_FACTOR * s.size + PAGE_SLACK:
            grows.append(f"{endpoint}: {s.size:,} → {lg.size:,} bytes")
        if endpoint not in EXPORTS | LOADS_THE_TENANT and lg.loaded > LOAD_FACTOR * s.loaded + LOAD_SLACK:
            grows.append(f"{endpoint}: {s.loaded:,} → {lg.loaded:,} rows loaded")
    return grows


def test_no_get_route_grows_with_the_tenant(grown, jurisdictions, monkeypatch):
    from mingshi.core.services import applications, assessments, notifications, workspace
    from mingshi.web import jobs as job_views
    from mingshi.web import tenant as tenant_views

    # every list's page smaller than the small tenant: a page that shows more rows than a page grows
    for module, name in (
        (workspace, "STUDIO_PAGE"),
        (workspace, "ACTIVITY_PAGE"),
        (applications, "APPLICATION_PAGE"),
        (assessments, "TABLE_PAGE"),
        (tenant_views, "DASHBOARD_STUDIOS"),
        (job_views, "JOB_ROWS"),
        (notifications, "PAGE"),
    ):
        monkeypatch.setattr(module, name, 3)
    app, sessions = grown
    failures = []
    for code in jurisdictions.codes():
        small = measure_routes(app, sessions, f"{code}-s")
        large = measure_routes(app, sessions, f"{code}-l")
        broken = [f"{e} ({small[e].status})" for e in small if small[e].status >= 500]
        assert not broken, f"{code}: routes fail: {broken}"
        failures += [f"{code}: {line}" for line in growth(small, large)]
    assert not failures, "pages grow with the tenant (5 → 60 studios):\n" + "\n".join(failures)


def _studio_counts(sessions, code: str, period_end=None) -> tuple[int, int]:
    """Every studio of the tenant (with ``period_end``: those that ran by then — plaqued, not
    applications, as the dashboard counts them), and the active ones among them."""
    running = ("active", "completed", "disqualified")
    with sessions() as session:
        tid = session.scalar(select(m.Tenant.id).where(m.Tenant.code == code))
        bind_tenant(session, tid)
        query = select(func.count()).select_from(m.Studio)
        if period_end is not None:
            query = query.where(
                m.Studio.status.in_(running), m.Studio.cycle_start.is_not(None), m.Studio.cycle_start <= period_end
            )
        total = session.scalar(query)
        active = session.scalar(query.where(m.Studio.status == "active"))
    return total, active


def test_the_dashboard_counts_every_studio_not_the_first_page(grown, jurisdictions, monkeypatch):
    from mingshi.core.services import workspace as ws

    app, sessions = grown
    # a page smaller than the tenant: counting a page would show the page
    monkeypatch.setattr(ws, "STUDIO_PAGE", 7)
    code = f"{jurisdictions.codes()[0]}-l"
    today = app.config.get("MINGSHI_TODAY") or dt.date.today()
    period = ws.current_period(jurisdictions.get(jurisdictions.codes()[0]), today)
    total, active = _studio_counts(sessions, code, period.end)
    assert total > 7
    html = _client(app, f"{code}-admin").get(f"/{code}/").get_data(as_text=True)
    assert re.search(rf'id="studio-total">{total}<', html), "the dashboard does not count every studio"
    assert re.search(rf"<strong>{active}</strong>", html), f"the dashboard does not show {active} active studios"
    from mingshi.web import tenant as tenant_views

    monkeypatch.setattr(tenant_views, "DASHBOARD_STUDIOS", 3)
    html = _client(app, f"{code}-admin").get(f"/{code}/").get_data(as_text=True)
    assert html.count('<article class="card">') == 3, "the dashboard's quota cards are not bounded"


def test_the_studio_list_has_a_next_page(grown, jurisdictions):
    from mingshi.core.services import workspace as ws

    app, sessions = grown
    code = f"{jurisdictions.codes()[0]}-l"
    total, _active = _studio_counts(sessions, code)
    assert total > ws.STUDIO_PAGE
    client = _client(app, f"{code}-admin")
    seen: list[str] = []
    path = f"/{code}/studios"
    while path:
        html = client.get(path).get_data(as_text=True)
        names = re.findall(r'<td><a href="/[^"]+/studios/\d+/members">([^<]+)</a></td>', html)
        assert len(names) <= ws.STUDIO_PAGE
        seen += names
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        path = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == total, f"the pages list {len(seen)} of {total} studios"
    assert len(set(seen)) == len(seen), "a studio is listed on two pages"


def test_the_person_page_runs_a_constant_number_of_statements(grown, jurisdictions):
    """A person's page: the same statements for a person with a short and one with a long history."""
    app, sessions = grown
    code = f"{jurisdictions.codes()[0]}-l"
    with sessions() as session:
        tid = session.scalar(select(m.Tenant.id).where(m.Tenant.code == code))
        bind_tenant(session, tid)
        by_attendance = session.execute(
            select(m.Attendance.person_id, func.count())
            .join(m.Membership, m.Membership.person_id == m.Attendance.person_id)
            .where(m.Membership.role != "host")
            .group_by(m.Attendance.person_id)
            .order_by(func.count(), m.Attendance.person_id)
        ).all()
    (few, n_few), (many, n_many) = by_attendance[0], by_attendance[-1]
    assert n_many > 3 * n_few
    client = _client(app, f"{code}-admin")
    engine = app.extensions["mingshi"]["engine"]
    counts = []
    for person_id in (few, many):
        with Counter(engine) as counter:
            assert client.get(f"/{code}/people/{person_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], f"{n_few} attendances: {counts[0]} statements; {n_many}: {counts[1]}"


def test_the_central_drill_down_has_pages_not_a_cap(grown, jurisdictions, monkeypatch):
    """Central staff drill into a tenant's studios a page at a time, every studio reachable, in
    the same number of statements at both sizes."""
    from mingshi.core.services import workspace as ws

    app, sessions = grown
    monkeypatch.setattr(ws, "STUDIO_PAGE", 4)
    client = _client(app, "central")
    engine = app.extensions["mingshi"]["engine"]
    code = jurisdictions.codes()[0]
    counts = []
    for suffix in ("-s", "-l"):
        with Counter(engine) as counter:
            assert client.get(f"/central/{code}{suffix}/studios").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    total, _active = _studio_counts(sessions, f"{code}-l")
    seen: list[str] = []
    path = f"/central/{code}-l/studios"
    while path:
        html = client.get(path).get_data(as_text=True)
        rows = re.findall(r"<tr>\s*<td>([^<]+)</td>", html)
        assert len(rows) <= 4
        seen += rows
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        path = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == total == len(set(seen))
