"""The demo tenant of this jurisdiction (hook ``mingshi_demo_data``).

Places: the towns of 乌审旗 and its banner-level schools.

Real place names; the schools are examples of the kinds the policy names. The core generates
people, studios and a year of activity from these with a fixed seed.
"""

from __future__ import annotations

from mingshi.jurisdiction import DemoData, DemoSchool

DEMO = DemoData(
    counties=("乌审旗",),
    schools=(
        DemoSchool("乌审旗第一中学", "乌审旗", False, "secondary"),
        DemoSchool("乌审旗第二中学", "乌审旗", False, "secondary"),
        DemoSchool("乌审旗嘎鲁图镇第一小学", "乌审旗", False, "primary"),
        DemoSchool("乌审旗嘎鲁图镇第二小学", "乌审旗", False, "primary"),
        DemoSchool("乌审旗无定河镇中心校", "乌审旗", True, "primary"),
        DemoSchool("乌审旗图克镇中心小学", "乌审旗", True, "primary"),
        DemoSchool("乌审旗乌审召镇中学", "乌审旗", True, "secondary"),
        DemoSchool("乌审旗第一幼儿园", "乌审旗", False, "kindergarten"),
    ),
    themes=("初中英语读写结合", "小学数学思维课堂", "蒙汉双语教学"),
    activity_types=(
        "planning_meeting",
        "summary_meeting",
        "seminar",
        "lecture",
        "report_meeting",
        "send_teaching",
        "support_teaching",
        "open_class",
    ),
    output_types=("paper", "reflection", "teaching_design", "research_project"),
    competitions=(),
    honors=("basic_skills_first_prize",),
    first_host_position="researcher",
)
