"""Observation 6 of issue 13: previewing any parameter of any city answers a sentence, never "None"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from mingshi.core.rules.params import ParameterDef
from tests.bureau.conftest import tenant_of  # noqa: F401 - fixture
from tests.web.conftest import TODAY

CITIES = ("shenyang", "lianyungang", "wenzhou", "wushen")


def changed(definition: ParameterDef, current: str) -> str:
    """A different valid value of the parameter (its kind's next value within its bounds)."""
    value = definition.parse(current)
    if definition.kind == "int":
        candidate = value + 1
        if definition.maximum is not None and candidate > definition.maximum:
            candidate = value - 1
        return str(candidate)
    if definition.kind == "ratio":
        return str(value / 2 if value > 0 else Decimal("0.5"))
    if definition.kind == "decimal":
        return str(value + 1)
    if definition.kind == "money":
        return definition.to_text(value + 100)
    if definition.kind == "month_day":  # a week later (or earlier) in the same month
        month, day = (int(x) for x in current.split("-"))
        return f"{month:02d}-{day + 7 if day <= 21 else day - 7:02d}"
    if definition.kind == "list":
        return definition.to_text(value[:-1] if len(value) > 1 else (*value, "另一项"))
    return current + "（调整）"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("code", CITIES)
def test_every_parameter_preview_is_a_sentence_without_none(visitor, app, tenant_of, code) -> None:  # noqa: F811
    t = tenant_of(code)
    jurisdiction = t.jurisdictions.get(t.tenant.jurisdiction)
    params = jurisdiction.paramset({})
    definitions = list(jurisdiction.parameters)
    t.close()
    visitor.login(f"{code}-admin")
    kind = "annual" if "annual" in jurisdiction.info.evaluations else "cycle"
    assert definitions
    for definition in definitions:
        value = changed(definition, definition.to_text(params.value(definition.id, TODAY)))
        response = visitor.post(
            f"/{code}/parameters/preview",
            {"param_id": definition.id, "value": value, "kind": kind, "year": ""},
            htmx=True,
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (definition.id, value, response.status_code, _text(html)[-400:])
        assert 'id="preview"' in html, definition.id
        heading = re.search(
            r"<h3>(.*?)</h3>\s*(?:<div class=\"table-wrap\">\s*)?<table class=\"table compact\" id=\"preview\"",
            html,
            re.S,
        )
        assert heading is not None, definition.id
        sentence = _text(heading.group(1)).strip()
        assert "None" not in sentence and sentence.endswith(("：", ":")), (definition.id, sentence)
        assert "None" not in _text(html), (definition.id, value)


def test_a_value_that_makes_the_periods_impossible_is_refused_with_a_message(visitor, app) -> None:
    """A spring semester starting after the autumn one answered a 500 without a message."""
    visitor.login("wushen-admin")
    response = visitor.post(
        "/wushen/parameters/preview",
        {"param_id": "common.spring_start", "value": "10-01", "kind": "annual", "year": ""},
        htmx=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "无法按此值划分考核期间" in _text(html)


def test_previewing_on_an_assessment_the_city_does_not_have_is_refused_in_words(visitor, app) -> None:
    """Wenzhou has no annual assessment: the refusal is a sentence in the user's language, not a code."""
    visitor.login("wenzhou-admin")
    response = visitor.post(
        "/wenzhou/parameters/preview",
        {"param_id": "wz.trainee.max_unexcused", "value": "3", "kind": "annual", "year": ""},
        htmx=True,
    )
    text = _text(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "has no annual evaluation" not in text and "温州市没有年度考核" in text
