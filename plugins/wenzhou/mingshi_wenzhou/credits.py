"""Credit recognition at the cycle's end (第九条 学分认定): from the stored cycle result, the credits of the
host (by the studio's grade) and of each trainee (by the trainee's own result: duties met and place kept).

How many credits each result gives is a dated parameter (``wz.credit.*``): the policy refers to
《温州市名师工作室考核方案》 for the amounts, which the policy text does not contain.
"""

from __future__ import annotations

from decimal import Decimal

from mingshi.jurisdiction import Credit, Evaluation, Grade, Period, StudioFacts

from .i18n import _

RULE = "wz.credit"

#: the studio's grade → the parameter giving the host's credits, and the article it reads
HOST = {
    Grade.EXCELLENT: ("wz.credit.host_excellent", "第九条"),
    Grade.PASS: ("wz.credit.host_pass", "第九条"),
    Grade.FAIL: ("wz.credit.host_fail", "第九条、第十条(二)"),
}


def _amount(facts: StudioFacts, param: str, period: Period) -> Decimal:
    return Decimal(facts.param(param, on=period.end))


def credits(facts: StudioFacts, period: Period, evaluation: Evaluation) -> list[Credit]:
    grade = Grade(evaluation.grade)
    if grade == Grade.PENDING:
        # the grade awaits a judgement: nothing can be recognized from it yet
        return []
    found: list[Credit] = []
    host = facts.host(period.end)
    if host is not None:
        param, basis = HOST[grade]
        amount = _amount(facts, param, period)
        texts = {
            Grade.EXCELLENT: _("%(name)s hosted a studio assessed excellent: %(credits)s credits", name=host.name,
                               credits=amount),
            Grade.PASS: _("%(name)s hosted a studio assessed pass: %(credits)s credits", name=host.name,
                          credits=amount),
            Grade.FAIL: _("%(name)s hosted a studio that did not complete its tasks (fail): %(credits)s credits",
                          name=host.name, credits=amount),
        }  # fmt: skip
        found.append(Credit(host.key, "host", amount, RULE, basis, texts[grade]))
    removed = {r.person for r in evaluation.removals}
    for member in evaluation.members:
        if member.person == (host.key if host else None):
            continue
        person = facts.people.get(member.person)
        name = person.name if person else member.person
        if member.status == "removed" or member.person in removed:
            amount = _amount(facts, "wz.credit.trainee_removed", period)
            text = _("%(name)s lost the trainee's place: %(credits)s credits", name=name, credits=amount)
            found.append(Credit(member.person, "trainee", amount, RULE, "第九条、第七条(二)", text))
        elif member.grade == Grade.PASS:
            amount = _amount(facts, "wz.credit.trainee_pass", period)
            text = _("%(name)s completed the trainee duties: %(credits)s credits", name=name, credits=amount)
            found.append(Credit(member.person, "trainee", amount, RULE, "第九条、第六条", text))
        elif member.grade == Grade.FAIL:
            amount = _amount(facts, "wz.credit.trainee_fail", period)
            text = _("%(name)s did not complete the trainee duties: %(credits)s credits", name=name, credits=amount)
            found.append(Credit(member.person, "trainee", amount, RULE, "第九条、第六条", text))
        else:
            amount = _amount(facts, "wz.credit.trainee_left", period)
            text = _("%(name)s left the studio before the cycle's end: %(credits)s credits", name=name, credits=amount)
            found.append(Credit(member.person, "trainee", amount, RULE, "第九条", text))
    return found
