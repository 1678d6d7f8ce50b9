"""Who Wenzhou is: the policy, its studio kind, its words and the rules it applies."""

from mingshi.jurisdiction import JurisdictionInfo, Label, RuleDef, Vocabulary, labels

INFO = JurisdictionInfo(
    code="wenzhou",
    name=Label("温州市", "Wenzhou"),
    policy_title="助力5个加快发展县跨越式高质量发展“名师送教”管理办法",
    policy_title_en=(
        "Measures for the management of “famous teachers sent to teach” in support of the leapfrog, "
        "high-quality development of five accelerated-development counties"
    ),
    policy_version="2021-10-29",
    policy_number="温名师办〔2021〕100号",
    studio_kinds={"outreach_studio": Label("“名师送教”工作室", "outreach (“sent to teach”) studio")},
    member_role="trainee",
    member_label=Label("学员", "trainee"),
    studio_label=Label("“名师送教”工作室", "outreach studio"),
    cycle_years_param="wz.cycle_years",
    annual_period="calendar_year",
    contract=1,
    # 第九条: the studio is assessed once, when the two-year construction cycle ends; the policy
    # sets no annual assessment (progress within a year is shown by the quotas).
    evaluations=("application", "cycle"),
)

#: the honours of 第三条 (a senior title 正高级 is read from the person's title)
HOST_HONORS = (
    "national_ten_thousand_talents_teacher",
    "provincial_ten_thousand_talents_teacher",
    "provincial_special_grade_teacher",
    "municipal_special_support_teacher",
    "wenzhou_famous_principal",
    "wenzhou_famous_teacher",
    "wenzhou_famous_head_teacher",
    "provincial_rising_star",
)

VOCABULARY = Vocabulary(
    {
        "studio_kinds": dict(INFO.studio_kinds),
        "honors": labels(
            [
                (
                    "national_ten_thousand_talents_teacher",
                    "国家“万人计划”教学名师",
                    "national Ten Thousand Talents teacher",
                ),
                (
                    "provincial_ten_thousand_talents_teacher",
                    "省“万人计划”教学名师",
                    "provincial Ten Thousand Talents teacher",
                ),
                ("provincial_special_grade_teacher", "省特级教师", "provincial special-grade teacher"),
                ("municipal_special_support_teacher", "市“特支计划”教学名师", "municipal Special Support teacher"),
                ("wenzhou_famous_principal", "温州市名校长", "Wenzhou famous principal"),
                ("wenzhou_famous_teacher", "温州市名教师", "Wenzhou famous teacher"),
                ("wenzhou_famous_head_teacher", "温州市名班主任", "Wenzhou famous head teacher"),
                ("provincial_rising_star", "省教坛新秀", "provincial rising star of teaching"),
            ]
        ),
        "output_types": labels([("assignment_design", "作业设计/命题研究", "assignment and test design")]),
        # 第一条、第二条: the five accelerated-development counties, which seed a new tenant's county list
        "counties": labels(
            [
                ("永嘉县", "永嘉县", "Yongjia County"),
                ("平阳县", "平阳县", "Pingyang County"),
                ("苍南县", "苍南县", "Cangnan County"),
                ("文成县", "文成县", "Wencheng County"),
                ("泰顺县", "泰顺县", "Taishun County"),
            ]
        ),
        "expense_categories": labels(
            [
                ("transport", "交通费", "transport"),
                ("board_lodging", "食宿费", "board and lodging"),
                ("materials", "资料费", "materials"),
                ("printing", "印刷费", "printing"),
                ("training", "培训费", "training"),
                ("expert_fee", "专家讲课费", "experts' lecture fees"),
                ("venue", "场地费", "venue"),
                ("other", "其他", "other"),
            ]
        ),
    }
)

#: 第五条 主持人职责, items 1–12 as the policy numbers them: (group, item, zh, en)
DUTIES = (
    (
        "一",
        1,
        "负责“名师送教”工作的策划与管理，负责对学员的考核与评价",
        "plan and manage the work; assess the trainees",
    ),
    ("一", 2, "指导学员制订2-3年成长规划", "guide each trainee in a 2–3 year growth plan"),
    ("一", 3, "开设示范课或讲座", "give a demonstration class or lecture"),
    ("一", 4, "指导学员开展命题和作业(活动)设计", "guide trainees in assignment and test design"),
    ("一", 5, "组织开展教育教学研究", "organise educational research"),
    ("二", 6, "在结对学校开展调研活动", "survey a paired school"),
    ("二", 7, "针对结对学校发展短板开展、指导课题研究", "research project on a paired school's weak points"),
    (
        "二",
        8,
        "指导结对学校开展校本研修活动和专业阅读活动",
        "guide school-based study and professional reading at a paired school",
    ),
    ("三", 9, "跨学科开展“组团式”研修活动", "cross-subject (team) study"),
    ("三", 10, "跨区域开展“联盟式”研修活动", "cross-region (alliance) study"),
    ("三", 11, "与县研训部门开展“融通式”研修活动", "joint study with the county training office"),
    ("三", 12, "总结、提炼亮点特色，做好宣传与成果积累", "summarise highlights and publicise the work"),
)


def duty_basis(item: int) -> str:
    group = next(g for g, i, _, _ in DUTIES if i == item)
    return f"第五条({group}){item}"


RULES = [
    RuleDef(
        "wz.studio.county",
        "第二条",
        Label("工作室设在5个加快发展县之一", "the studio is set up in one of the five counties"),
        "application",
    ),
    RuleDef(
        "wz.host.qualification",
        "第三条",
        Label("主持人具备所列荣誉之一（或同等荣誉，经审核认定）", "the host holds one of the listed honours"),
        "application",
        attestation=True,
    ),
    RuleDef(
        "wz.trainee.admission",
        "第四条(二)(三)",
        Label("学员经县、市名师办审核录取，师德、进取心等由审核把关", "trainees admitted after county and city review"),
        "application",
        advisory=True,
    ),
    RuleDef(
        "wz.team.size",
        "第四条(一)",
        Label("在下沉县录取10名及以上学员", "at least 10 trainees admitted from the county"),
        "composition",
    ),
    RuleDef(
        "wz.trainee.absence",
        "第七条(二)",
        Label("无故不参加研修活动2次及以上者取消学员资格", "two unexcused absences end a trainee's place"),
        "removal",
    ),
    RuleDef(
        "wz.trainee.duties",
        "第六条",
        Label("学员职责：成长规划、公开课或讲座、作业设计、论文或课例", "trainee duties"),
        "individual",
    ),
    RuleDef(
        "wz.ops.notice",
        "第八条(一)",
        Label("开展活动前在温州名师网发布“活动通知”", "notice published before each activity"),
        "operation",
    ),
    RuleDef(
        "wz.ops.offline",
        "第八条(二)",
        Label("线下活动不少于5次", "at least 5 offline activities per cycle"),
        "quota",
    ),
    RuleDef(
        "wz.ops.report_title",
        "第八条(三)",
        Label("活动报道标题统一格式", "activity report titles in the prescribed form"),
        "operation",
    ),
    *[
        RuleDef(
            f"wz.duty.{item}",
            duty_basis(item),
            Label(f"主持人职责{item}：{zh}", f"host duty {item}: {en}"),
            "assessment",
            attestation=item == 1,
        )
        for _, item, zh, en in DUTIES
    ],
    RuleDef(
        "wz.assess",
        "第九条",
        Label("建设周期结束时考核评价，评选优秀工作室和优秀学员", "assessment at the end of the cycle"),
        "assessment",
    ),
    RuleDef(
        "wz.credit",
        "第九条",
        Label(
            "根据考核结果对工作室主持人与学员予以学分认定",
            "credits recognized for the host and trainees from the result",
        ),
        "assessment",
    ),
    RuleDef(
        "wz.incentive",
        "第十条(二)",
        Label("未完成规定任务的当年不予评优评先，骨干教师考核降档", "consequences of unfinished tasks"),
        "assessment",
    ),
    RuleDef(
        "wz.funding",
        "第十二条",
        Label("每个工作室专项经费两万元", "20,000 yuan of special funds per studio"),
        "funding",
    ),
    RuleDef(
        "wz.funding.use",
        "第十二条",
        Label("经费专款专用，由主持人所在学校管理", "funds used only for the studio, managed by the host's school"),
        "funding",
        advisory=True,
    ),
]
