"""Every route of the application, requested by everyone who must not reach another tenant's data.

The routes come from ``app.url_map`` when the test runs, so a new route is covered the day it is
added. Its URL variables are filled by name: a variable that names a row (``studio_id``,
``membership_id`` …) with a row of tenant B (:data:`ROW_VARIABLES`), any other with a value that
is valid anywhere (:data:`PLAIN_VARIABLES`). A route with a variable in neither table fails
:func:`test_every_url_variable_is_known` with a message saying what to add; a route outside the
tenant area must be classified in :data:`PUBLIC`, :data:`SIGNED_IN` or :data:`CENTRAL_ONLY`.

Then, for every method a route accepts (POST with a valid CSRF token):

* each role of tenant A on B's URLs, and on A's URLs carrying B's ids → 403 or 404, no name of B
  in the body, nothing written in B's audit log;
* a host of A on A's studios they do not host → 403 or 404 for every change;
* anonymous → 302 to /login, or 401 with ``HX-Redirect`` for htmx;
* central staff (no tenant) on tenant URLs → 404; tenant users on the central area → 403 or 404.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.routing import Rule

from mingshi.core import models as m
from mingshi.core.tenancy import all_tenants, bind_tenant
from tests.web.conftest import Browser

# the demo application's fixtures (imported under other names: pytest registers them as app, visitor …)
from tests.web.conftest import app as _app  # noqa: F401
from tests.web.conftest import demo_template as _demo_template  # noqa: F401
from tests.web.conftest import demo_url as _demo_url  # noqa: F401
from tests.web.conftest import jurisdictions as _jurisdictions  # noqa: F401

A, B = "shenyang", "wenzhou"
ROLES = ("admin", "reviewer", "host", "member")

#: URL variables that name a row: the model whose row of tenant B fills it. Add yours here.
ROW_VARIABLES: dict[str, type] = {
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
    "user_id": m.User,
    "notification_id": m.Notification,
    "county_id": m.County,
    "honor_id": m.PersonHonor,
    "job_id": m.Job,
    # with record_kind "activity" below
    "record_id": m.Activity,
    "evidence_id": m.Evidence,
    "credit_id": m.CreditRecognition,
    "submission_id": m.DocumentSubmission,
}
#: URL variables that are not rows: a value that would be valid in any tenant. Add yours here.
PLAIN_VARIABLES: dict[str, str] = {
    "step": "reject",
    "code": "en",
    "year": "2026",
    "kind": "annual",
    "key": "studios",
    "fmt": "csv",
    "_anything": "studios",
    "record_kind": "activity",
    "doc_format": "pdf",
}
#: endpoints outside the tenant area that anyone may open
PUBLIC = {"auth.login", "auth.set_language", "health.healthz", "health.readyz"}
#: endpoints outside the tenant area for any signed-in user
SIGNED_IN = {"home.index", "auth.logout", "account.index", "account.password", "account.email"}
#: blueprints of the central staff's area (read across tenants; tenant users are refused)
CENTRAL_ONLY = {"central"}
REFUSED = {403, 404}


@dataclass(frozen=True)
class Target:
    rule: Rule
    method: str
    url: str


def _routes(app) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: (r.rule, r.endpoint))


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def _is_tenant_route(rule: Rule) -> bool:
    return "tenant" in rule.arguments and _blueprint(rule) not in CENTRAL_ONLY


def _blueprint(rule: Rule) -> str:
    return rule.endpoint.rpartition(".")[0]


def _unknown(rule: Rule) -> list[str]:
    return sorted(a for a in rule.arguments if a != "tenant" and a not in ROW_VARIABLES and a not in PLAIN_VARIABLES)


def _fill(rule: Rule, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): the URL variable {name!r} is unknown to "
                "tests/security/test_every_route.py — add it to ROW_VARIABLES (a row of another tenant) "
                "or PLAIN_VARIABLES (a value valid anywhere)"
            )
        return str(values[name])

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", value, rule.rule)


@dataclass
class World:
    tenant_ids: dict[str, int]
    b_rows: dict[str, int]
    b_names: set[str]
    a_other_studio: int


def _world(app) -> World:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant_ids = dict(session.execute(select(m.Tenant.code, m.Tenant.id)).all())
        b_tenant = session.get(m.Tenant, tenant_ids[B])
        b_rows: dict[str, int] = {}
        with factory() as b:
            bind_tenant(b, tenant_ids[B])
            used = {a for r in _routes(app) for a in r.arguments if a in ROW_VARIABLES}
            for name, model in ((n, ROW_VARIABLES[n]) for n in sorted(used)):
                query = select(model.id).order_by(model.id).limit(1)
                if model is m.User:  # users are not tenant rows: B's own
                    query = query.where(m.User.tenant_id == tenant_ids[B])
                row_id = b.scalar(query)
                if row_id is None and model is m.StudentAward:
                    row_id = _an_award(b)
                assert row_id is not None, f"tenant {B} has no {model.__name__} to fill {name!r}: add one to the demo"
                b_rows[name] = row_id
            names_b = _names(b)
        with factory() as a:
            bind_tenant(a, tenant_ids[A])
            names_a = _names(a)
            host = a.scalar(select(m.User).where(m.User.username == f"{A}-host"))
            hosted = set(
                a.scalars(
                    select(m.Membership.studio_id).where(
                        m.Membership.person_id == host.person_id, m.Membership.role == "host"
                    )
                )
            )
            other = a.scalar(select(m.Studio.id).where(m.Studio.id.not_in(hosted)).order_by(m.Studio.id).limit(1))
        # a name that tenant A also uses proves nothing when it appears
        b_names = {n for n in names_b - names_a if len(n) >= 2}
        b_names |= {b_tenant.name} | ({b_tenant.name_en} if b_tenant.name_en else set())
        assert len(b_names) > 20
        return World(tenant_ids, b_rows, b_names, other)


def _an_award(session) -> int:
    """Wenzhou's policy names no student competition, so its demo holds no award: one is written for
    the award routes' URLs (the correction routes of issue 13), a row of tenant B like any other."""
    studio = session.scalar(select(m.Studio).order_by(m.Studio.id).limit(1))
    person = session.scalar(select(m.Membership.person_id).where(m.Membership.studio_id == studio.id).limit(1))
    award = m.StudentAward(
        studio_id=studio.id,
        competition="other",
        level="municipal",
        rank="first",
        first_instructor_id=person,
        date=studio.cycle_start or dt.date(2026, 1, 1),
        student="乙方学生",
    )
    session.add(award)
    session.commit()
    return award.id


def _names(session) -> set[str]:
    return set(session.scalars(select(m.Studio.name))) | set(session.scalars(select(m.Person.name)))


def _audit_count(app, tenant_id: int) -> int:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        return session.scalar(
            select(func.count())
            .select_from(m.AuditEntry)
            .where(m.AuditEntry.tenant_id == tenant_id)
            .execution_options(**all_tenants("test: nothing was written"))
        )


def _request(browser: Browser, target: Target, htmx: bool = False):
    if target.method == "GET":
        return browser.get(target.url, htmx=htmx)
    headers = {"X-CSRFToken": browser.token}
    if htmx:
        headers["HX-Request"] = "true"
    return browser.client.open(target.url, method=target.method, data={"csrf_token": browser.token}, headers=headers)


def _targets(app, world: World, *, tenant: str, with_b_ids_only: bool = False) -> list[Target]:
    targets = []
    for rule in _routes(app):
        if not _is_tenant_route(rule):
            continue
        if with_b_ids_only and not (set(rule.arguments) & ROW_VARIABLES.keys()):
            continue
        url = _fill(rule, {"tenant": tenant, **world.b_rows, **PLAIN_VARIABLES})
        targets.extend(Target(rule, method, url) for method in _methods(rule))
    return targets


def _assert_refused(response, target: Target, world: World, who: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in REFUSED, f"{who}: {target.method} {target.url} → {response.status_code}"
    leaked = sorted(n for n in world.b_names if n in body)
    assert not leaked, f"{who}: {target.method} {target.url} shows {B}'s {leaked[:5]}"


# ---------------------------------------------------------------------------------------------


def test_every_url_variable_is_known(app) -> None:
    problems = [f"{r.endpoint} ({r.rule}): {', '.join(_unknown(r))}" for r in _routes(app) if _unknown(r)]
    assert not problems, (
        "URL variables unknown to tests/security/test_every_route.py — add each to ROW_VARIABLES "
        "(the model of the row it names) or PLAIN_VARIABLES (a value valid anywhere):\n" + "\n".join(problems)
    )


def test_every_route_outside_the_tenants_is_classified(app) -> None:
    loose = [
        f"{r.endpoint} ({r.rule})"
        for r in _routes(app)
        if not _is_tenant_route(r) and r.endpoint not in PUBLIC | SIGNED_IN and _blueprint(r) not in CENTRAL_ONLY
    ]
    assert not loose, (
        "routes outside /<tenant>/ must be classified in tests/security/test_every_route.py "
        "(PUBLIC, SIGNED_IN or CENTRAL_ONLY):\n" + "\n".join(loose)
    )


def test_the_route_table_is_not_empty(app) -> None:
    """A guard for the guards: the enumeration sees the workspace, the bureau and the new pages."""
    endpoints = {r.endpoint for r in _routes(app)}
    assert {"tenant.members", "tenant.edit_member", "tenant.edit_studio", "tenant.audit_log"} <= endpoints
    assert sum(1 for r in _routes(app) if _is_tenant_route(r)) >= 20


@pytest.mark.parametrize("role", ROLES)
def test_tenant_a_never_reaches_tenant_b(app, role) -> None:
    world = _world(app)
    before = _audit_count(app, world.tenant_ids[B])
    browser = Browser(app)
    assert browser.login(f"{A}-{role}").status_code == 302
    who = f"{A}-{role}"
    targets = _targets(app, world, tenant=B) + _targets(app, world, tenant=A, with_b_ids_only=True)
    assert len(targets) > 30
    for target in targets:
        _assert_refused(_request(browser, target), target, world, who)
        _assert_refused(_request(browser, target, htmx=True), target, world, who + " (htmx)")
    assert _audit_count(app, world.tenant_ids[B]) == before


def test_a_host_changes_no_studio_but_their_own(app) -> None:
    world = _world(app)
    browser = Browser(app)
    browser.login(f"{A}-host")
    before = _audit_count(app, world.tenant_ids[A])  # after the sign-in, which is audited
    values = {"tenant": A, **world.b_rows, **PLAIN_VARIABLES, "studio_id": world.a_other_studio}
    checked = 0
    for rule in _routes(app):
        if not _is_tenant_route(rule) or "studio_id" not in rule.arguments or "POST" not in _methods(rule):
            continue
        url = _fill(rule, values)
        response = _request(browser, Target(rule, "POST", url))
        assert response.status_code in REFUSED, f"{A}-host: POST {url} → {response.status_code}"
        checked += 1
    assert checked >= 10
    assert _audit_count(app, world.tenant_ids[A]) == before


def test_anonymous_is_sent_to_sign_in_everywhere(app) -> None:
    world = _world(app)
    browser = Browser(app)
    browser.get("/login")  # a CSRF token of the anonymous session, so that POSTs reach the sign-in check
    targets = _targets(app, world, tenant=B)
    for rule in _routes(app):
        if not _is_tenant_route(rule) and rule.endpoint not in PUBLIC:
            url = _fill(rule, {"tenant": B, **world.b_rows, **PLAIN_VARIABLES})
            targets.extend(Target(rule, method, url) for method in _methods(rule))
    for target in targets:
        response = _request(browser, target)
        assert response.status_code == 302, f"anonymous: {target.method} {target.url} → {response.status_code}"
        assert response.headers["Location"].startswith("/login"), target.url
        htmx = _request(browser, target, htmx=True)
        if target.rule.endpoint == "home.index":  # the front door redirects by itself
            continue
        assert htmx.status_code == 401, f"anonymous htmx: {target.method} {target.url} → {htmx.status_code}"
        assert htmx.headers["HX-Redirect"].startswith("/login"), target.url


def test_central_staff_get_404_on_tenant_urls(app) -> None:
    world = _world(app)
    browser = Browser(app)
    assert browser.login("central").status_code == 302
    for tenant in (A, B):
        for target in _targets(app, world, tenant=tenant):
            response = _request(browser, target)
            assert response.status_code == 404, f"central: {target.method} {target.url} → {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_tenant_users_are_refused_the_central_area(app, role) -> None:
    world = _world(app)
    browser = Browser(app)
    browser.login(f"{A}-{role}")
    for rule in _routes(app):
        if _blueprint(rule) not in CENTRAL_ONLY:
            continue
        url = _fill(rule, {"tenant": B, **world.b_rows, **PLAIN_VARIABLES})
        for method in _methods(rule):
            target = Target(rule, method, url)
            _assert_refused(_request(browser, target), target, world, f"{A}-{role}")
