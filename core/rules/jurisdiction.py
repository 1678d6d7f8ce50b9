"""How a jurisdiction describes itself and its rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from mingshi.core.rules.results import Grade
from mingshi.core.vocab import Label

#: what a rule is about; the web groups rules by it
RULE_KINDS = (
    "application",
    "composition",
    "quota",
    "assessment",
    "individual",
    "removal",
    "funding",
    "operation",
)


@dataclass(frozen=True)
class RuleDef:
    """One rule of the digest: its id, the article it comes from and what it asks, in both languages."""

    id: str
    basis: str
    title: Label
    kind: str
    #: the rule (or a part of it) is a judgement a reviewer records (an attestation)
    attestation: bool = False
    #: advisory only: gives a notice, never a refusal
    advisory: bool = False

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"{self.id}: unknown rule kind {self.kind!r}")


@dataclass(frozen=True)
class JurisdictionInfo:
    """What a jurisdiction plugin says of itself (hook ``mingshi_jurisdiction``)."""

    #: equal to the plugin's entry-point name, e.g. ``shenyang``
    code: str
    name: Label
    #: the policy document: title as printed, issuing date or version, document number
    policy_title: str
    policy_version: str
    policy_number: str | None = None
    policy_title_en: str | None = None
    #: studio kinds it runs, code → label (工作坊/工作室 …)
    studio_kinds: Mapping[str, Label] = field(default_factory=dict)
    #: what its members are called: member (成员) or trainee (学员)
    member_role: str = "member"
    member_label: Label = Label("成员", "member")  # noqa: RUF009 - Label is frozen
    studio_label: Label = Label("工作室", "studio")  # noqa: RUF009 - Label is frozen
    #: the parameter that holds the cycle length in years
    cycle_years_param: str = ""
    #: annual assessments cover a ``calendar_year`` or the ``school_year`` ending in the year
    annual_period: str = "calendar_year"
    #: the grades it gives and their local labels; the codes are the core's normalized scale
    grade_labels: Mapping[Grade, Label] = field(
        default_factory=lambda: {
            Grade.EXCELLENT: Label("优秀", "excellent"),
            Grade.PASS: Label("合格", "pass"),
            Grade.FAIL: Label("不合格", "fail"),
            Grade.PENDING: Label("待定", "pending"),
        }
    )
    #: the parameter that holds the days of an application's public notice (公示)
    notice_days_param: str = "common.notice_days"
    #: the parameter that holds how many applications each county may recommend in a year (0: no limit)
    county_quota_param: str | None = None
    #: the kinds of evaluation it answers: annual, cycle, application
    evaluations: tuple[str, ...] = ("application", "annual", "cycle")
    #: the version of the plugin contract (:data:`mingshi.jurisdiction.CONTRACT_VERSION`) the plugin
    #: was written for, as a literal; the core refuses a plugin built for another (0: not declared)
    contract: int = 0
    #: dated versions of the policy; empty: the one document named by ``policy_*`` above
    policy_versions: tuple[PolicyVersion, ...] = ()

    def versions(self) -> tuple[PolicyVersion, ...]:
        """The policy's versions, oldest first (at least one)."""
        if self.policy_versions:
            return tuple(sorted(self.policy_versions, key=lambda v: v.effective_from))
        try:
            issued: dt.date | None = dt.date.fromisoformat(self.policy_version)
        except ValueError:
            issued = None
        return (
            PolicyVersion(
                self.policy_version, self.policy_title, dt.date.min, self.policy_number, issued, self.policy_title_en
            ),
        )


@dataclass(frozen=True)
class PolicyVersion:
    """One dated version of a jurisdiction's policy document (e.g. a revision of an earlier text).

    A studio is assessed under the version that applies to its cycle (hook
    ``mingshi_policy_version``; by default the latest version in force on the cycle's first day),
    and every result names the version's document number and date.
    """

    #: a short key, unique within the jurisdiction (e.g. ``2023``)
    key: str
    title: str
    #: the date the version takes effect
    effective_from: dt.date
    #: the document number as printed (文号), if it has one
    number: str | None = None
    #: the date the document was issued, if different from ``effective_from``
    issued: dt.date | None = None
    title_en: str | None = None

    @property
    def date(self) -> dt.date | None:
        """The document's date as printed on it, if known."""
        if self.issued:
            return self.issued
        return None if self.effective_from == dt.date.min else self.effective_from


@dataclass(frozen=True)
class DemoSchool:
    name: str
    county: str
    rural: bool = False
    #: ``primary``, ``secondary``, ``vocational``, ``kindergarten`` …
    stage: str = "primary"


@dataclass(frozen=True)
class DemoData:
    """What a jurisdiction gives ``mingshi demo`` (hook ``mingshi_demo_data``): the places, schools
    and themes of a realistic demo tenant. The core generates the people, studios and a year of
    activity from it with a fixed seed, through the same services as the application."""

    counties: tuple[str, ...]
    schools: tuple[DemoSchool, ...]
    #: studio themes, one per demo studio
    themes: tuple[str, ...]
    #: codes of the jurisdiction's vocabulary the demo records
    activity_types: tuple[str, ...]
    output_types: tuple[str, ...]
    competitions: tuple[str, ...] = ()
    honors: tuple[str, ...] = ()
    #: each studio serves one of ``counties`` and takes its members from there (温州 送教)
    studio_serves_county: bool = False
    #: the position of the first demo studio's host (``teacher``, ``researcher`` 教研员 …)
    first_host_position: str = "teacher"
    #: the studio's site where the policy asks for one: (area m², height m, seats)
    site: tuple[int, int, int] | None = None


#: the kinds of the vocabulary a jurisdiction narrows to its own words (hook ``mingshi_terms``)
TERM_KINDS = ("activity_types", "output_types", "site_fields")
#: who may record a per-person judgement: the studio's host, a reviewer, the city administrator
JUDGES = ("host", "reviewer", "admin")
#: the period a per-person judgement is recorded for
JUDGEMENT_PERIODS = ("annual", "cycle", "application")


@dataclass(frozen=True)
class Term:
    """A code of the vocabulary a jurisdiction uses, with the article naming it (empty where the
    policy does not name it, e.g. ``other``)."""

    code: str
    basis: str = ""


@dataclass(frozen=True)
class Judgement:
    """A per-person judgement the jurisdiction asks someone to record (an attestation rule
    judged per person): which rule, for which period, by whom (:data:`JUDGES`), under which article."""

    rule: str
    period: str
    by: tuple[str, ...]
    basis: str

    def __post_init__(self) -> None:
        if self.period not in JUDGEMENT_PERIODS:
            raise ValueError(f"{self.rule}: unknown judgement period {self.period!r}")
        if not self.by or not set(self.by) <= set(JUDGES):
            raise ValueError(f"{self.rule}: judges must be among {JUDGES}, not {self.by!r}")


@dataclass(frozen=True)
class Terms:
    """The jurisdiction's own words (hook ``mingshi_terms``): the activity types, output types and
    site fields its workspace offers, and the per-person judgements it asks for. A kind left
    ``None`` offers the whole common vocabulary of that kind."""

    activity_types: tuple[Term, ...] | None = None
    output_types: tuple[Term, ...] | None = None
    site_fields: tuple[Term, ...] | None = None
    judgements: tuple[Judgement, ...] = ()

    def of(self, kind: str) -> tuple[Term, ...] | None:
        if kind not in TERM_KINDS:
            raise ValueError(f"not a kind of terms: {kind!r}")
        return getattr(self, kind)

    def judgement(self, rule: str) -> Judgement | None:
        return next((j for j in self.judgements if j.rule == rule), None)


def terms(kind_codes: Mapping[str, str] | tuple[tuple[str, str], ...]) -> tuple[Term, ...]:
    """``Term``s from (code, article) pairs or a mapping of code → article."""
    pairs = kind_codes.items() if isinstance(kind_codes, Mapping) else kind_codes
    return tuple(Term(code, basis) for code, basis in pairs)
