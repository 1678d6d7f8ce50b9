"""The documents 温州 asks of each activity (第八条), and the check of a report's title.

* 第八条(一) 开展“送教”活动前须上传“活动通知”…作为工作室活动和报销的文件依据 — the notice of each activity,
  due ⚙ ``wz.doc.notice_days_before`` days before it (0: on its day at the latest, the digest's
  **Before** rule); it may be filed ahead. It is the basis for reimbursement: an activity whose notice
  was filed late is not reimbursable.
* 第八条(三) 工作室活动结束后，撰写报道…标题统一格式《主标题——记温州市***“名师送教”工作室第*次活动》。活动报道在名师网
  提交后，经名师办审核后发布 — the report of each activity, due ⚙ ``wz.doc.report_days_after`` days
  after it, reviewed; its title is checked when submitted; an activity whose report is not approved
  is not reimbursable (the report is, with the notice, the file the reimbursement rests on).
"""

from __future__ import annotations

from mingshi.jurisdiction import Label, ParameterDef, RuleDef, activity_document, ahead_document

from .i18n import _
from .parameters import POLICY_DATE
from .titles import check_title

NOTICE_TITLE = Label("活动通知", "notice of the activity")
#: 第八条(一) 上传“活动通知”至温州名师网“通知公告”栏: the upload is the publication, so the notice's first
#: filing is the activity's ``notice_published`` (what ``wz.ops.notice`` reads)
NOTICE_DATES = ("notice_published", "submitted")
#: 第八条(三) 活动报道在名师网提交后，经名师办审核后发布: the report is published when approved
REPORT_DATES = ("report_published", "approved")
REPORT_TITLE = Label("活动报道", "report of the activity")

RULES = [
    RuleDef(
        "wz.doc.notice",
        "第八条(一)",
        Label("活动前上传活动通知（报销依据）", "notice uploaded before the activity (basis for reimbursement)"),
        "operation",
    ),
    RuleDef(
        "wz.doc.report",
        "第八条(三)",
        Label("活动后提交活动报道，经名师办审核", "report submitted after the activity and reviewed"),
        "operation",
    ),
]

PARAMETERS = [
    ParameterDef(
        "wz.doc.notice_days_before",
        "int",
        "第八条(一) 活动前 (decided 2026-12-03: on the activity's day at the latest)",
        Label("活动通知最迟于活动前（天）上传", "days before the activity its notice is due"),
        ((POLICY_DATE, "0"),),
        maximum=90,
    ),
    ParameterDef(
        "wz.doc.report_days_after",
        "int",
        "第八条(三) 活动结束后 (no day in the text; decided 2026-12-03)",
        Label("活动结束后提交活动报道的期限（天）", "days after the activity its report is due"),
        ((POLICY_DATE, "7"),),
        maximum=90,
    ),
]


def required_documents(studio, year: int, activities, params):
    if studio.status != "active":
        return []
    found = []
    for number, activity in enumerate(activities, start=1):  # the studio's activities in date order
        if activity.date.year != year:
            continue
        before = int(params.value("wz.doc.notice_days_before", activity.date))
        after = int(params.value("wz.doc.report_days_after", activity.date))
        found.append(
            activity_document(
                "wz.doc.notice",
                NOTICE_TITLE,
                "第八条(一)",
                activity,
                activities,
                timing="before",
                offset_days=-before,
                reimbursement_basis=True,
                purposes=("notice", "other"),
                dates=NOTICE_DATES,
            )
        )
        found.append(
            activity_document(
                "wz.doc.report",
                REPORT_TITLE,
                "第八条(三)",
                activity,
                activities,
                timing="after",
                offset_days=after,
                reimbursement_basis=True,
                checks_title=True,
                number=number,
                purposes=("report", "photo", "other"),
                dates=REPORT_DATES,
            )
        )
    found.append(
        ahead_document(
            "wz.doc.notice",
            NOTICE_TITLE,
            "第八条(一)",
            reimbursement_basis=True,
            purposes=("notice", "other"),
            offset_days=-int(params.value("wz.doc.notice_days_before", POLICY_DATE)),
            dates=NOTICE_DATES,
        )
    )
    return found


def check_document_title(document, title: str, host: str | None):
    if document.code != "wz.doc.report" or document.number is None:
        return None
    host_name = host or "***"
    problem = check_title(title, host_name, document.number)
    if problem is None:
        return None
    expected = f"《主标题——记温州市{host_name}“名师送教”工作室第{document.number}次活动》"
    return _("The title must read %(expected)s (第八条(三))", expected=expected)
