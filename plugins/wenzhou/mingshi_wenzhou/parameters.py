"""Wenzhou's parameters (⚙): dated defaults with the article each comes from."""

import datetime as dt

from mingshi.jurisdiction import Label, ParameterDef

#: the day the policy (温名师办〔2021〕100号) was issued and took effect (第十三条)
POLICY_DATE = dt.date(2021, 10, 29)

PARAMETERS = [
    ParameterDef(
        "wz.cycle_years",
        "int",
        "第九条",
        Label("“名师送教”建设周期（年）", "length of the construction cycle (years)"),
        ((POLICY_DATE, "2"),),
        minimum=1,
        maximum=10,
    ),
    ParameterDef(
        "wz.funding.cycle",
        "money",
        "第十二条",
        Label("每个工作室一个周期的专项经费（元）", "special funds of one studio for the cycle (yuan)"),
        ((POLICY_DATE, "20000"),),
    ),
    ParameterDef(
        "wz.trainee.max_unexcused",
        "int",
        "第七条(二)",
        Label(
            "无故不参加研修活动达此次数即取消学员资格",
            "unexcused absences at which a trainee loses the place",
        ),
        ((POLICY_DATE, "2"),),
    ),
    ParameterDef(
        "wz.ops.offline_min",
        "int",
        "第八条(二)",
        Label("每个周期线下研修活动不少于（次）", "least offline activities per cycle"),
        ((POLICY_DATE, "5"),),
    ),
    ParameterDef(
        "wz.team.min_trainees",
        "int",
        "第四条(一)",
        Label("每个工作室在下沉县录取学员不少于（名）", "least trainees admitted in the county"),
        ((POLICY_DATE, "10"),),
    ),
    ParameterDef(
        "wz.counties",
        "list",
        "第一条、第二条",
        Label("5个加快发展县", "the five accelerated-development counties"),
        ((POLICY_DATE, "永嘉县, 平阳县, 苍南县, 文成县, 泰顺县"),),
    ),
]
