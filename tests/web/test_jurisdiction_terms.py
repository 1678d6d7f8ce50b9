"""The jurisdiction's own words (issue 13, observation 9): the workspace offers the activity and output
types and site fields the tenant's jurisdiction declares (hook ``mingshi_terms``), never the union of all
cities, and the server refuses one it does not declare with a message on the field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from tests.web.conftest import studio_of


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


@pytest.mark.parametrize("city", ["shenyang", "wenzhou", "lianyungang", "wushen"])
def test_only_the_jurisdictions_activity_types_are_offered(visitor, app, jurisdictions, city) -> None:
    visitor.login(f"{city}-admin")
    studio = studio_of(app, city)
    j = jurisdictions.get(city)
    html = visitor.get(f"/{city}/studios/{studio.id}/activities").get_data(as_text=True)
    offered = _options(html, "type")
    assert offered == [t.code for t in j.terms.activity_types]
    assert len(offered) < len(j.vocabulary.codes("activity_types"))
    outputs = _options(visitor.get(f"/{city}/studios/{studio.id}/outputs").get_data(as_text=True), "type")
    assert outputs == [t.code for t in j.terms.output_types]


def test_wenzhou_does_not_offer_lianyungangs_science_week(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    html = visitor.get(f"/wenzhou/studios/{studio.id}/activities").get_data(as_text=True)
    assert "science_popularization" not in _options(html, "type")
    assert "科普周" not in html


def test_a_type_the_jurisdiction_does_not_declare_is_refused(visitor, app) -> None:
    visitor.login("wenzhou-admin")
    studio = studio_of(app, "wenzhou")
    response = visitor.post(
        f"/wenzhou/studios/{studio.id}/activities",
        {
            "title": "科普日活动",
            "date": "2026-11-10",
            "type": "science_popularization",
            "mode": "offline",
            "scope": "studio",
        },
        htmx=True,
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "科普日活动" in text  # what the user typed is kept
    assert "不是本地政策规定的类型" in text
    output = visitor.post(
        f"/wenzhou/studios/{studio.id}/outputs",
        {"title": "年度预算报告", "date": "2026-11-10", "type": "budget_report"},
        htmx=True,
    )
    assert output.status_code == 422


def test_only_lianyungang_asks_for_the_site(visitor) -> None:
    visitor.login("lianyungang-admin")
    assert 'name="site_area_m2"' in visitor.get("/lianyungang/applications").get_data(as_text=True)
    visitor.login("shenyang-admin")
    assert 'name="site_area_m2"' not in visitor.get("/shenyang/applications").get_data(as_text=True)


def test_a_site_field_the_jurisdiction_does_not_ask_for_is_refused(visitor, app) -> None:
    visitor.login("shenyang-admin")
    host = _a_person(app, "shenyang")
    form = {"name": "新工作室", "kind": "studio", "site_area_m2": "60", "host_person_id": str(host)}
    response = visitor.post("/shenyang/applications", form, htmx=True)
    assert response.status_code == 422
    assert "本地政策未要求填写此项" in response.get_data(as_text=True)
    del form["site_area_m2"]
    assert visitor.post("/shenyang/applications", form).status_code == 302


def _a_person(app, city: str) -> int:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == city))
        bind_tenant(session, tenant.id)
        return session.scalars(select(m.Person.id).order_by(m.Person.id)).first()
