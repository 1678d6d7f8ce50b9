"""Plugin discovery through entry points, the contract checks, and routing to one jurisdiction."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from mingshi.core.hookspecs import CONTRACT_VERSION
from mingshi.core.periods import calendar_year
from mingshi.core.plugins import ENTRY_POINT_GROUP, GENERIC_DEMO, Jurisdictions, PluginLoadError
from mingshi.core.rules.facts import StudioFact, StudioFacts

CITIES = ["lianyungang", "shenyang", "wenzhou", "wushen"]


def test_the_four_cities_are_found_through_entry_points() -> None:
    loaded = Jurisdictions.load()
    assert loaded.codes() == CITIES
    for j in loaded.all():
        assert j.source.value == f"mingshi_{j.code}"
        assert j.source.distribution == f"mingshi-{j.code}"
        assert j.info.code == j.code
        assert j.info.policy_title
        assert j.rules, j.code
        assert all(rule.id.split(".")[0] in {"lyg", "sy", "wz", "ws"} for rule in j.rules.values())


def test_each_call_reaches_only_its_own_plugin() -> None:
    loaded = Jurisdictions.load()
    titles = {j.code: j.info.policy_title for j in loaded.all()}
    assert len(set(titles.values())) == 4
    prefixes = {j.code: {r.split(".")[0] for r in j.rules} for j in loaded.all()}
    assert prefixes == {"lianyungang": {"lyg"}, "shenyang": {"sy"}, "wenzhou": {"wz"}, "wushen": {"ws"}}


def _install_fake_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, module_source: str) -> None:
    """A distribution on sys.path with an entry point in our group, exactly as a third party ships one."""
    (tmp_path / f"{name}_city.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = tmp_path / f"{name}_city-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-city\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name} = {name}_city\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))


def test_a_plugin_that_fails_to_import_is_reported_by_name(tmp_path, monkeypatch) -> None:
    _install_fake_distribution(tmp_path, monkeypatch, "broken", "raise ImportError('no module named cityrules')\n")
    with pytest.raises(PluginLoadError, match=r"jurisdiction plugin 'broken' \(broken_city\) failed to load"):
        Jurisdictions.load(only=["broken"])


def test_a_misspelled_hook_is_reported_by_name(tmp_path, monkeypatch) -> None:
    _install_fake_distribution(
        tmp_path,
        monkeypatch,
        "typo",
        """
        from mingshi.core.hookspecs import hookimpl

        @hookimpl
        def mingshi_jurisdicton():
            return None
        """,
    )
    with pytest.raises(PluginLoadError, match="typo"):
        Jurisdictions.load(only=["typo"])


def test_a_plugin_missing_required_hooks_is_refused(tmp_path, monkeypatch) -> None:
    _install_fake_distribution(
        tmp_path,
        monkeypatch,
        "partial",
        """
        from mingshi.core.hookspecs import hookimpl

        @hookimpl
        def mingshi_parameters():
            return []
        """,
    )
    with pytest.raises(PluginLoadError, match="'partial' does not implement mingshi_jurisdiction"):
        Jurisdictions.load(only=["partial"])


def test_a_fifth_city_is_one_more_distribution(tmp_path, monkeypatch) -> None:
    """Nothing in the core changes for a new city: it is found, described and asked like the others."""
    _install_fake_distribution(
        tmp_path,
        monkeypatch,
        "fifth",
        """
        import datetime as dt
        from mingshi.jurisdiction import (EPOCH, Criterion, Evaluation, Funding, Grade, JurisdictionInfo, Label,
                                          ParameterDef, PolicyVersion, RuleDef, Text, hookimpl, status_of)

        @hookimpl
        def mingshi_jurisdiction():
            return JurisdictionInfo(code="fifth", name=Label("第五市", "Fifth"), policy_title="办法",
                                    policy_version="2026-01-01", studio_kinds={"studio": Label("工作室", "studio")},
                                    cycle_years_param="f.cycle_years", contract=1,
                                    policy_versions=(
                                        PolicyVersion("2020", "办法", dt.date(2020, 1, 1), "第五发〔2020〕1号"),
                                        PolicyVersion("2026", "办法（修订）", dt.date(2026, 1, 1), "第五发〔2026〕2号"),
                                    ))

        @hookimpl
        def mingshi_parameters():
            return [ParameterDef("f.cycle_years", "int", "第一条", Label("周期", "cycle"), ((EPOCH, "2"),))]

        @hookimpl
        def mingshi_rules():
            return [RuleDef("f.activities", "第二条", Label("活动", "activities"), "quota")]

        @hookimpl
        def mingshi_check_application(facts, on):
            return Evaluation(Grade.PASS)

        @hookimpl
        def mingshi_assess(facts, period, kind):
            n = len(facts.activities_in(period))
            return Evaluation(Grade.PASS if n else Grade.FAIL,
                              [Criterion("f.activities", status_of(n > 0), "第二条", Text("%(n)s", {"n": n}), n, 1)])

        @hookimpl
        def mingshi_funding(facts, period, kind, evaluation):
            return Funding(0, "第三条", Text("none"))
        """,
    )
    loaded = Jurisdictions.load(only=["fifth"])
    fifth = loaded.get("fifth")
    assert loaded.codes() == ["fifth"]
    assert fifth.source.distribution == "fifth-city"
    assert fifth.info.name.en == "Fifth"
    assert [p.id for p in fifth.parameters][-1] == "f.cycle_years"
    # the defaults the core composes where the plugin says nothing
    params = fifth.paramset()
    studio = StudioFact(key="s", name="s", kind="studio", cycle_start=dt.date(2025, 3, 1))
    assert fifth.annual_period(year=2026, params=params) == calendar_year(2026)
    assert fifth.assessment_period(studio=studio, kind="annual", year=2026, params=params) == calendar_year(2026)
    assert fifth.demo_data.counties  # the generic demo city
    # the policy version in force on the cycle's first day
    assert fifth.policy_version(studio=studio, kind="annual", period=calendar_year(2026)).key == "2020"
    later = StudioFact(key="t", name="t", kind="studio", cycle_start=dt.date(2026, 1, 1))
    version = fifth.policy_version(studio=later, kind="annual", period=calendar_year(2026))
    assert (version.key, version.number, version.date) == ("2026", "第五发〔2026〕2号", dt.date(2026, 1, 1))
    # the allocation: no rule for the first year; later years follow the previous year's assessment
    facts = StudioFacts(jurisdiction="fifth", studio=studio, as_of=dt.date(2025, 12, 31), params=params)
    assert fifth.allocation(facts=facts, year=2025, params=params) is None
    funding = fifth.allocation(facts=facts, year=2026, params=params)
    assert funding is not None and (funding.amount_fen, funding.basis) == (0, "第三条")


_MINIMAL = """
    from mingshi.jurisdiction import Evaluation, Funding, Grade, JurisdictionInfo, Label, RuleDef, Text, hookimpl

    @hookimpl
    def mingshi_jurisdiction():
        return JurisdictionInfo(code="{code}", name=Label("市", "City"), policy_title="办法", policy_version="1",
                                {contract})

    @hookimpl
    def mingshi_parameters():
        return []

    @hookimpl
    def mingshi_rules():
        return [RuleDef("x.a", "第一条", Label("甲", "a"), "quota")]

    @hookimpl
    def mingshi_check_application(facts, on):
        return Evaluation(Grade.PASS)

    @hookimpl
    def mingshi_assess(facts, period, kind):
        return Evaluation(Grade.PASS)

    @hookimpl
    def mingshi_funding(facts, period, kind, evaluation):
        return Funding(0, "第一条", Text("none"))
"""


@pytest.mark.parametrize(
    ("code", "contract", "said"),
    [("older", "contract=99,", "contract 99"), ("undeclared", "", "no contract version")],
)
def test_a_plugin_built_for_another_contract_is_refused_by_name(tmp_path, monkeypatch, code, contract, said) -> None:
    _install_fake_distribution(tmp_path, monkeypatch, code, _MINIMAL.format(code=code, contract=contract))
    with pytest.raises(PluginLoadError, match=rf"jurisdiction plugin '{code}' \({code}_city\) was built for {said}; "):
        Jurisdictions.load(only=[code])


def test_the_plugin_answers_its_annual_period_for_central_without_a_studio() -> None:
    wushen = Jurisdictions.load(only=["wushen"]).get("wushen")
    period = wushen.annual_period(year=2026, params=wushen.paramset())
    assert (period.start, period.end) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))


def test_every_city_declares_this_contract_and_its_demo() -> None:
    for j in Jurisdictions.load().all():
        assert j.info.contract == CONTRACT_VERSION
        assert j.demo_data is not GENERIC_DEMO, j.code
        vocab = j.vocabulary
        assert set(j.demo_data.activity_types) <= set(vocab.codes("activity_types")), j.code
        assert set(j.demo_data.output_types) <= set(vocab.codes("output_types")), j.code


def test_the_public_module_names_everything_the_rules_package_offers() -> None:
    import mingshi.core.rules
    import mingshi.jurisdiction

    assert set(mingshi.core.rules.__all__) <= set(mingshi.jurisdiction.__all__)
    for name in mingshi.jurisdiction.__all__:
        assert hasattr(mingshi.jurisdiction, name), name
