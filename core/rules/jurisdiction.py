"""How a jurisdiction describes itself and its rules."""

from __future__ import annotations

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
