"""The demo tenant of this jurisdiction (hook ``mingshi_demo_data``).

Places: the districts and counties of 沈阳市, with rural schools for the 送教 of 第七条.

Real place names; the schools are examples of the kinds the policy names. The core generates
people, studios and a year of activity from these with a fixed seed.
"""

from __future__ import annotations

from mingshi.jurisdiction import DemoData, DemoSchool

DEMO = DemoData(
    counties=("和平区", "沈河区", "皇姑区", "铁西区", "浑南区", "新民市", "辽中区", "康平县", "法库县"),
    schools=(
        DemoSchool("沈阳市第二中学", "和平区", False, "secondary"),
        DemoSchool("东北育才学校", "浑南区", False, "secondary"),
        DemoSchool("沈阳市第一二〇中学", "沈河区", False, "secondary"),
        DemoSchool("沈阳市和平区南京街第一小学", "和平区", False, "primary"),
        DemoSchool("沈阳市皇姑区珠江五校", "皇姑区", False, "primary"),
        DemoSchool("沈阳市铁西区勋望小学", "铁西区", False, "primary"),
        DemoSchool("新民市第一高级中学", "新民市", True, "secondary"),
        DemoSchool("辽中区第二初级中学", "辽中区", True, "secondary"),
        DemoSchool("康平县胜利街道中心校", "康平县", True, "primary"),
        DemoSchool("法库县东湖第二初级中学", "法库县", True, "secondary"),
    ),
    themes=("幸福教育与学校治理", "初中数学深度学习", "小学语文整本书阅读", "乡村学校课程建设"),
    activity_types=(
        "community_study",
        "send_teaching",
        "onsite_meeting",
        "inter_studio_exchange",
        "seminar",
        "open_class",
        "experience_sharing",
        "training",
        "results_promotion",
    ),
    output_types=("research_project", "paper", "training_course", "news_brief", "consulting_report", "media_report"),
    competitions=(),
    honors=(),
)
