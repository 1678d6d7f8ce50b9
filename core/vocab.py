"""The common vocabulary: codes with their Chinese and English labels.

One list for all jurisdictions (``../shared/spec/scenario.md``); a plugin uses the part it
needs and adds its own through the ``mingshi_vocabulary`` hook. Labels are data (a code names
a thing); sentences are translated through Babel catalogs (:mod:`mingshi.core.i18n`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def __call__(self, locale: str | None) -> str:
        return self.en if (locale or "zh").lower().startswith("en") else self.zh


def labels(pairs: Iterable[tuple[str, str, str]]) -> dict[str, Label]:
    return {code: Label(zh, en) for code, zh, en in pairs}


#: ordered levels: "X级及以上" means level >= X; a banner (旗) is ``county``
LEVELS = ("school", "county", "municipal", "provincial", "national")
#: activity scopes: ``studio`` is inside the studio, below every level
SCOPES = ("studio", *LEVELS)
TITLES = ("junior", "intermediate", "deputy_senior", "senior")


def level_rank(level: str | None) -> int:
    """Rank of a level or scope for comparisons: -1 for None/unknown, studio 0, school 1 … national 5."""
    if level is None:
        return -1
    try:
        return SCOPES.index(level)
    except ValueError:
        return -1


def level_at_least(level: str | None, minimum: str) -> bool:
    return level_rank(level) >= level_rank(minimum) >= 0


def title_at_least(title: str | None, minimum: str) -> bool:
    return title in TITLES and TITLES.index(title) >= TITLES.index(minimum)


@dataclass(frozen=True)
class Vocabulary:
    """Codes and labels by kind: activity_types, output_types, competitions, expense_categories,
    honors, events, findings, member_categories, studio_kinds, …"""

    kinds: Mapping[str, Mapping[str, Label]] = field(default_factory=dict)

    def codes(self, kind: str) -> tuple[str, ...]:
        return tuple(self.kinds.get(kind, {}))

    def label(self, kind: str, code: str | None, locale: str | None) -> str:
        if code is None:
            return ""
        label = self.kinds.get(kind, {}).get(code)
        return label(locale) if label else code

    def merged(self, other: Vocabulary) -> Vocabulary:
        kinds: dict[str, dict[str, Label]] = {k: dict(v) for k, v in self.kinds.items()}
        for kind, entries in other.kinds.items():
            kinds.setdefault(kind, {}).update(entries)
        return Vocabulary(kinds)


COMMON = Vocabulary(
    {
        "levels": labels(
            [
                ("school", "校级", "school"),
                ("county", "县（区、旗）级", "county"),
                ("municipal", "市级", "municipal"),
                ("provincial", "省级", "provincial"),
                ("national", "国家级", "national"),
            ]
        ),
        "scopes": labels(
            [
                ("studio", "工作室内", "within the studio"),
                ("school", "校级", "school"),
                ("county", "县（区、旗）级", "county"),
                ("municipal", "市级", "municipal"),
                ("provincial", "省级", "provincial"),
                ("national", "国家级", "national"),
            ]
        ),
        "titles": labels(
            [
                ("junior", "初级", "junior"),
                ("intermediate", "中级", "intermediate"),
                ("deputy_senior", "副高级", "deputy senior"),
                ("senior", "正高级", "senior"),
            ]
        ),
        "positions": labels(
            [
                ("teacher", "教师", "teacher"),
                ("principal", "校长", "principal"),
                ("vice_principal", "副校长", "vice principal"),
                ("researcher", "教研员", "teaching researcher"),
            ]
        ),
        "sexes": labels([("M", "男", "male"), ("F", "女", "female")]),
        "stages": labels(
            [
                ("kindergarten", "幼儿园", "kindergarten"),
                ("primary", "小学", "primary"),
                ("secondary", "中学", "secondary"),
                ("vocational", "中等职业学校", "secondary vocational"),
                ("other", "其他", "other"),
            ]
        ),
        "roles": labels([("host", "主持人", "host"), ("member", "成员", "member"), ("trainee", "学员", "trainee")]),
        "attendance": labels(
            [("present", "出席", "present"), ("excused", "请假", "excused"), ("absent", "缺席", "absent")]
        ),
        "modes": labels([("offline", "线下", "offline"), ("online", "线上", "online")]),
        "ranks": labels(
            [
                ("first", "一等奖", "first prize"),
                ("second", "二等奖", "second prize"),
                ("third", "三等奖", "third prize"),
                ("other", "其他奖项", "other prize"),
            ]
        ),
        "output_statuses": labels(
            [
                ("approved", "已立项", "approved"),
                ("underway", "在研", "underway"),
                ("completed", "已完成", "completed"),
            ]
        ),
        "activity_types": labels(
            [
                ("seminar", "研讨", "seminar"),
                ("report_meeting", "报告会", "report meeting"),
                ("forum", "论坛", "forum"),
                ("open_class", "公开课/示范课", "open class"),
                ("lecture", "讲座", "lecture"),
                ("send_teaching", "送教下乡", "teaching sent to the countryside"),
                ("support_teaching", "支教", "support teaching"),
                ("field_guidance", "现场指导", "on-site guidance"),
                ("training", "培训", "training"),
                ("community_study", "共同体研修", "community study"),
                ("inter_studio_exchange", "坊间交流", "inter-studio exchange"),
                ("results_promotion", "成果推介会", "results promotion"),
                ("onsite_meeting", "现场会", "on-site meeting"),
                ("experience_sharing", "经验分享", "experience sharing"),
                ("principals_forum_report", "校长论坛报告", "principals' forum report"),
                ("science_popularization", "科普周/科普日", "science popularisation week/day"),
                ("competition_hosting", "承办竞赛", "hosting a competition"),
                ("youth_science_program", "青少年科技活动", "youth science programme"),
                ("assist_school", "帮扶薄弱学校", "assisting a weak school"),
                ("planning_meeting", "工作部署会", "planning meeting"),
                ("summary_meeting", "总结会", "summary meeting"),
                ("observation", "观摩考察", "observation visit"),
                ("assignment_design", "作业/命题研究", "assignment and test design"),
                ("survey", "调研", "survey"),
                ("school_based_study", "校本研修", "school-based study"),
                ("cross_subject_study", "组团式研修", "cross-subject (team) study"),
                ("cross_region_study", "联盟式研修", "cross-region (alliance) study"),
                ("county_joint_study", "融通式研修", "joint study with the county"),
                ("reading", "读书交流", "reading exchange"),
                ("other", "其他", "other"),
            ]
        ),
        "output_types": labels(
            [
                ("research_project", "课题", "research project"),
                ("paper", "论文", "paper"),
                ("book", "著作", "book"),
                ("teaching_award", "教学成果奖", "teaching award"),
                ("media_report", "媒体报道", "media report"),
                ("training_course", "培训课程", "training course"),
                ("consulting_report", "咨询/建言", "consulting report"),
                ("news_brief", "快讯/简报", "news brief"),
                ("teaching_design", "教学设计/案例", "teaching design"),
                ("lesson_case", "课例", "lesson case"),
                ("reflection", "反思总结", "reflection"),
                ("growth_plan", "成长规划", "growth plan"),
                ("work_plan", "工作计划", "work plan"),
                ("other", "其他", "other"),
            ]
        ),
        "competitions": labels(
            [
                (
                    "sci_tech_innovation",
                    "青少年科技创新大赛",
                    "youth science and technology innovation contest",
                ),
                ("robotics", "青少年机器人竞赛", "youth robotics competition"),
                ("computer_production", "电脑制作活动", "computer production contest"),
                ("creative_programming", "创意编程与智能设计大赛", "creative programming and smart design"),
                ("science_survey", "科学调查体验竞赛", "science survey experience"),
                ("science_film", "科学影像大赛", "science film festival"),
                ("other", "其他", "other"),
            ]
        ),
        "events": labels(
            [
                ("ethics_violation", "违反师德", "violation of professional ethics"),
                ("fraud", "弄虚作假", "fraud in assessment"),
                ("sanction", "受到党纪政纪处分或刑事处罚", "disciplinary or criminal sanction"),
                ("transferred", "调离原工作岗位", "transferred from the post"),
                ("unable", "无法继续承担工作", "unable to continue"),
                ("other_violation", "违反其他规定", "other violation"),
            ]
        ),
        "findings": labels([("misappropriation", "资金截留或挪用", "funds withheld or misappropriated")]),
        "attestation_values": labels([("true", "符合", "yes"), ("false", "不符合", "no")]),
        # the studio's site, recorded where the jurisdiction's policy asks for it (hook ``mingshi_terms``)
        "site_fields": labels(
            [
                ("site_area_m2", "工作室面积（平方米）", "room area (m²)"),
                ("site_height_m", "室内高度（米）", "room height (m)"),
                ("site_capacity", "可容纳人数", "room capacity (people)"),
            ]
        ),
        # the parts of a criterion's figure when it counts more than one thing (a dict of counts)
        "figures": labels(
            [
                ("first", "一等奖", "first prizes"),
                ("second", "二等奖", "second prizes"),
                ("first_or_second", "一、二等奖合计", "first and second prizes together"),
            ]
        ),
    }
)

#: Activity types grouped for comparing jurisdictions (central staff): teaching and demonstration,
#: outreach (送教 — teaching sent out to rural or weak schools), research and study, training.
#: A type not listed here (a plugin's own, meetings, ``other``) falls into ``other``.
ACTIVITY_GROUP_LABELS: dict[str, Label] = labels(
    [
        ("teaching", "教学展示", "teaching"),
        ("outreach", "送教帮扶", "outreach (送教)"),
        ("research", "教研研修", "research"),
        ("training", "培训", "training"),
        ("other", "其他", "other"),
    ]
)
ACTIVITY_GROUPS: dict[str, str] = {
    "open_class": "teaching",
    "lecture": "teaching",
    "report_meeting": "teaching",
    "forum": "teaching",
    "principals_forum_report": "teaching",
    "experience_sharing": "teaching",
    "results_promotion": "teaching",
    "onsite_meeting": "teaching",
    "youth_science_program": "teaching",
    "competition_hosting": "teaching",
    "send_teaching": "outreach",
    "support_teaching": "outreach",
    "field_guidance": "outreach",
    "assist_school": "outreach",
    "science_popularization": "outreach",
    "seminar": "research",
    "community_study": "research",
    "inter_studio_exchange": "research",
    "observation": "research",
    "assignment_design": "research",
    "survey": "research",
    "school_based_study": "research",
    "cross_subject_study": "research",
    "cross_region_study": "research",
    "county_joint_study": "research",
    "reading": "research",
    "training": "training",
}


def activity_group(activity_type: str) -> str:
    """The comparison group of an activity type: teaching · outreach · research · training · other."""
    return ACTIVITY_GROUPS.get(activity_type, "other")
