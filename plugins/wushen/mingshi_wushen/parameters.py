"""Wushen Banner's parameters (⚙): dated defaults with the article each comes from."""

import datetime as dt

from mingshi.jurisdiction import Label, ParameterDef

#: the day the revised measures (乌审旗名师工作室管理办法（修订）) were issued
POLICY_DATE = dt.date(2023, 11, 13)

PARAMETERS = [
    ParameterDef(
        "ws.cycle_years",
        "int",
        "（三）",
        Label("工作室建设运行周期（年）", "length of the studio's cycle (years)"),
        ((POLICY_DATE, "3"),),
        minimum=1,
        maximum=10,
    ),
    ParameterDef(
        "ws.funding.annual",
        "money",
        "（十九）",
        Label(
            "每学年工作室专项经费（元；文件未定金额）",
            "special funds of a studio per school year (yuan; no amount in the text)",
        ),
        ((POLICY_DATE, "0"),),
    ),
    ParameterDef(
        "ws.young_age",
        "int",
        "（二十）2",
        Label("“青年成员”年龄上限（周期开始时未满该年龄）", "a “young member” is under this age at the cycle start"),
        ((POLICY_DATE, "35"),),
    ),
    ParameterDef(
        "ws.paper.min_chars",
        "int",
        "（二十一）2",
        Label("研究论文最少字数（“2000字左右”）", "least characters of a paper (“about 2,000”)"),
        ((POLICY_DATE, "1800"),),
    ),
    ParameterDef(
        "ws.reflection.min_chars",
        "int",
        "（二十一）3",
        Label("反思性总结或心得体会最少字数（“1000字左右”）", "least characters of a reflection (“about 1,000”)"),
        ((POLICY_DATE, "900"),),
    ),
    ParameterDef(
        "ws.member.max_absence_ratio",
        "ratio",
        "（二十一）6",
        Label("缺席工作室活动比例上限", "largest share of the studio's activities a person may miss"),
        ((POLICY_DATE, "0.5"),),
    ),
    ParameterDef(
        "ws.first_year.min_months",
        "int",
        "（十四）（挂牌当年如何考核未作规定，本参数为所作理解）",
        Label(
            "挂牌当年参加年度考核所需的最少月数（不足者自下一年度起考核）",
            "least months of its first year a studio approved mid-year needs to be assessed that year",
        ),
        ((POLICY_DATE, "12"),),
    ),
]
