"""Wenzhou 第五条(二)8: the explanation of duty 8 names which of the two kinds of activity is missing."""

from __future__ import annotations

import pytest

from tests.plugins.conftest import plugin_folders

CASES = {
    "wz.duty.8-both-paired-met": (),
    "wz.duty.8-study-only-unmet-fail": ("reading",),
    "wz.duty.8-reading-only-unmet-fail": ("study",),
    "wz.duty.8-both-outside-county-unmet-fail": ("study", "reading"),
}
WORDS = {
    "zh_CN": {"study": "校本研修活动", "reading": "专业阅读活动", "missing": "缺少："},
    "en": {"study": "school-based study", "reading": "professional reading", "missing": "missing: "},
}


@pytest.mark.skipif("wenzhou" not in plugin_folders(), reason="the wenzhou plugin is not installed")
@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("locale", sorted(WORDS))
def test_duty_8_names_what_is_missing(name, locale, runs) -> None:
    _, outcome = runs.run(plugin_folders()["wenzhou"] / "scenarios" / f"{name}.json")
    duty = next(c for c in outcome.evaluation.criteria if c.id == "wz.duty.8")
    text = duty.explanation.render(locale)
    words = WORDS[locale]
    assert words["study"] in text and words["reading"] in text  # both kinds are always counted
    if not CASES[name]:
        assert words["missing"] not in text
        assert (duty.value, duty.target) == (2, 2)
        return
    missing = text.split(words["missing"], 1)[1]
    for kind in ("study", "reading"):
        assert (words[kind] in missing) is (kind in CASES[name]), (kind, text)
    assert (duty.value, duty.target) == (2 - len(CASES[name]), 2)
