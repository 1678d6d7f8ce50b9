"""The words of 沈阳市中小学名校长、名教师工作坊(室)管理办法: the activity and output types its
workspace offers and the per-person judgement the host records, each with the article that names it
(an empty article: the policy names no such thing, kept for what fits nowhere). The policy asks for no
site, so no site field is offered."""

from mingshi.jurisdiction import Judgement, Terms, terms

TERMS = Terms(
    activity_types=terms(
        (
            # 第七条第2项 读书分享会、经验学习交流会、团队建设等多种形式至少开展一次共同体研修活动
            ("community_study", "第七条第2项"),
            ("reading", "第七条第2项"),
            # 第七条第4项 主动承担各级教师培训任务
            ("training", "第七条第4项"),
            # 第七条第5项 组织并参与听课、评课等教育教学活动 … 线上线下协同研修活动
            ("open_class", "第七条第5项"),
            ("seminar", "第七条第5项"),
            # 第七条第7项 优质资源辐射
            ("send_teaching", "第七条第7项"),
            ("principals_forum_report", "第七条第7项"),
            ("experience_sharing", "第七条第7项"),
            ("inter_studio_exchange", "第七条第7项"),
            ("results_promotion", "第七条第7项"),
            ("onsite_meeting", "第七条第7项"),
            # 第九条 支持工作坊(室)开展培养培训、教学研究、送教下乡、支教等工作
            ("support_teaching", "第九条"),
            ("other", ""),
        )
    ),
    output_types=terms(
        (
            # 第七条第3项 课题 … 研究成果(含正式刊物公开发表的论文、教学成果奖励、公开出版著作和主流媒体报道等)
            ("research_project", "第七条第3项"),
            ("paper", "第七条第3项"),
            ("teaching_award", "第七条第3项"),
            ("book", "第七条第3项"),
            ("media_report", "第七条第3项"),
            # 第七条第4项 研究成果要及时整理并进行课程化 (培训课程)
            ("training_course", "第七条第4项"),
            # 第七条第6项 至少向各级教育行政部门提供两份…咨询参考
            ("consulting_report", "第七条第6项"),
            # 第七条第8项 年度至少上报五条工作成果快讯或活动简报
            ("news_brief", "第七条第8项"),
            ("other", ""),
        )
    ),
    site_fields=(),
    judgements=(
        # 第十一条 成员实行年度考核制度,由各工作坊(室)主持人负责 … 2.未完成年度工作任务的
        Judgement("sy.member.tasks", "annual", ("host",), "第十一条第2项"),
    ),
)
