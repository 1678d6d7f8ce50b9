"""The words of 温州市“名师送教”管理办法: the activity and output types its workspace offers, each with
the article that names it (an empty article: the policy names no such thing, kept for what fits
nowhere). The policy asks for no site (设站学校 provides it) and for no per-person judgement."""

from mingshi.jurisdiction import Terms, terms

TERMS = Terms(
    activity_types=terms(
        (
            # 第五条(一)3 开设示范课或讲座
            ("open_class", "第五条(一)3"),
            ("lecture", "第五条(一)3"),
            # 第五条(一)4 指导学员开展命题和作业(活动)设计
            ("assignment_design", "第五条(一)4"),
            # 第五条(二)6 在结对学校开展调研活动
            ("survey", "第五条(二)6"),
            # 第五条(二)8 校本研修活动和专业阅读活动
            ("school_based_study", "第五条(二)8"),
            ("reading", "第五条(二)8"),
            # 第五条(三)9–11 组团式、联盟式、融通式研修
            ("cross_subject_study", "第五条(三)9"),
            ("cross_region_study", "第五条(三)10"),
            ("county_joint_study", "第五条(三)11"),
            ("other", ""),
        )
    ),
    output_types=terms(
        (
            # 第五条(一)2 指导学员制订2-3年成长规划
            ("growth_plan", "第五条(一)2"),
            # 第五条(一)4; 第六条(三) 作业设计和命题研究
            ("assignment_design", "第五条(一)4"),
            # 第五条(二)7 开展、指导课题研究
            ("research_project", "第五条(二)7"),
            # 第六条(四) 撰写论文或课例不少于一篇
            ("paper", "第六条(四)"),
            ("lesson_case", "第六条(四)"),
            # 第八条(三) 工作室活动结束后，撰写报道上传温州名师网
            ("news_brief", "第八条(三)"),
            ("other", ""),
        )
    ),
    site_fields=(),
)
