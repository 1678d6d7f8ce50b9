"""The contract suite: what every jurisdiction plugin must satisfy, as a pytest plugin.

Run it against an installed jurisdiction without writing a test::

    pytest -p mingshi.testing --jurisdiction fifth

or keep it in the package's own tests (this is what the four cities do)::

    # tests/test_contract.py
    from mingshi.testing import ContractSuite

    class TestContract(ContractSuite):
        jurisdiction = "fifth"

It checks that every hook answers with the right types; every rule and criterion is declared and
cites an article; every explanation exists in zh_CN and en; parameters have dated defaults and an
article; the scenario files in the package's ``scenarios/`` folder pass their ``expect`` blocks
in both languages; removals are stable on a re-run; and the hooks are pure — no database, no
network, no clock, no request (the source is read for them, and each hook is called twice under
an audit hook that refuses connections and writes, and must answer the same).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import importlib.metadata
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mingshi.core import scenario
from mingshi.core.hookspecs import CONTRACT_VERSION
from mingshi.core.i18n import Text
from mingshi.core.periods import Period, calendar_year
from mingshi.core.plugins import ENTRY_POINT_GROUP, Jurisdiction, Jurisdictions
from mingshi.core.rules.facts import StudioFact, StudioFacts
from mingshi.core.rules.jurisdiction import (
    TERM_KINDS,
    DemoData,
    Judgement,
    JurisdictionInfo,
    PolicyVersion,
    RuleDef,
    Term,
    Terms,
)
from mingshi.core.rules.params import ParameterDef
from mingshi.core.rules.results import Credit, Criterion, Evaluation, FirstYear, Funding, Removal
from mingshi.core.services.evaluation import Outcome
from mingshi.core.vocab import Vocabulary

__all__ = ["Contract", "ContractSuite", "contract_for"]

CJK = re.compile(r"[\u3400-\u9fff]")
#: what a pure hook never needs: names a plugin's source must not import or call
IMPURE_IMPORTS = ("sqlalchemy", "flask", "requests", "socket", "urllib", "http", "psycopg", "sqlite3", "subprocess")
IMPURE_CALLS = ("date.today", "datetime.now", "datetime.today", "datetime.utcnow", "time.time", "time.monotonic")
#: what a plugin may import of mingshi
PUBLIC_MODULE = "mingshi.jurisdiction"


class Contract:
    """One installed jurisdiction with its package folder and its scenario runs (each run once)."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.jurisdictions = Jurisdictions.load(only=[code])
        self.jurisdiction: Jurisdiction = self.jurisdictions.get(code)
        module = importlib.import_module(self.jurisdiction.source.value.split(":")[0])
        if module.__file__ is None:
            raise pytest.UsageError(f"jurisdiction {code!r} is not a package on disk")
        self.module = module
        self.folder = Path(module.__file__).parent
        self._runs: dict[Path, tuple[dict[str, Any], Outcome]] = {}

    def scenario_files(self) -> list[Path]:
        return sorted((self.folder / "scenarios").glob("*.json"))

    def run(self, path: Path) -> tuple[dict[str, Any], Outcome]:
        if path not in self._runs:
            data = scenario.validate(scenario.read_file(path), self.jurisdictions, str(path))
            self._runs[path] = (data, scenario.run(data, self.jurisdictions))
        return self._runs[path]

    def outcomes(self) -> Iterator[tuple[Path, Outcome]]:
        for path in self.scenario_files():
            yield path, self.run(path)[1]

    def source_files(self) -> list[Path]:
        return sorted(p for p in self.folder.rglob("*.py") if "scenarios" not in p.relative_to(self.folder).parts)


@cache
def contract_for(code: str) -> Contract:
    """The contract of an installed jurisdiction (``pytest.UsageError`` if it is not installed)."""
    installed = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if code not in installed:
        raise pytest.UsageError(
            f"jurisdiction {code!r} is not installed (installed: {', '.join(sorted(installed)) or 'none'}); "
            "pip install its package first"
        )
    return Contract(code)


def _credits(contract: Contract, outcome: Outcome) -> list[Credit]:
    """The credits the jurisdiction proposes from an assessed end-of-cycle outcome ([] for any other)."""
    if outcome.spec.kind != "cycle" or not outcome.assessed:
        return []
    # as the core stores it: the per-member results with their status (removed by a rule or not)
    stored = dataclasses.replace(outcome.evaluation, members=outcome.members)
    return contract.jurisdiction.credits(facts=outcome.facts, period=outcome.period, evaluation=stored)


def _documents(contract: Contract, outcome: Outcome) -> set[str]:
    """The codes of the documents the jurisdiction requires of the scenario's studio in the years of its
    period (hook ``mingshi_required_documents``): with the studio's activities, and ahead of any
    (the per-activity documents a host may file before an activity to come)."""
    facts = outcome.facts
    codes: set[str] = set()
    for year in range(outcome.period.start.year, outcome.period.end.year + 1):
        for activities in (facts.activities, ()):
            required = contract.jurisdiction.required_documents(
                studio=facts.studio, year=year, activities=activities, params=facts.params
            )
            codes.update(d.code for d in required)
    return codes


def _texts(outcome: Outcome) -> list[tuple[str, Text]]:
    ev = outcome.evaluation
    found = [(c.id, c.explanation) for c in ev.criteria]
    found += [(c.id, c.explanation) for mr in ev.members for c in mr.criteria]
    found += [(c.rule, c.explanation) for c in ev.consequences]
    found += [(r.rule, r.reason) for r in ev.removals]
    if outcome.funding is not None:
        found.append(("funding", outcome.funding.explanation))
    return found


class _Impure(RuntimeError):
    pass


_GUARD = {"on": False}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _GUARD["on"]:
        return
    if event in ("socket.connect", "sqlite3.connect", "subprocess.Popen", "os.system", "socket.getaddrinfo"):
        _GUARD["on"] = False
        raise _Impure(f"a hook must be pure: it attempted {event} {args[:2]!r}")
    if event == "open" and len(args) > 1 and isinstance(args[1], str) and any(c in args[1] for c in "wax+"):
        _GUARD["on"] = False
        raise _Impure(f"a hook must be pure: it opened {args[0]!r} for writing")


_AUDIT_INSTALLED = {"done": False}


@contextmanager
def pure() -> Iterator[None]:
    """Refuse network, database, process and file writes while a hook runs."""
    if not _AUDIT_INSTALLED["done"]:
        sys.addaudithook(_audit)
        _AUDIT_INSTALLED["done"] = True
    _GUARD["on"] = True
    try:
        yield
    finally:
        _GUARD["on"] = False


def _removal_key(r: Removal) -> tuple[str, str, dt.date]:
    return (r.person, r.rule, r.date)


class ContractSuite:
    """The contract suite; subclass it with ``jurisdiction = "<code>"`` (or run
    ``pytest -p mingshi.testing --jurisdiction CODE``)."""

    #: the entry-point name of the jurisdiction under test
    jurisdiction: str = ""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        codes = [self.jurisdiction] if self.jurisdiction else list(metafunc.config.getoption("mingshi_jurisdiction"))
        if not codes:
            raise pytest.UsageError("ContractSuite: set `jurisdiction = '<code>'` or pass --jurisdiction CODE")
        if "scenario_path" not in metafunc.fixturenames:
            metafunc.parametrize("jurisdiction_code", codes, scope="class")
        else:
            cases = [(c, p) for c in codes for p in contract_for(c).scenario_files()]
            metafunc.parametrize(
                ("jurisdiction_code", "scenario_path"),
                cases,
                ids=[f"{c}/{p.stem}" for c, p in cases],
                scope="function",
            )

    @pytest.fixture
    def contract(self, jurisdiction_code: str) -> Contract:
        return contract_for(jurisdiction_code)

    # -- description ----------------------------------------------------------------------------
    def test_it_describes_itself(self, contract: Contract) -> None:
        j = contract.jurisdiction
        info = j.info
        assert isinstance(info, JurisdictionInfo)
        assert info.code == contract.code, "JurisdictionInfo.code must equal the entry-point name"
        assert info.contract == CONTRACT_VERSION
        assert info.name.zh and info.name.en
        assert info.policy_title and info.policy_version
        assert info.studio_kinds, "name at least one studio kind"
        assert set(info.evaluations) <= {"application", "annual", "cycle"}
        assert info.cycle_years_param in {p.id for p in j.parameters}, "cycle_years_param must be a parameter"
        versions = info.versions()
        assert all(isinstance(v, PolicyVersion) for v in versions)
        assert len({v.key for v in versions}) == len(versions)
        assert isinstance(j.vocabulary, Vocabulary)
        assert isinstance(j.demo_data, DemoData)
        assert set(j.demo_data.activity_types) <= set(j.vocabulary.codes("activity_types"))
        assert set(j.demo_data.output_types) <= set(j.vocabulary.codes("output_types"))
        assert j.demo_data.schools and j.demo_data.themes and j.demo_data.counties

    def test_its_own_words_are_in_the_vocabulary_in_both_languages(self, contract: Contract) -> None:
        """Hook ``mingshi_terms``: the activity and output types and site fields offered, each a code of
        the vocabulary labelled in zh_CN and en, and each per-person judgement an attestation rule."""
        j = contract.jurisdiction
        terms = j.terms
        assert isinstance(terms, Terms)
        for kind in TERM_KINDS:
            declared = terms.of(kind)
            if declared is None:
                continue
            assert all(isinstance(t, Term) and isinstance(t.basis, str) for t in declared), kind
            codes = [t.code for t in declared]
            assert len(codes) == len(set(codes)), f"{kind}: a code declared twice"
            for code in codes:
                label = j.vocabulary.kinds.get(kind, {}).get(code)
                assert label is not None, f"{kind}: {code!r} is not in the vocabulary"
                assert label.zh and label.en and CJK.search(label.zh), f"{kind}: {code!r} needs zh_CN and en labels"
        for judgement in terms.judgements:
            assert isinstance(judgement, Judgement)
            rule = j.rules.get(judgement.rule)
            assert rule is not None and rule.attestation, f"{judgement.rule}: not a declared attestation rule"
            assert judgement.basis.strip(), f"{judgement.rule}: no article"
        offered_demo = set(j.offered("activity_types")), set(j.offered("output_types"))
        assert set(j.demo_data.activity_types) <= offered_demo[0], "the demo records a type the workspace refuses"
        assert set(j.demo_data.output_types) <= offered_demo[1], "the demo records a type the workspace refuses"

    def test_every_rule_cites_its_article(self, contract: Contract) -> None:
        rules = contract.jurisdiction.rules
        assert rules, "declare the rules (hook mingshi_rules)"
        for rule in rules.values():
            assert isinstance(rule, RuleDef)
            assert rule.basis.strip(), f"{rule.id}: no article"
            assert rule.title.zh and rule.title.en, f"{rule.id}: a title in zh_CN and en"

    def test_parameters_have_dated_defaults_and_articles(self, contract: Contract) -> None:
        ids = [p.id for p in contract.jurisdiction.parameters]
        assert len(ids) == len(set(ids))
        for p in contract.jurisdiction.parameters:
            assert isinstance(p, ParameterDef)
            assert p.basis.strip(), f"{p.id}: no article or convention"
            assert p.description.zh and p.description.en, f"{p.id}: a description in zh_CN and en"
            assert p.defaults and all(isinstance(d, dt.date) for d, _ in p.defaults), f"{p.id}: dated defaults"

    # -- the hooks on an empty studio -----------------------------------------------------------
    def test_hooks_answer_with_the_right_types(self, contract: Contract) -> None:
        j = contract.jurisdiction
        params = j.paramset()
        kind = next(iter(j.info.studio_kinds))
        start = dt.date(2025, 9, 1)
        studio = StudioFact(key="contract", name="contract", kind=kind, cycle_start=start)
        facts = StudioFacts(jurisdiction=j.code, studio=studio, as_of=dt.date(2026, 8, 31), params=params)
        with pure():
            check = j.check_application(facts=facts, on=start)
        assert isinstance(check, Evaluation)
        for kind_ in [k for k in j.info.evaluations if k != "application"]:
            with pure():
                period = j.assessment_period(studio=studio, kind=kind_, year=2026, params=params)
                evaluation = j.assess(facts=facts, period=period, kind=kind_)
                funding = j.funding(facts=facts, period=period, kind=kind_, evaluation=evaluation)
            assert isinstance(period, Period)
            assert isinstance(evaluation, Evaluation)
            assert all(isinstance(c, Criterion) for c in evaluation.criteria)
            assert isinstance(funding, Funding) and isinstance(funding.amount_fen, int)
        if "annual" in j.info.evaluations:
            with pure():
                annual = j.annual_period(year=2026, params=params)
                first = j.first_year(studio=studio, period=j.annual_period(year=2025, params=params), params=params)
            assert isinstance(annual, Period) and annual.start <= annual.end
            assert first is None or (isinstance(first, FirstYear) and first.basis.strip())
        with pure():
            quotas = j.quotas(facts=facts, period=calendar_year(2026))
            removals = j.member_removals(facts=facts, on=dt.date(2026, 8, 31))
            allocation = j.allocation(facts=facts, year=start.year, params=params)
            version = j.policy_version(studio=studio, kind="annual", period=calendar_year(2026))
        assert all(isinstance(c, Criterion) for c in quotas)
        assert all(isinstance(r, Removal) for r in removals)
        assert allocation is None or isinstance(allocation, Funding)
        assert isinstance(version, PolicyVersion)

    # -- the scenario files ---------------------------------------------------------------------
    def test_the_package_ships_scenarios(self, contract: Contract) -> None:
        assert len(contract.scenario_files()) >= 2, "ship scenario files on both sides of each rule in scenarios/"

    def test_scenario(self, contract: Contract, scenario_path: Path) -> None:
        data, outcome = contract.run(scenario_path)
        assert data.get("expect"), f"{scenario_path.name} has no expect block"
        for locale in ("zh_CN", "en"):
            assert scenario.check(outcome.to_json(locale), data["expect"]) == []

    def test_every_scenario_records_only_the_types_the_workspace_offers(self, contract: Contract) -> None:
        """A scenario's activities and outputs are of the types the jurisdiction declares (``mingshi_terms``):
        a type its policy does not name could never be entered, so a scenario built on it proves nothing."""
        j = contract.jurisdiction
        kinds = (("activities", "activity_types"), ("outputs", "output_types"))
        offered = {key: set(j.offered(kind)) for key, kind in kinds}
        wrong = [
            f"{path.name}: {key} {record.get('id', '?')} is a {record.get('type')!r}"
            for path in contract.scenario_files()
            for key, codes in offered.items()
            for record in scenario.read_file(path).get(key) or ()
            if record.get("type") not in codes
        ]
        assert not wrong, f"types the workspace does not offer: {wrong}"

    def test_every_rule_appears_in_some_scenario(self, contract: Contract) -> None:
        seen: set[str] = set()
        for _path, outcome in contract.outcomes():
            ev = outcome.evaluation
            seen.update(c.id for c in ev.criteria)
            seen.update(c.id for mr in ev.members for c in mr.criteria)
            seen.update(c.rule for c in ev.consequences)
            seen.update(r.rule for r in ev.removals)
            if outcome.funding is not None:  # the funding hook answers the jurisdiction's funding rules
                seen.update(r.id for r in contract.jurisdiction.rules.values() if r.kind == "funding")
            seen.update(c.rule for c in _credits(contract, outcome))
            seen.update(_documents(contract, outcome))
        missing = set(contract.jurisdiction.rules) - seen
        assert not missing, f"rules no scenario exercises: {sorted(missing)}"

    def test_every_explanation_has_a_chinese_and_an_english_form(self, contract: Contract) -> None:
        missing = set()
        for _path, outcome in contract.outcomes():
            for c in outcome.evaluation.criteria:
                assert c.basis.strip(), f"{c.id}: the criterion cites no article"
            for rule_id, text in _texts(outcome):
                assert text.translator is not None, f"{rule_id}: explanation is not from a catalog: {text.msgid!r}"
                assert not CJK.search(text.msgid), f"{rule_id}: the English form is Chinese: {text.msgid!r}"
                if not text.translator.has_translation(text.msgid, "zh_CN"):
                    missing.add((rule_id, text.msgid))
                text.render("en")
        assert not missing, f"untranslated explanations: {sorted(missing)}"

    def test_credits_are_exact_explained_and_name_members(self, contract: Contract) -> None:
        """``mingshi_credits`` (where the jurisdiction answers it): exact Decimal amounts ≥ 0 with at most two
        places, each person once and a member of the studio, a declared rule, an article, an explanation from
        the plugin's catalog in both languages — and pure."""
        missing = set()
        for path, outcome in contract.outcomes():
            with pure():
                found = _credits(contract, outcome)
            people = [c.person for c in found]
            assert len(people) == len(set(people)), f"{path.name}: a person is credited twice"
            members = {ms.person.key for ms in outcome.facts.memberships}
            for c in found:
                assert isinstance(c.credits, Decimal) and c.credits.is_finite(), (path.name, c)
                assert c.credits >= 0 and c.credits.as_tuple().exponent >= -2, (path.name, c)  # type: ignore[operator]
                assert c.person in members, f"{path.name}: {c.person} is not a member of the studio"
                assert c.rule in contract.jurisdiction.rules, f"{path.name}: undeclared rule {c.rule}"
                assert c.basis.strip(), f"{c.rule}: the credit cites no article"
                assert c.explanation.translator is not None, f"{c.rule}: {c.explanation.msgid!r} is not from a catalog"
                if not c.explanation.translator.has_translation(c.explanation.msgid, "zh_CN"):
                    missing.add(c.explanation.msgid)
        assert not missing, f"untranslated credit explanations: {sorted(missing)}"

    # -- purity and stability -------------------------------------------------------------------
    def test_removals_are_stable_on_a_rerun(self, contract: Contract) -> None:
        for path, outcome in contract.outcomes():
            facts, on = outcome.facts, outcome.period.end
            with pure():
                first = sorted(map(_removal_key, contract.jurisdiction.member_removals(facts=facts, on=on)))
                again = sorted(map(_removal_key, contract.jurisdiction.member_removals(facts=facts, on=on)))
            assert first == again, f"{path.name}: removals differ between two runs"
            removed = {person: date for person, _rule, date in first}
            if not removed:
                continue
            after = dataclasses.replace(
                facts,
                memberships=tuple(
                    dataclasses.replace(ms, left=removed[ms.person.key], removal_rule="applied")
                    if ms.person.key in removed and ms.left is None
                    else ms
                    for ms in facts.memberships
                ),
            )
            with pure():
                rerun = contract.jurisdiction.member_removals(facts=after, on=on)
            for r in rerun:
                assert r.person not in removed or r.date == removed[r.person], (
                    f"{path.name}: {r.person} removed again with another date after the removal was applied"
                )

    def test_hooks_are_pure_and_deterministic(self, contract: Contract) -> None:
        j = contract.jurisdiction
        for path, outcome in contract.outcomes():
            kind = outcome.spec.kind
            with pure():
                if kind == "application":
                    assert outcome.spec.date is not None
                    a = j.check_application(facts=outcome.facts, on=outcome.spec.date)
                    b = j.check_application(facts=outcome.facts, on=outcome.spec.date)
                else:
                    a = j.assess(facts=outcome.facts, period=outcome.period, kind=kind)
                    b = j.assess(facts=outcome.facts, period=outcome.period, kind=kind)
            assert _shape(a) == _shape(b), f"{path.name}: two calls with the same facts answer differently"

    def test_the_source_reads_no_database_clock_or_request(self, contract: Contract) -> None:
        problems: list[str] = []
        for file in contract.source_files():
            tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
            for node in ast.walk(tree):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top in IMPURE_IMPORTS:
                        problems.append(f"{file.name}:{node.lineno} imports {name}")
                    if top == "mingshi" and name != PUBLIC_MODULE:
                        problems.append(f"{file.name}:{node.lineno} imports {name}; import from {PUBLIC_MODULE}")
                if isinstance(node, ast.Call):
                    called = ast.unparse(node.func)
                    if any(called == c or called.endswith("." + c) for c in IMPURE_CALLS):
                        problems.append(f"{file.name}:{node.lineno} calls {called}() (hooks get their dates)")
        assert not problems, "\n".join(problems)


def _shape(evaluation: Evaluation) -> Any:
    return (
        str(evaluation.grade),
        [
            (c.id, str(c.status), repr(c.value), repr(c.target), c.basis, c.explanation.msgid)
            for c in evaluation.criteria
        ],
        [(r.person, r.rule, r.date) for r in evaluation.removals],
        [(c.type, c.rule, c.person, c.year) for c in evaluation.consequences],
    )


# ---------------------------------------------------------------------------------------------
# the pytest plugin: ``pytest -p mingshi.testing --jurisdiction CODE``


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mingshi")
    group.addoption(
        "--jurisdiction",
        action="append",
        default=[],
        dest="mingshi_jurisdiction",
        metavar="CODE",
        help="run mingshi's contract suite against this installed jurisdiction (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("mingshi_jurisdiction", default=None):
        config.args.append(str(Path(__file__).with_name("suite.py")))
