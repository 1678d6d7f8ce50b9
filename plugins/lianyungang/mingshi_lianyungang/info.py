"""Who Lianyungang is: the policy, its studio kind, its words, and every rule it applies."""

from mingshi.jurisdiction import JurisdictionInfo, Label, RuleDef, Vocabulary, labels

INFO = JurisdictionInfo(
    code="lianyungang",
    name=Label("连云港市", "Lianyungang"),
    policy_title="连云港市青少年科技教育名师工作室创建与管理办法（试行）",
    policy_title_en="Measures of Lianyungang for creating and managing studios of master teachers of youth "
    "science and technology education (trial)",
    # the text is a trial measure without a printed date or number (第二十四条: 自公布之日起实施)
    policy_version="试行",
    policy_number=None,
    studio_kinds={
        "science_studio": Label("青少年科技教育名师工作室", "youth science education master-teacher studio"),
    },
    member_role="member",
    member_label=Label("骨干成员", "backbone member"),
    studio_label=Label("工作室", "studio"),
    cycle_years_param="lyg.cycle_years",
    notice_days_param="lyg.notice_days",
    county_quota_param="lyg.county_quota",
    annual_period="calendar_year",
    contract=1,
    evaluations=("application", "annual", "cycle"),
)

VOCABULARY = Vocabulary(
    {
        "honors": labels(
            [
                ("municipal_subject_leader", "市级学科带头人", "municipal subject leader"),
                (
                    "municipal_outstanding_expert",
                    "市级有突出贡献的优秀专家",
                    "municipal expert with outstanding contributions",
                ),
            ]
        ),
        "output_types": labels(
            [
                ("budget_report", "年度经费开支预算报告", "annual budget report"),
            ]
        ),
        "expense_categories": labels(
            [
                (
                    "lecture_fee",
                    "课时费（送教、帮扶、对外讲学劳务费）",
                    "lecture fees (teaching sent out, assistance, lectures)",
                ),
                ("transport", "交通费", "transport"),
                ("board_lodging", "食宿费", "board and lodging"),
                ("venue_equipment_rental", "场地设备租赁费", "venue and equipment rental"),
                ("teaching_resources", "教学资源费", "teaching resources"),
                ("materials_subscription", "资料订购费", "subscriptions to materials"),
                ("output_consolidation", "成果固化费", "consolidation of results (publication)"),
            ]
        ),
    }
)


def _rule(rule_id, basis, zh, en, kind, **flags):
    return RuleDef(rule_id, basis, Label(zh, en), kind, **flags)


RULES = [
    # -- application (第十一条、第十二条) and team (第二条) ----------------------------------------
    _rule(
        "lyg.apply.school",
        "第十一条",
        "申报学校为普通中小学或中等职业学校",
        "the host's school is an ordinary primary or secondary school or a secondary vocational school",
        "application",
        attestation=True,
    ),
    _rule("lyg.site.area", "第十二条(一)1", "工作室面积不低于50平方米", "studio room of at least 50 m²", "application"),
    _rule("lyg.site.height", "第十二条(一)1", "室内高度不低于2.7米", "ceiling height of at least 2.7 m", "application"),
    _rule(
        "lyg.site.capacity",
        "第十二条(一)1",
        "可同时容纳10人以上开展科技教学活动",
        "room for 10 or more people at a time",
        "application",
    ),
    _rule(
        "lyg.site.safety",
        "第十二条(一)2",
        "场地设施安全，采光、通风良好，符合消防规范，有公共卫生设施",
        "safe site, good lighting and ventilation, fire code met, toilets available",
        "application",
        attestation=True,
    ),
    _rule(
        "lyg.site.equipment",
        "第十二条(一)3",
        "配有开展活动所需的设备和教材",
        "equipment and teaching materials for the activities",
        "application",
        attestation=True,
    ),
    _rule(
        "lyg.host.ethics",
        "第十二条(二)1",
        "主持人政治立场、职业道德、敬业精神及科技教育经验",
        "host's political stance, professional ethics, dedication and experience",
        "application",
        attestation=True,
    ),
    _rule(
        "lyg.host.qualification",
        "第十二条(二)2",
        "主持人具有中级及以上职称或为市级学科带头人、市级有突出贡献的优秀专家",
        "host has an intermediate or higher title, or is a municipal subject leader or outstanding expert",
        "application",
    ),
    _rule(
        "lyg.host.award",
        "第十二条(二)3",
        "主持人近五年内作为第一指导教师指导学生获省科技创新大赛或省机器人竞赛一等奖",
        "host was first instructor of a first prize at the provincial innovation or robotics contest within 5 years",
        "application",
    ),
    _rule(
        "lyg.host.ability",
        "第十二条(二)4",
        "主持人具有较强的专业引领、培训指导和组织协调能力",
        "host's ability to lead, train and coordinate",
        "application",
        attestation=True,
    ),
    _rule(
        "lyg.member.backbone",
        "第十二条(三)1",
        "成员为县（区）级及以上骨干教师",
        "each member is a backbone teacher at county level or above",
        "composition",
    ),
    _rule(
        "lyg.member.award",
        "第十二条(三)2",
        "成员近五年内作为第一指导教师指导学生获县（区）级及以上科技创新大赛或机器人竞赛二等奖以上",
        "each member was first instructor of a second prize or better at county level or above within 5 years",
        "composition",
    ),
    _rule(
        "lyg.member.teamwork",
        "第十二条(三)3",
        "成员具备较强的团队合作精神，能够承担相应职责任务",
        "each member's team spirit and ability to carry out the duties",
        "composition",
        attestation=True,
    ),
    _rule(
        "lyg.team.size",
        "第二条",
        "培养骨干成员10名左右（提示）",
        "about 10 backbone members (advisory)",
        "composition",
        advisory=True,
    ),
    # -- assessment (第十六条): ten criteria, ≥ 6 合格, ≥ 9 优秀 -----------------------------------
    _rule(
        "lyg.assess.c1",
        "第十六条(一)",
        "在中国科协、教育部等牵头组织的科技比赛中获奖",
        "awards in contests led by CAST or the Ministry of Education",
        "assessment",
    ),
    _rule(
        "lyg.assess.c2",
        "第十六条(二)",
        "在全国青少年创意编程与智能设计大赛、科学调查体验竞赛、科学影像大赛中获奖",
        "awards in the national creative programming, science survey or science film contests",
        "assessment",
    ),
    _rule(
        "lyg.assess.c3",
        "第十六条(三)",
        "参加高校科学营、英才计划等青少年科技类活动（至少1项）",
        "at least one youth science programme (science camp, Youth Talent Plan …)",
        "assessment",
    ),
    _rule(
        "lyg.assess.c4",
        "第十六条(四)",
        "省级科技创新大赛、机器人大赛、电脑制作活动获一等奖2项或二等奖4项以上",
        "2 provincial first prizes or 4 second prizes (innovation, robotics, computer production)",
        "assessment",
    ),
    _rule(
        "lyg.assess.c5",
        "第十六条(五)",
        "联系、协助科技教育薄弱学校不少于2所并取得明显成效",
        "at least 2 weak schools assisted, with evident results",
        "assessment",
        attestation=True,
    ),
    _rule(
        "lyg.assess.c6",
        "第十六条(六)",
        "参加科协科普周、科普日或承办科技竞赛活动",
        "science popularisation week or day, or a contest hosted",
        "assessment",
    ),
    _rule(
        "lyg.assess.c7",
        "第十六条(七)",
        "指导学生参加市级青少年科技创新大赛获奖数量和质量有水平",
        "awards at the municipal innovation contest, in good number and quality",
        "assessment",
        attestation=True,
    ),
    _rule(
        "lyg.assess.c8",
        "第十六条(八)",
        "每年开展科技辅导员专题技能培训不少于2场次",
        "at least 2 skills trainings for science instructors a year",
        "assessment",
    ),
    _rule(
        "lyg.assess.c9",
        "第十六条(九)",
        "每年新增骨干成员3名",
        "3 new backbone members a year",
        "assessment",
    ),
    _rule(
        "lyg.assess.c10",
        "第十六条(十)",
        "工作室所在单位有相应的经费保障",
        "matching funds from the host school",
        "assessment",
    ),
    _rule(
        "lyg.assess.priority",
        "第十八条",
        "考核优秀的工作室导师及骨干成员优先推荐",
        "priority recommendation for the host and members of an excellent studio",
        "assessment",
    ),
    # -- funds (第十九条—第二十二条) -----------------------------------------------------------------
    _rule(
        "lyg.funding",
        "第十九条、第二十二条",
        "每年项目补助资金1万元，连续3年；年度考核不合格的次年不再拨付",
        "¥10,000 a year for 3 years; none for the year after a failed annual assessment",
        "funding",
    ),
    _rule(
        "lyg.budget.report",
        "第二十条",
        "挂牌后一周内报送年度经费开支预算报告（提示）",
        "annual budget report within a week of the plaque (advisory)",
        "operation",
        advisory=True,
    ),
]
