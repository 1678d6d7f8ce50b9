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

# 第九条 “根据考核结果对工作室主持人与学员予以学分认定（具体要求参照《温州市名师工作室考核方案》）”: the
# 考核方案 is not part of 温名师办〔2021〕100号, so how many credits each result gives is the platform's
# reading, dated from the policy's date, until the bureau records the scheme's own values. Removed
# trainees (第七条(二) 取消学员资格) and a failed cycle (第十条(二) 没有完成规定任务) give none by default.
CREDIT_PARAMETERS = [
    ParameterDef(
        "wz.credit.host_excellent",
        "decimal",
        "第九条",
        Label("考核优秀的工作室，主持人认定学分", "credits for the host of a studio assessed excellent"),
        ((POLICY_DATE, "30"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.host_pass",
        "decimal",
        "第九条",
        Label("考核合格的工作室，主持人认定学分", "credits for the host of a studio assessed pass"),
        ((POLICY_DATE, "24"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.host_fail",
        "decimal",
        "第九条、第十条(二)",
        Label("考核不合格（未完成规定任务）的工作室，主持人认定学分", "credits for the host of a studio that failed"),
        ((POLICY_DATE, "0"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.trainee_pass",
        "decimal",
        "第九条、第六条",
        Label("完成学员职责并保留资格的学员认定学分", "credits for a trainee who completed the duties"),
        ((POLICY_DATE, "24"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.trainee_fail",
        "decimal",
        "第九条、第六条",
        Label("未完成学员职责的学员认定学分", "credits for a trainee who did not complete the duties"),
        ((POLICY_DATE, "0"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.trainee_removed",
        "decimal",
        "第九条、第七条(二)",
        Label("被取消学员资格者认定学分", "credits for a trainee whose place was withdrawn"),
        ((POLICY_DATE, "0"),),
        maximum=1000,
    ),
    ParameterDef(
        "wz.credit.trainee_left",
        "decimal",
        "第九条",
        Label("周期结束前退出工作室的学员认定学分", "credits for a trainee who left before the cycle's end"),
        ((POLICY_DATE, "0"),),
        maximum=1000,
    ),
]
PARAMETERS += CREDIT_PARAMETERS
