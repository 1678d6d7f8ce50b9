"""The demo tenant of this jurisdiction (hook ``mingshi_demo_data``).

Places: the counties and districts of 连云港市; schools of every stage the policy admits (第三条).

Real place names; the schools are examples of the kinds the policy names. The core generates
people, studios and a year of activity from these with a fixed seed.
"""

from __future__ import annotations

from mingshi.jurisdiction import DemoData, DemoSchool

DEMO = DemoData(
    counties=("海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县"),
    schools=(
        DemoSchool("连云港市新海实验中学", "海州区", False, "secondary"),
        DemoSchool("连云港高级中学", "海州区", False, "secondary"),
        DemoSchool("连云港市解放路小学", "海州区", False, "primary"),
        DemoSchool("连云港中等专业学校", "海州区", False, "vocational"),
        DemoSchool("赣榆区青口第二中学", "赣榆区", False, "secondary"),
        DemoSchool("东海县石榴中学", "东海县", True, "secondary"),
        DemoSchool("灌云县杨集中学", "灌云县", True, "secondary"),
        DemoSchool("灌南县新集中学", "灌南县", True, "secondary"),
        DemoSchool("连云区墟沟小学", "连云区", False, "primary"),
    ),
    themes=("青少年科技创新", "机器人教育", "创意编程与人工智能"),
    activity_types=(
        "youth_science_program",
        "assist_school",
        "science_popularization",
        "training",
        "seminar",
        "open_class",
        "competition_hosting",
    ),
    output_types=("paper", "news_brief", "teaching_design"),
    competitions=("sci_tech_innovation", "robotics", "computer_production", "creative_programming"),
    honors=("municipal_subject_leader",),
    site=(60, 3, 20),
)
