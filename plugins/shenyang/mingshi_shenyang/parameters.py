"""Shenyang's parameters (⚙): dated defaults with the article each comes from."""

import datetime as dt

from mingshi.jurisdiction import Label, ParameterDef

#: the day the policy (沈教发〔2021〕17号) was issued
POLICY_DATE = dt.date(2021, 10, 18)

PARAMETERS = [
    ParameterDef(
        "sy.funding.workshop",
        "money",
        "第十二条",
        Label("工作坊年度经费（元）", "annual funds of a workshop (yuan)"),
        ((POLICY_DATE, "20000"),),
    ),
    ParameterDef(
        "sy.funding.studio",
        "money",
        "第十二条",
        Label("工作室年度经费（元）", "annual funds of a studio (yuan)"),
        ((POLICY_DATE, "25000"),),
    ),
    ParameterDef(
        "sy.cycle_years",
        "int",
        "not stated (建设期)",
        Label("建设周期（年）", "length of the cycle (years)"),
        ((POLICY_DATE, "3"),),
        minimum=1,
        maximum=10,
    ),
    ParameterDef(
        "sy.member.max_absence_ratio",
        "ratio",
        "第十一条3",
        Label("成员缺席活动比例上限（超过即“经常不参加活动”）", "largest share of activities a member may miss"),
        ((POLICY_DATE, "0.5"),),
    ),
    ParameterDef(
        "sy.host.min_years_to_retirement",
        "int",
        "第三条4",
        Label("主持人距法定退休年龄至少（年）", "least years between application and retirement"),
        ((POLICY_DATE, "3"),),
    ),
    ParameterDef(
        "sy.host.female_base_age",
        "int",
        "第三条4; 全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）",
        Label(
            "女性主持人改革前的法定退休年龄（教师属专业技术人员为55岁，女职工为50岁）",
            "women's base retirement age before the 2025 reform (55 for professional staff, 50 for workers)",
        ),
        ((POLICY_DATE, "55"),),
    ),
    ParameterDef(
        "sy.first_year.min_months",
        "int",
        "第十条（挂牌当年如何考核未作规定，本参数为所作理解）",
        Label(
            "挂牌当年参加年度考核所需的最少月数（不足者自下一年度起考核）",
            "least months of its first year a studio approved mid-year needs to be assessed that year",
        ),
        ((POLICY_DATE, "12"),),
    ),
]
