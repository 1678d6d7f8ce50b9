"""The words of 连云港市青少年科技教育名师工作室创建与管理办法: the activity and output types its
workspace offers, the site it asks for and the per-person judgement reviewers record, each with the
article that names it (an empty article: the policy names no such thing, kept for what fits nowhere)."""

from mingshi.jurisdiction import Judgement, Terms, terms

TERMS = Terms(
    activity_types=terms(
        (
            # 第七条 以研讨会、报告会、名师论坛、公开教学、送教下乡、现场指导等形式向全市辐射、示范
            ("seminar", "第七条"),
            ("report_meeting", "第七条"),
            ("forum", "第七条"),
            ("open_class", "第七条"),
            ("send_teaching", "第七条"),
            ("field_guidance", "第七条"),
            # 第八条 …专题研究、公开课讲评、观摩考察等形式对成员进行培养
            ("observation", "第八条"),
            # 第十六条 the ten assessment standards
            ("youth_science_program", "第十六条(三)"),
            ("assist_school", "第十六条(五)"),
            ("science_popularization", "第十六条(六)"),
            ("competition_hosting", "第十六条(六)"),
            ("training", "第十六条(八)"),
            ("other", ""),
        )
    ),
    output_types=terms(
        (
            # 第二十条 工作室在挂牌后一周内报送工作室年度经费开支预算报告
            ("budget_report", "第二十条"),
            # 第七条 开展学术研究; the policy names no kind of written result
            ("paper", ""),
            ("teaching_design", ""),
            ("news_brief", ""),
            ("other", ""),
        )
    ),
    # 第十二条(一)1 工作室面积不低于50平方米，室内高度不低于2.7米，可同时容纳10人以上
    site_fields=terms(
        (("site_area_m2", "第十二条(一)1"), ("site_height_m", "第十二条(一)1"), ("site_capacity", "第十二条(一)1"))
    ),
    judgements=(
        # 第十二条(三)3 具备较强的团队合作精神; 第十四条 市科协、市教育局进行资格审查
        Judgement("lyg.member.teamwork", "application", ("reviewer", "admin"), "第十二条(三)3"),
    ),
)
