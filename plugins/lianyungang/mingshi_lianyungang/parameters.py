"""Lianyungang's parameters (⚙): dated defaults with the article each comes from.

The policy (连云港市青少年科技教育名师工作室创建与管理办法（试行）) carries no issuing date
("本办法自公布之日起实施", 第二十四条), so the defaults apply from the platform's epoch.
"""

from mingshi.jurisdiction import EPOCH, Label, ParameterDef

#: the policy's date is not printed in the text; the defaults hold from the epoch
POLICY_DATE = EPOCH

PARAMETERS = [
    ParameterDef(
        "lyg.funding.annual",
        "money",
        "第十九条",
        Label("每个工作室每年项目补助资金（元）", "annual project subsidy per studio (yuan)"),
        ((POLICY_DATE, "10000"),),
    ),
    ParameterDef(
        "lyg.cycle_years",
        "int",
        "第四条",
        Label("管理周期（年）", "length of the management cycle (years)"),
        ((POLICY_DATE, "3"),),
        minimum=1,
        maximum=10,
    ),
    ParameterDef(
        "lyg.team.advisory_min",
        "int",
        "第二条",
        Label("骨干成员人数提示下限（“10名左右”）", "fewest members before a notice (“about 10”)"),
        ((POLICY_DATE, "8"),),
    ),
    ParameterDef(
        "lyg.team.advisory_max",
        "int",
        "第二条",
        Label("骨干成员人数提示上限（“10名左右”）", "most members before a notice (“about 10”)"),
        ((POLICY_DATE, "12"),),
    ),
    ParameterDef(
        "lyg.notice_days",
        "int",
        "第十四条",
        Label("入围名单公示期（天）", "days the shortlist is publicly posted (公示)"),
        ((POLICY_DATE, "7"),),
    ),
    ParameterDef(
        "lyg.county_quota",
        "int",
        "第十三条",
        Label(
            "每个县（区）每年可推荐的申报名额（市级分配；0表示尚未分配、不限）",
            "applications each county may recommend in a year (allocated by the city; 0: not allocated, no limit)",
        ),
        ((POLICY_DATE, "0"),),
    ),
    ParameterDef(
        "lyg.budget_due_days",
        "int",
        "第二十条",
        Label("挂牌后报送年度经费开支预算报告的期限（天）", "days after the plaque to submit the annual budget report"),
        ((POLICY_DATE, "7"),),
    ),
    ParameterDef(
        "lyg.first_year.min_months",
        "int",
        "第四条（挂牌当年如何考核未作规定，本参数为所作理解）",
        Label(
            "挂牌当年参加年度考核所需的最少月数（不足者自下一年度起考核）",
            "least months of its first year a studio approved mid-year needs to be assessed that year",
        ),
        ((POLICY_DATE, "12"),),
    ),
]
