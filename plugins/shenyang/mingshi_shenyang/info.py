"""Who Shenyang is: the policy, its studio kinds, its words."""

from mingshi.jurisdiction import JurisdictionInfo, Label, RuleDef, Vocabulary, labels

INFO = JurisdictionInfo(
    code="shenyang",
    name=Label("沈阳市", "Shenyang"),
    policy_title="沈阳市中小学名优校长工作坊、名优教师工作室管理办法",
    policy_title_en="Measures of Shenyang for workshops of eminent principals and studios of eminent teachers",
    policy_version="2021-10-18",
    policy_number="沈教发〔2021〕17号",
    studio_kinds={
        "workshop": Label("名优校长工作坊", "principals' workshop"),
        "studio": Label("名优教师工作室", "teachers' studio"),
    },
    member_role="member",
    member_label=Label("成员", "member"),
    studio_label=Label("工作坊（室）", "workshop / studio"),
    cycle_years_param="sy.cycle_years",
    annual_period="calendar_year",
    contract=1,
    evaluations=("application", "annual", "cycle"),
)

VOCABULARY = Vocabulary(
    {
        "member_categories": labels(
            [
                ("subject_leader", "学科带头人", "subject leader"),
                ("backbone", "骨干教师", "backbone teacher"),
                ("new_teacher", "新教师", "new teacher"),
            ]
        ),
        "honors": labels(
            [
                (
                    "state_council_special_allowance",
                    "国务院政府特殊津贴专家",
                    "State Council special allowance expert",
                ),
                ("national_leading_principal", "国家领航校长", "national leading principal"),
                ("provincial_leading_principal", "省领航校长", "provincial leading principal"),
                ("provincial_expert_principal", "省专家型校长", "provincial expert principal"),
                ("municipal_education_expert", "市教育专家", "municipal education expert"),
                ("national_outstanding_teacher", "全国优秀教师", "national outstanding teacher"),
                ("xingliao_famous_teacher", "“兴辽计划”名师", "Xingliao Plan famous teacher"),
                (
                    "hundred_thousand_talent",
                    "国家及省百千万层次人才",
                    "national or provincial talent programme",
                ),
                ("provincial_special_grade_teacher", "省特级教师", "provincial special-grade teacher"),
                ("municipal_chief_teacher", "市首席教师", "municipal chief teacher"),
                ("previous_host", "上届工作坊（室）主持人", "host of the previous round"),
            ]
        ),
        "expense_categories": labels(
            [
                ("research_project", "课题研究费", "research projects"),
                ("publication", "成果出版费", "publication of results"),
                ("training", "学习培训费", "study and training"),
                ("materials", "资料费", "materials"),
                ("travel", "差旅费", "travel"),
                ("transport", "交通费", "transport"),
                ("board_lodging", "食宿费", "board and lodging"),
                ("external_lecturer", "外聘教师讲课费", "external lecturers' fees"),
            ]
        ),
    }
)


def _rule(
    rule_id: str,
    basis: str,
    zh: str,
    en: str,
    kind: str,
    *,
    attestation: bool = False,
    advisory: bool = False,
) -> RuleDef:
    return RuleDef(rule_id, basis, Label(zh, en), kind, attestation=attestation, advisory=advisory)


#: every rule of the Shenyang section of jurisdictions.md, with its article as the policy numbers it
RULES = [
    # 第二条: composition
    _rule("sy.team.size", "第二条", "成员5—10名", "5 to 10 members", "composition"),
    _rule(
        "sy.team.schools",
        "第二条",
        "工作坊成员至少覆盖5所学校",
        "workshop members from at least 5 schools",
        "composition",
    ),
    _rule(
        "sy.team.rural_leader",
        "第二条",
        "工作坊成员至少包含一名农村学校校级领导",
        "workshop: at least one member leads a rural school",
        "composition",
    ),
    _rule(
        "sy.team.mix",
        "第二条",
        "工作室成员包括学科带头人、骨干教师和新教师",
        "studio members include subject leaders, backbone teachers and new teachers",
        "composition",
    ),
    # 第三条: the host
    _rule(
        "sy.host.ethics",
        "第三条第1项",
        "主持人政治素质过硬、师德高尚",
        "host: political integrity and ethics",
        "application",
        attestation=True,
    ),
    _rule(
        "sy.host.ability",
        "第三条第2项",
        "主持人业务能力卓越",
        "host: outstanding professional ability",
        "application",
        attestation=True,
    ),
    _rule(
        "sy.host.qualification",
        "第三条第3项",
        "主持人具备正高级职称或市骨干校长（名师）及以上称号，或在研训领域有突出业务引领能力",
        "host: senior title, or a municipal backbone designation or higher, or outstanding leadership in research "
        "and training",
        "application",
        attestation=True,
    ),
    _rule(
        "sy.host.principal",
        "第三条第3项",
        "工作坊主持人为正职校长",
        "workshop host is a principal",
        "application",
    ),
    _rule(
        "sy.host.retirement",
        "第三条第4项",
        "主持人距离法定退休年龄至少3年",
        "host: at least 3 years before the statutory retirement age",
        "application",
    ),
    _rule(
        "sy.host.priority",
        "第三条第3项",
        "优先申报的称号",
        "honors giving priority",
        "application",
        advisory=True,
    ),
    # 第七条: tasks
    _rule(
        "sy.task.community",
        "第七条第2项",
        "每年至少开展一次共同体研修活动",
        "a community study every year",
        "quota",
    ),
    _rule(
        "sy.task.project",
        "第七条第3项",
        "年度承担市级规划以上教学研究课题不少于1项",
        "a research project at municipal level or above every year",
        "quota",
    ),
    _rule(
        "sy.task.result",
        "第七条第3项",
        "年度形成至少1项富有特色的研究成果",
        "a distinctive research result every year",
        "quota",
    ),
    _rule(
        "sy.task.course",
        "第七条第4项",
        "每学年完成一项专题培训课程开发",
        "a training course developed every school year",
        "quota",
    ),
    _rule("sy.task.activities", "第七条第5项", "年度开展活动不少于八次", "at least 8 activities a year", "quota"),
    _rule(
        "sy.task.member_schools",
        "第七条第5项",
        "每年至少到各成员学校组织一次教育教学实践活动",
        "an activity at each member's school every year",
        "quota",
    ),
    _rule(
        "sy.task.advice",
        "第七条第6项",
        "建设期内至少提供两份咨询参考",
        "two consulting reports per cycle",
        "quota",
    ),
    _rule(
        "sy.task.send_teaching",
        "第七条第7项",
        "每年度至少完成一次“送教下乡”",
        "teaching sent to the countryside every year",
        "quota",
    ),
    _rule(
        "sy.task.forum_report",
        "第七条第7项",
        "工作坊主持人建设期内至少在市级校长论坛做一次报告",
        "workshop host reports at the municipal principals' forum once per cycle",
        "quota",
    ),
    _rule(
        "sy.task.member_sharing",
        "第七条第7项",
        "工作坊成员建设期内在市级或区域内做一次经验分享",
        "every workshop member shares experience at county or municipal level once per cycle",
        "quota",
    ),
    _rule(
        "sy.task.exchange",
        "第七条第7项",
        "工作坊年度至少开展一次坊间交流活动",
        "workshop: an inter-workshop exchange every year",
        "quota",
    ),
    _rule(
        "sy.task.promotion",
        "第七条第7项",
        "工作室建设期内开展不少于2次成果推介会",
        "studio: two results promotion meetings per cycle",
        "quota",
    ),
    _rule(
        "sy.task.onsite",
        "第七条第7项",
        "工作室每年度开展至少1次成员教科研实践现场会",
        "studio: an on-site research practice meeting every year",
        "quota",
    ),
    _rule(
        "sy.task.briefs",
        "第七条第8项",
        "年度至少上报五条工作成果快讯或活动简报",
        "at least 5 news briefs a year",
        "quota",
    ),
    # 第十条: the host's annual assessment and disqualification
    _rule(
        "sy.host.disqualification",
        "第十条",
        "主持人无取消资格情形",
        "no ground for disqualifying the host",
        "assessment",
    ),
    # 第十一条: members
    _rule(
        "sy.member.tasks",
        "第十一条第2项",
        "成员完成年度工作任务（主持人年度考核）",
        "member completed the year's tasks (the host's annual assessment)",
        "individual",
        attestation=True,
    ),
    _rule(
        "sy.member.absence",
        "第十一条第3项",
        "成员不经常缺席活动",
        "member does not miss activities frequently",
        "removal",
    ),
    _rule(
        "sy.member.conduct",
        "第十一条第1、4、5、6项",
        "成员无违反师德、调离、无法继续承担工作或其他违规情形",
        "member: no ethics violation, transfer, inability or other violation",
        "removal",
    ),
    # 第十二—十四条: funds
    _rule("sy.funding", "第十二条", "年度活动经费", "annual funds", "funding"),
]
