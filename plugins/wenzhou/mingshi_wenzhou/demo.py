"""The demo tenant of this jurisdiction (hook ``mingshi_demo_data``).

Places: the five counties of 第一、二条 (wz.counties), where the studios send teaching.

Real place names; the schools are examples of the kinds the policy names. The core generates
people, studios and a year of activity from these with a fixed seed.
"""

from __future__ import annotations

from mingshi.jurisdiction import DemoData, DemoSchool

DEMO = DemoData(
    counties=("永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"),
    schools=(
        DemoSchool("温州中学", "鹿城区", False, "secondary"),
        DemoSchool("温州市第二十一中学", "鹿城区", False, "secondary"),
        DemoSchool("温州市实验小学", "鹿城区", False, "primary"),
        DemoSchool("文成县黄坦中学", "文成县", True, "secondary"),
        DemoSchool("文成县实验小学", "文成县", True, "primary"),
        DemoSchool("文成县玉壶中学", "文成县", True, "secondary"),
        DemoSchool("泰顺县第二中学", "泰顺县", True, "secondary"),
        DemoSchool("泰顺县罗阳第一小学", "泰顺县", True, "primary"),
        DemoSchool("泰顺县育才初级中学", "泰顺县", True, "secondary"),
        DemoSchool("永嘉县上塘中学", "永嘉县", True, "secondary"),
        DemoSchool("平阳县鳌江中学", "平阳县", True, "secondary"),
        DemoSchool("苍南县灵溪第一中学", "苍南县", True, "secondary"),
    ),
    themes=("初中科学课堂转型", "小学数学作业设计"),
    activity_types=(
        "open_class",
        "lecture",
        "assignment_design",
        "survey",
        "school_based_study",
        "cross_subject_study",
        "cross_region_study",
        "county_joint_study",
        "reading",
    ),
    output_types=("growth_plan", "paper", "lesson_case", "research_project", "news_brief"),
    competitions=(),
    honors=("provincial_special_grade_teacher", "wenzhou_famous_teacher"),
    studio_serves_county=True,
)
