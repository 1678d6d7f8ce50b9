"""The words of 乌审旗名师工作室管理办法: the activity and output types its workspace offers and the
per-person judgement reviewers record, each with the paragraph that names it (an empty one: the
policy names no such thing, kept for what fits nowhere). The policy asks for no site."""

from mingshi.jurisdiction import Judgement, Terms, terms

TERMS = Terms(
    activity_types=terms(
        (
            # （十八）1 每学期召开一次工作部署会和阶段性总结会 … 工作研讨、汇报会、或参加外出学习活动
            ("planning_meeting", "（十八）1"),
            ("summary_meeting", "（十八）1"),
            ("seminar", "（十八）1"),
            ("report_meeting", "（十八）1"),
            # （十六）2、（十七）4 学习研讨、观摩互动、外出培训、专题讲座
            ("observation", "（十六）2"),
            ("training", "（十六）2"),
            ("lecture", "（十六）2"),
            # （十）公开教学、现场指导; （二十）3 公开讲座
            ("open_class", "（十）"),
            ("field_guidance", "（十）"),
            # （九）读书交流
            ("reading", "（九）"),
            # （十一）每年至少组织工作室成员开展1次支教活动或送教下乡活动
            ("support_teaching", "（十一）"),
            ("send_teaching", "（十一）"),
            ("other", ""),
        )
    ),
    output_types=terms(
        (
            # （二十）1、（二十一）1 课题研究
            ("research_project", "（二十）1"),
            # （二十一）2 研究论文
            ("paper", "（二十一）2"),
            # （二十一）3 反思性总结或心得体会
            ("reflection", "（二十一）3"),
            # （二十一）4 教学设计或教学案例
            ("teaching_design", "（二十一）4"),
            # （十四）各工作室每年要对自己的工作进行书面总结
            ("work_summary", "（十四）"),
            ("other", ""),
        )
    ),
    site_fields=(),
    judgements=(
        # （六）名师工作室成员由全旗有一定知名度 … (the reviewer judges what the records cannot show)
        Judgement("ws.member.qualification", "application", ("reviewer", "admin"), "（六）"),
    ),
)
