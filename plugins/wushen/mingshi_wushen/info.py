"""Who Wushen Banner is: the policy, its studio kind, its words and the rules it applies."""

from mingshi.jurisdiction import JurisdictionInfo, Label, RuleDef, Vocabulary, labels

INFO = JurisdictionInfo(
    code="wushen",
    name=Label("乌审旗", "Wushen Banner"),
    policy_title="乌审旗名师工作室管理办法（修订）",
    policy_title_en="Measures of Wushen Banner for master-teacher studios (revised)",
    policy_version="2023-11-13",
    policy_number=None,
    studio_kinds={"studio": Label("名师工作室", "master-teacher studio")},
    member_role="member",
    member_label=Label("成员", "member"),
    studio_label=Label("名师工作室", "master-teacher studio"),
    cycle_years_param="ws.cycle_years",
    annual_period="school_year",
    contract=1,
    evaluations=("application", "annual", "cycle"),
)

VOCABULARY = Vocabulary(
    {
        "honors": labels(
            [
                ("basic_skills_first_prize", "基本功大赛一等奖", "first prize of a basic teaching skills contest"),
                ("moral_education_first_prize", "德育类竞赛一等奖", "first prize of a moral education contest"),
            ]
        ),
        "output_types": labels(
            [("work_summary", "工作室书面总结", "written summary of the studio's work")],
        ),
        "expense_categories": labels(
            [
                ("books", "添置书籍", "books"),
                ("office_equipment", "办公设备", "office equipment"),
                ("research_project", "项目研究、课题研究经费", "research projects"),
                ("expert_fee", "聘请专家授课费", "experts' lecture fees"),
                ("expert_travel", "聘请专家差旅费", "experts' travel"),
                ("observation", "成员观摩考察费", "members' observation visits"),
                ("travel", "成员差旅费", "members' travel"),
                ("labor", "成员劳务费", "members' labour fees"),
            ]
        ),
    }
)


def _rule(
    rule_id: str, basis: str, zh: str, en: str, kind: str, *, attestation: bool = False, advisory: bool = False
) -> RuleDef:
    return RuleDef(rule_id, basis, Label(zh, en), kind, attestation=attestation, advisory=advisory)


RULES = [
    # 二、组成与认定 — application
    _rule(
        "ws.host.qualification",
        "（五）",
        "主持人为旗教研中心专兼职教研员或有一定影响力和教学成就的一线教师",
        "the host is a banner teaching researcher or an influential, accomplished front-line teacher",
        "application",
        attestation=True,
    ),
    _rule(
        "ws.member.qualification",
        "（六）",
        "成员为旗级及以上学科带头人、骨干教师、教学能手或基本功大赛、德育类竞赛一等奖获得者，并有较强的团队合作精神",
        "members are banner-level or higher backbone teachers, or first-prize winners of a basic skills or moral "
        "education contest, with a strong team spirit",
        "application",
        attestation=True,
    ),
    _rule(
        "ws.team.composition",
        "（四）",
        "工作室由一名主持人和工作室成员组成",
        "a studio consists of one host and its members",
        "composition",
    ),
    # 三、任务 and 五、考核 — team
    _rule(
        "ws.team.project",
        "（二十）1",
        "三年工作周期内至少完成一项旗级以上课题研究",
        "at least one research project at banner level or above completed in the cycle",
        "assessment",
    ),
    _rule(
        "ws.team.backbone",
        "（二十）2",
        "工作周期内团队中1/3青年成员成为旗级骨干教师",
        "one third of the young members become banner-level backbone teachers within the cycle",
        "assessment",
    ),
    _rule(
        "ws.team.lecture",
        "（二十）3",
        "每学期举办一次面向全旗的公开讲座、报告会",
        "one banner-wide public lecture or report meeting each semester",
        "assessment",
    ),
    _rule(
        "ws.team.seminar",
        "（二十）4",
        "每学期至少组织和发起两次以上旗级的专题研讨活动",
        "at least two banner-level seminars each semester",
        "assessment",
    ),
    _rule(
        "ws.team.outreach",
        "（十一）",
        "每年至少组织成员开展1次支教活动或送教下乡活动",
        "at least one support-teaching or teaching-sent-to-the-countryside activity each year",
        "quota",
    ),
    _rule(
        "ws.team.pairing",
        "（十一）",
        "主持人和成员每人每周期至少与1名乡村中小学教师结成互助帮扶对子",
        "the host and each member pair with at least one rural teacher per cycle",
        "quota",
    ),
    _rule(
        "ws.task.cultivation",
        "（九）",
        "工作周期内应培养出2-3名骨干教师（提示）",
        "the studio should bring forth 2–3 backbone teachers in the cycle (advisory)",
        "quota",
        advisory=True,
    ),
    # 四、管理
    _rule(
        "ws.ops.meetings",
        "（十八）1",
        "每学期召开一次工作部署会和阶段性总结会",
        "one planning meeting and one summary meeting each semester",
        "operation",
    ),
    _rule(
        "ws.ops.study",
        "（十八）1",
        "每学期至少召开两次以上的工作研讨、汇报会或参加外出学习活动",
        "at least two work seminars, report meetings, observation visits or outside training each semester",
        "operation",
    ),
    _rule(
        "ws.ops.filing",
        "（十五）",
        "面向全旗的教育活动提前报送活动方案，经审核确定发文后开展",
        "the plan of every banner-wide activity is filed and approved before it takes place",
        "operation",
    ),
    _rule(
        "ws.ops.summary",
        "（十四）",
        "各工作室每年对自己的工作进行书面总结（提示）",
        "the studio writes a summary of its work every year (advisory)",
        "operation",
        advisory=True,
    ),
    _rule(
        "ws.member.lecture",
        "（十七）3",
        "成员每学年开设一次以上的专题讲座或公开展示课（提示）",
        "each member gives a lecture or an open class every school year (advisory)",
        "individual",
        advisory=True,
    ),
    _rule(
        "ws.host.reward",
        "（十六）4",
        "主持人可利用专项资金奖励表现优秀者（提示）",
        "the host may reward outstanding members from the special fund (advisory)",
        "assessment",
        advisory=True,
    ),
    # 五、考核 — individual
    _rule(
        "ws.ind.project",
        "（二十一）1",
        "三年工作周期内主持或参与1项旗级以上课题研究",
        "hosts or takes part in a research project at banner level or above in the cycle",
        "individual",
    ),
    _rule(
        "ws.ind.paper",
        "（二十一）2",
        "每学期完成一篇2000字左右与研修内容相关的研究论文",
        "a research paper of about 2,000 characters each semester",
        "individual",
    ),
    _rule(
        "ws.ind.reflection",
        "（二十一）3",
        "每学年完成一份1000字左右的反思性总结或心得体会",
        "a reflection of about 1,000 characters each school year",
        "individual",
    ),
    _rule(
        "ws.ind.designs",
        "（二十一）4",
        "每学年递交2份用于专项研讨的教学设计或教学案例",
        "two teaching designs or cases each school year",
        "individual",
    ),
    _rule(
        "ws.ind.seminar",
        "（二十一）5",
        "每学年组织和发起1次工作室内的专题研讨",
        "organises one in-studio seminar each school year",
        "individual",
    ),
    _rule(
        "ws.ind.participation",
        "（二十一）6",
        "按要求参加工作室组织的各类活动",
        "attends the activities the studio organises",
        "individual",
    ),
    # funding
    _rule(
        "ws.funding",
        "（十九）",
        "旗教育教学研究中心为工作室提供专项经费，专款专用",
        "special funds from the banner teaching research centre, used only for their purposes",
        "funding",
    ),
]

#: the team items of the digest (they make the studio's grade) and the individual items (each person's grade)
TEAM_ITEMS = (
    "ws.team.project",
    "ws.team.backbone",
    "ws.team.lecture",
    "ws.team.seminar",
    "ws.team.outreach",
    "ws.team.pairing",
    "ws.ops.meetings",
    "ws.ops.study",
    "ws.ops.filing",
)
INDIVIDUAL_ITEMS = (
    "ws.ind.project",
    "ws.ind.paper",
    "ws.ind.reflection",
    "ws.ind.designs",
    "ws.ind.seminar",
    "ws.ind.participation",
)
BASIS = {r.id: r.basis for r in RULES}
