"""Background jobs end to end: the parameter impact preview over every studio, on the queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import jobs
from mingshi.core import models as m
from mingshi.core.services import parameters as params_service
from mingshi.core.services.access import actor_for
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import TODAY


@pytest.fixture(autouse=True)
def immediate_queue(monkeypatch):
    """Each job runs at once when its request commits (Huey's immediate mode, in memory)."""
    monkeypatch.setenv("MINGSHI_QUEUE_URL", "memory://")
    jobs.reset_queue()
    yield
    jobs.reset_queue()


def _text(response) -> str:
    return response.get_data(as_text=True)


def _job_url(response) -> str:
    location = response.headers.get("HX-Redirect") or response.headers["Location"]
    assert re.search(r"/wenzhou/jobs/\d+$", location), location
    return location


def test_the_impact_preview_runs_as_a_job_and_shows_who_flips(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    response = visitor.post(
        "/wenzhou/parameters/impact", {"param_id": "wz.funding.cycle", "value": "30000", "kind": "cycle"}
    )
    assert response.status_code == 303
    url = _job_url(response)
    page = _text(visitor.get(url))
    assert 'data-state="done"' in page and 'id="impact"' in page
    assert "¥20,000.00" in page and "¥30,000.00" in page
    # the same answer as the synchronous preview (the demo has fewer studios than its cap)
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        bind_tenant(session, tenant.id)
        job = session.scalar(select(m.Job).where(m.Job.id == int(url.rsplit("/", 1)[1])))
        assert job.state == "done" and job.attempts == 1 and job.done == job.total == job.result["totals"]["studios"]
        rows = params_service.preview(
            session,
            app.extensions["mingshi"]["jurisdictions"],
            param_id="wz.funding.cycle",
            raw="30000",
            kind="cycle",
            year=None,
        )
        changed = {r.studio.id for r in rows if r.changed}
        assert changed == {r["studio_id"] for r in job.result["rows"]} and changed
        assert job.result["totals"]["funding_changed"] == len(changed)


def test_a_bad_proposal_is_refused_before_any_job(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    response = visitor.post("/wenzhou/parameters/impact", {"param_id": "wz.funding.cycle", "value": "abc"})
    assert response.status_code == 422 and 'value="abc"' in _text(response)
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        bind_tenant(session, tenant.id)
        assert session.scalar(select(m.Job).where(m.Job.state != "done")) is None


def test_a_failed_job_shows_its_reason_and_can_be_retried(visitor, app, monkeypatch) -> None:
    calls = []
    original = jobs.KINDS["parameter_preview"]

    def flaky(ctx):
        calls.append(ctx.job.id)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return original.run(ctx)

    monkeypatch.setitem(
        jobs.KINDS, "parameter_preview", jobs.JobKind(original.code, original.label, flaky, original.allowed)
    )
    visitor.login("wenzhou-admin")
    url = _job_url(
        visitor.post("/wenzhou/parameters/impact", {"param_id": "wz.funding.cycle", "value": "30000", "kind": "cycle"})
    )
    page = _text(visitor.get(url))
    assert 'data-state="failed"' in page and "the database went away" in page and "/retry" in page
    retried = visitor.post(url + "/retry")
    assert retried.status_code == 303
    page = _text(visitor.get(url))
    assert 'data-state="done"' in page and 'id="impact"' in page
    assert len(calls) == 2
    assert visitor.post(url + "/retry").status_code == 409  # a finished job is not run again


def test_the_page_polls_while_the_job_waits(visitor, app, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "_send", lambda tenant_id, job_id: None)  # no worker takes it
    visitor.login("wenzhou-admin")
    url = _job_url(
        visitor.post("/wenzhou/parameters/impact", {"param_id": "wz.funding.cycle", "value": "30000", "kind": "cycle"})
    )
    page = _text(visitor.get(url, htmx=True))
    assert 'data-state="queued"' in page and 'hx-trigger="every 1s"' in page and "<html" not in page


def test_only_the_administrator_starts_or_sees_the_preview(visitor, app) -> None:
    visitor.login("wenzhou-reviewer")
    assert (
        visitor.post(
            "/wenzhou/parameters/impact", {"param_id": "wz.funding.cycle", "value": "30000", "kind": "cycle"}
        ).status_code
        == 403
    )
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        bind_tenant(session, tenant.id)
        demo_job = session.scalar(select(m.Job.id))
        user = session.scalar(select(m.User).where(m.User.username == "wenzhou-reviewer"))
        with pytest.raises(Exception, match="may not"):
            jobs.enqueue(session, "parameter_preview", actor_for(session, user, today=TODAY), {})
    assert visitor.get(f"/wenzhou/jobs/{demo_job}").status_code == 404


def test_running_all_assessments_is_a_job_with_progress(visitor, app, monkeypatch) -> None:
    """考核全部工作室: the proposal is a job whose progress counts the studios; a failure is reported
    with its reason and a retry runs it again."""
    from mingshi.core.services import assessments

    visitor.login("wenzhou-admin")
    reported: list[tuple[int, int | None]] = []
    real = assessments.run_proposal_job

    def failing_once(ctx):
        if not reported:
            reported.append((-1, None))
            raise RuntimeError("the database went away")
        original = ctx.progress

        def progress(done, total):
            reported.append((done, total))
            original(done, total)

        ctx.progress = progress
        return real(ctx)

    import dataclasses

    monkeypatch.setitem(
        jobs.KINDS, "assessment_proposal", dataclasses.replace(jobs.KINDS["assessment_proposal"], run=failing_once)
    )
    response = visitor.post("/wenzhou/assessments/proposal?kind=cycle")
    assert response.status_code == 303
    url = response.headers["Location"]
    failed = _text(visitor.get(url))
    assert 'data-state="failed"' in failed and "the database went away" in failed and "重试" in failed
    retried = visitor.post(url + "/retry")
    assert retried.status_code == 303
    done = _text(visitor.get(url))
    assert 'data-state="done"' in done and 'id="proposal-table"' in done
    total = reported[-1][1]
    assert total and reported[1] == (0, total) and reported[-1] == (total, total)
    assert re.search(rf'<progress id="job-progress" max="{total}" value="{total}"', done)
