"""``mingshi new-jurisdiction``: a new jurisdiction as an installable package that passes its own
tests at once — hook implementations with two small rules citing their articles, dated
parameters, a zh_CN catalog (English is the source), four scenario files on both sides of the
rules, demo data, the contract suite and a README for the author.

The package imports only :mod:`mingshi.jurisdiction`. The rules are placeholders to replace with
the policy's own; their articles say so.
"""

from __future__ import annotations

import datetime as dt
import json
import keyword
import re
from pathlib import Path
from string import Template

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from mingshi.core.hookspecs import CONTRACT_VERSION

CODE = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldError(ValueError):
    pass


#: the explanations of the scaffold's rules: English source → zh_CN
MESSAGES = {
    "%(value)s members on %(date)s, at least %(target)s required": (
        "%(date)s共有成员%(value)s人，要求不少于%(target)s人"
    ),
    "%(period)s: %(value)s activities held, at least %(target)s required": (
        "%(period)s开展活动%(value)s次，要求不少于%(target)s次"
    ),
    "%(year)s: %(amount)s yuan of special funds": "%(year)s年拨付专项经费%(amount)s元",
    "%(year)s: no funds, the assessment of %(prev)s failed": "%(year)s年不拨付经费：%(prev)s年度考核不合格",
}

FILES: dict[str, str] = {
    "pyproject.toml": """\
[build-system]
requires = ["setuptools>=77", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "mingshi-$code"
version = "0.1.0"
description = "The $code jurisdiction for mingshi ($name): its policy's rules, each citing its article."
requires-python = ">=3.11"
dependencies = ["mingshi>=$mingshi_min,<$mingshi_max"]

# mingshi finds jurisdictions only through this entry-point group; the name is the code.
[project.entry-points."mingshi.jurisdictions"]
$code = "$package"

[tool.setuptools]
packages = ["$package"]

[tool.setuptools.package-data]
"$package" = ["translations/**/*.po", "translations/**/*.mo", "scenarios/*.json"]
""",
    "README.md": """\
# mingshi-$code — $name

A jurisdiction plugin for mingshi (contract $contract). It was made by
`mingshi new-jurisdiction $code --name $name`; replace the two example rules with the policy's own.

```sh
pip install -e .                                  # mingshi finds it by its entry point
pytest                                            # the contract suite and the scenario files
mingshi evaluate $package/scenarios/*.json --check
mingshi tenant create $code --jurisdiction $code --name $name
mingshi demo --no-serve                           # a demo tenant from $package/demo.py
```

- `$package/__init__.py` — the hook implementations (see mingshi's `docs/plugins.md`).
- `$package/info.py` — who the jurisdiction is, its policy document and its rules, each with its article.
- `$package/parameters.py` — interpretation choices as dated parameters, each with its article.
- `$package/rules.py` — the rules; every explanation is a sentence through `_()`.
- `$package/translations/` — the zh_CN catalog (English is the source). After adding sentences:
  `pybabel extract -o messages.pot $package && pybabel update -i messages.pot -d $package/translations
  -D $package -l zh_Hans_CN`, translate, then `pybabel compile -d $package/translations -D $package -l zh_Hans_CN`.
- `$package/scenarios/` — scenario files with `expect` blocks, on both sides of every rule.
- `$package/demo.py` — the places and schools of the demo tenant.
- `tests/test_${code}_contract.py` — mingshi's contract suite, run against this package.

Import only from `mingshi.jurisdiction`: the contract suite fails on anything else.
""",
    "tests/test_${code}_contract.py": """\
\"\"\"mingshi's contract suite, run against this jurisdiction (see mingshi.testing).\"\"\"

from mingshi.testing import ContractSuite


class TestContract(ContractSuite):
    jurisdiction = "$code"
""",
    "$package/__init__.py": """\
\"\"\"$name: the hook implementations of the $code jurisdiction.\"\"\"

from mingshi.jurisdiction import hookimpl

from . import rules
from .demo import DEMO
from .info import INFO, RULES
from .parameters import PARAMETERS
from .terms import TERMS


@hookimpl
def mingshi_jurisdiction():
    return INFO


@hookimpl
def mingshi_parameters():
    return PARAMETERS


@hookimpl
def mingshi_rules():
    return RULES


@hookimpl
def mingshi_check_application(facts, on):
    return rules.check_application(facts, on)


@hookimpl
def mingshi_assess(facts, period, kind):
    return rules.assess(facts, period)


@hookimpl
def mingshi_funding(facts, period, kind, evaluation):
    return rules.funding(facts, period, evaluation)


@hookimpl
def mingshi_quotas(facts, period):
    return [rules.activities(facts, period)]


@hookimpl
def mingshi_allocation(facts, year):
    return rules.allocation(facts, year)


@hookimpl
def mingshi_demo_data():
    return DEMO


@hookimpl
def mingshi_terms():
    return TERMS
""",
    "$package/terms.py": """\
\"\"\"The jurisdiction's own words (hook ``mingshi_terms``): the activity and output types its
workspace offers and the site fields it asks for, each with the article naming it (empty: the policy
names none). Replace with the policy's; add a ``Judgement`` for each per-person judgement it asks for.\"\"\"

from mingshi.jurisdiction import Terms, terms

TERMS = Terms(
    activity_types=terms(
        {"seminar": "第二条", "open_class": "第二条", "lecture": "第二条", "training": "第二条", "other": ""}
    ),
    output_types=terms({"paper": "第二条", "teaching_design": "第二条", "other": ""}),
    site_fields=(),
)
""",
    "$package/i18n.py": """\
\"\"\"This jurisdiction's sentences, translated through its own catalog.\"\"\"

from pathlib import Path

from mingshi.jurisdiction import Translator

_ = Translator("$package", Path(__file__).parent / "translations")
""",
    "$package/info.py": """\
\"\"\"Who the jurisdiction is, its policy document and its rules, each with its article.\"\"\"

import datetime as dt

from mingshi.jurisdiction import JurisdictionInfo, Label, PolicyVersion, RuleDef

INFO = JurisdictionInfo(
    code="$code",
    name=Label("$name", "$name_en"),
    policy_title="$policy",
    policy_version="$today",
    studio_kinds={"studio": Label("工作室", "studio")},
    cycle_years_param="$code.cycle_years",
    annual_period="calendar_year",
    evaluations=("application", "annual", "cycle"),
    contract=$contract,
    policy_versions=(PolicyVersion("$today", "$policy", dt.date.fromisoformat("$today")),),
)

RULES = [
    RuleDef("$code.team.size", "第一条", Label("团队人数", "team size"), "composition"),
    RuleDef("$code.activities", "第二条", Label("年度活动次数", "activities a year"), "quota"),
    RuleDef("$code.funding", "第三条", Label("专项经费", "special funds"), "funding"),
]
""",
    "$package/parameters.py": """\
\"\"\"Interpretation choices as dated parameters, each with its article (replace with the policy's).\"\"\"

import datetime as dt

from mingshi.jurisdiction import Label, ParameterDef

SINCE = dt.date.fromisoformat("$today")

PARAMETERS = [
    ParameterDef("$code.cycle_years", "int", "第四条", Label("建设周期（年）", "cycle (years)"), ((SINCE, "3"),)),
    ParameterDef(
        "$code.team.min_members", "int", "第一条", Label("最少成员人数", "fewest members"), ((SINCE, "3"),)
    ),
    ParameterDef(
        "$code.activities.min", "int", "第二条", Label("每年最少活动次数", "fewest activities a year"), ((SINCE, "4"),)
    ),
    ParameterDef("$code.funding.annual", "money", "第三条", Label("每年专项经费", "funds a year"), ((SINCE, "10000"),)),
]
""",
    "$package/rules.py": """\
\"\"\"The rules of the $code jurisdiction. Two examples to replace with the policy's own:

- ``$code.team.size`` (第一条): at least ``$code.team.min_members`` members on the day of the check;
- ``$code.activities`` (第二条): at least ``$code.activities.min`` activities in the assessed year;
- ``$code.funding`` (第三条): ``$code.funding.annual`` a year, none after a failed year.
\"\"\"

from mingshi.jurisdiction import (
    Consequence,
    Criterion,
    Evaluation,
    Funding,
    Grade,
    calendar_year,
    counted,
    format_fen,
    status_of,
)

from .i18n import _


def team_size(facts, on):
    members = [ms for ms in facts.memberships if ms.role != "host" and ms.active_on(on)]
    target = int(facts.param("$code.team.min_members", on))
    text = _("%(value)s members on %(date)s, at least %(target)s required", value=len(members), date=on, target=target)
    return Criterion("$code.team.size", status_of(len(members) >= target), "第一条", text, len(members), target)


def activities(facts, period):
    found = facts.activities_in(period)
    held = len(found)
    target = int(facts.param("$code.activities.min", period.end))
    text = _(
        "%(period)s: %(value)s activities held, at least %(target)s required",
        period=period.key,
        value=held,
        target=target,
    )
    # counted: the records behind the number, for the reviewer's 查看原始材料
    return Criterion(
        "$code.activities", status_of(held >= target), "第二条", text, held, target, counted=counted(found)
    )


def check_application(facts, on):
    criterion = team_size(facts, on)
    return Evaluation(Grade.PASS if criterion.status == "met" else Grade.FAIL, [criterion])


def assess(facts, period):
    criterion = activities(facts, period)
    grade = Grade.PASS if criterion.status == "met" else Grade.FAIL
    consequences = []
    if grade == Grade.FAIL and period.kind == "year":
        stop = _("%(year)s: no funds, the assessment of %(prev)s failed", year=period.end.year + 1, prev=period.key)
        consequences.append(Consequence("funding_stopped", "$code.funding", "第三条", stop, year=period.end.year + 1))
    return Evaluation(grade, [criterion], consequences=consequences)


def funding(facts, period, evaluation):
    year = period.end.year + 1
    if evaluation.grade == Grade.FAIL:
        text = _("%(year)s: no funds, the assessment of %(prev)s failed", year=year, prev=period.key)
        return Funding(0, "第三条", text, year)
    amount = int(facts.param("$code.funding.annual", period.end))
    text = _("%(year)s: %(amount)s yuan of special funds", year=year, amount=format_fen(amount))
    return Funding(amount, "第三条", text, year)


def allocation(facts, year):
    \"\"\"The first year of the cycle is funded on the plaque; later years follow the assessment (the default).\"\"\"
    start = facts.studio.cycle_start
    if start is None or year != start.year:
        return None
    amount = int(facts.param("$code.funding.annual", calendar_year(year).start))
    text = _("%(year)s: %(amount)s yuan of special funds", year=year, amount=format_fen(amount))
    return Funding(amount, "第三条", text, year)
""",
    "$package/demo.py": """\
\"\"\"The demo tenant of this jurisdiction (hook ``mingshi_demo_data``): replace with real places.\"\"\"

from mingshi.jurisdiction import DemoData, DemoSchool

DEMO = DemoData(
    counties=("$short城区", "$short东县", "$short西县"),
    schools=(
        DemoSchool("$short第一中学", "$short城区", False, "secondary"),
        DemoSchool("$short实验小学", "$short城区", False, "primary"),
        DemoSchool("$short东县第二中学", "$short东县", True, "secondary"),
        DemoSchool("$short西县中心小学", "$short西县", True, "primary"),
    ),
    themes=("课堂教学改革", "教师专业发展"),
    activity_types=("seminar", "open_class", "lecture", "training"),
    output_types=("paper", "teaching_design"),
)
""",
}


def _scenario(code: str, name: str, today: dt.date, *, kind: str, members: int, activities: int, expect: dict) -> dict:
    year = today.year - 1
    people = [
        {
            "id": f"p{i}",
            "name": f"教师{i}",
            "sex": "F",
            "born": "1980-01-01",
            "school": "s1",
            "position": "teacher",
            "title": "senior" if i == 1 else "intermediate",
            "backbone_level": "municipal",
            "honors": [],
        }
        for i in range(1, members + 2)
    ]
    data = {
        "jurisdiction": code,
        "description": f"{members} members, {activities} activities in {year}",
        "evaluate": {"kind": "annual", "year": year}
        if kind == "annual"
        else {"kind": "application", "date": f"{year}-01-15"},
        "studio": {"kind": "studio", "name": f"{name}示例工作室", "county": "城区", "cycle_start": f"{year}-01-01"},
        "schools": [{"id": "s1", "name": f"{name}第一中学", "rural": False, "county": "城区"}],
        "people": people,
        "members": [{"person": "p1", "role": "host", "joined": f"{year}-01-01"}]
        + [{"person": p["id"], "role": "member", "joined": f"{year}-01-01"} for p in people[1:]],
        "activities": [
            {
                "id": f"a{i}",
                "date": f"{year}-{i + 2:02d}-10",
                "type": "seminar",
                "mode": "offline",
                "scope": "studio",
                "led_by": ["p1"],
                "title": f"第{i}次研讨",
                "attendance": [],
            }
            for i in range(1, activities + 1)
        ],
        "outputs": [],
        "attestations": {},
        "findings": [],
        "expenses": [],
        "expect": expect,
    }
    return data


def scaffold(
    code: str,
    name: str,
    target: Path,
    *,
    name_en: str | None = None,
    policy: str | None = None,
    today: dt.date | None = None,
    mingshi_version: str = "0.2",
) -> Path:
    """Write the package ``mingshi-<code>`` under ``target``; returns its folder."""
    if not CODE.match(code) or keyword.iskeyword(code):
        raise ScaffoldError(
            f"code {code!r}: lower-case letters, digits and _, starting with a letter (2–31 characters)"
        )
    if not name.strip():
        raise ScaffoldError("--name: the jurisdiction's name is required, e.g. 第五市")
    folder = target / f"mingshi-{code}"
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another folder or remove it")
    today = today or dt.date.today()
    package = f"mingshi_{code}"
    major, minor = (int(x) for x in mingshi_version.split(".")[:2])
    values = {
        "code": code,
        "package": package,
        "name": name.strip(),
        "name_en": (name_en or code.replace("_", " ").title()).replace('"', "'"),
        "short": name.strip().removesuffix("市"),
        "policy": (policy or f"{name.strip()}名师工作室管理办法").replace('"', "'"),
        "today": today.isoformat(),
        "contract": str(CONTRACT_VERSION),
        "mingshi_min": f"{major}.{minor}",
        "mingshi_max": f"{major}.{minor + 1}",
    }
    for raw_path, text in FILES.items():
        path = folder / Template(raw_path).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    _catalog(folder / package / "translations", package)
    scenarios = folder / package / "scenarios"
    scenarios.mkdir()
    cases = {
        f"{code}.team.size-3-met": dict(
            kind="application",
            members=3,
            activities=0,
            expect={"grade": "pass", "criteria": {f"{code}.team.size": "met"}},
        ),
        f"{code}.team.size-2-unmet": dict(
            kind="application",
            members=2,
            activities=0,
            expect={"grade": "fail", "criteria": {f"{code}.team.size": "unmet"}},
        ),
        f"{code}.activities-4-met": dict(
            kind="annual",
            members=3,
            activities=4,
            expect={"grade": "pass", "criteria": {f"{code}.activities": "met"}, "funding": "10000.00"},
        ),
        f"{code}.activities-3-unmet": dict(
            kind="annual",
            members=3,
            activities=3,
            expect={
                "grade": "fail",
                "criteria": {f"{code}.activities": "unmet"},
                "consequences": ["funding_stopped"],
                "funding": "0.00",
            },
        ),
    }
    for stem, case in cases.items():
        data = _scenario(code, values["short"], today, **case)
        (scenarios / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def _catalog(folder: Path, domain: str) -> None:
    catalog = Catalog(locale="zh_Hans_CN", domain=domain, project=domain, charset="utf-8")
    for msgid, msgstr in MESSAGES.items():
        catalog.add(msgid, msgstr, flags=("python-format",))
    out = folder / "zh_Hans_CN" / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"{domain}.po").open("wb") as fh:
        write_po(fh, catalog)
    with (out / f"{domain}.mo").open("wb") as fh:
        write_mo(fh, catalog)
