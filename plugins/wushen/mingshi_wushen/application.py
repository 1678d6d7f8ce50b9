"""二、名师工作室的组成与认定: who may host a studio and who may join it, as of a date.

The text names no site, team size or host age. A judgement the text asks for (a front-line
teacher's influence; a member's team spirit) is an attestation: ``pending`` until a reviewer records
it, per person (``ws.member.qualification@p3``) or for the whole team (``ws.member.qualification``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from mingshi.jurisdiction import (
    Criterion,
    Evaluation,
    Grade,
    MemberResult,
    MembershipFact,
    Status,
    StudioFacts,
    attestation_only,
    grade_allowing_pending,
    level_at_least,
    with_attestation,
)

from .i18n import _
from .rules import BANNER, combined, criterion, people_on
from .words import honor_name, level_name, position_name

#: （六）基本功大赛一等奖、德育类竞赛一等奖
QUALIFYING_HONORS = ("basic_skills_first_prize", "moral_education_first_prize")


def attestation(facts: StudioFacts, rule_id: str, person: str) -> bool | None:
    """The reviewer's judgement on this person, else one recorded for the whole team."""
    found = facts.attestation(rule_id, person=person)
    return found if found is not None else facts.attestation(rule_id)


# （五）主持人由乌审旗教育教学研究中心专兼职教研员和一线中小学（幼儿园）当中有一定影响力和教学成就的教师组成
def host_qualification(facts: StudioFacts, ms: MembershipFact) -> Criterion:
    person = ms.person
    if person.position == "researcher":
        return criterion(
            "ws.host.qualification",
            Status.MET,
            _("%(name)s is a teaching researcher", name=person.name),
        )
    judged = attestation(facts, "ws.host.qualification", person.key)
    status = attestation_only(judged)
    params = dict(name=person.name, position=position_name(person.position))
    if judged is None:
        text = _(
            "%(name)s (%(position)s) is not a teaching researcher: a reviewer must confirm the influence and "
            "teaching achievements of a front-line teacher",
            **params,
        )
    elif judged:
        text = _(
            "%(name)s (%(position)s): a reviewer confirmed the influence and teaching achievements of a front-line "
            "teacher",
            **params,
        )
    else:
        text = _(
            "%(name)s (%(position)s): a reviewer found the influence or teaching achievements the text asks for "
            "lacking",
            **params,
        )
    return criterion("ws.host.qualification", status, text)


# （六）成员由全旗有一定知名度的旗级及以上学科带头人、骨干教师、教学能手、基本功大赛一等奖、德育类竞赛一等奖获得者
#      并有较强的团队合作精神能够承担相应的职责任务的教研员和一线教师组成: the measurable part (level or prize) and
#      the attestation of team spirit and ability (digest, decided 2026-12-01): unmet if the first is unmet,
#      pending until a reviewer records the second
def member_qualification(facts: StudioFacts, ms: MembershipFact, on: dt.date) -> Criterion:
    person = ms.person
    level = person.backbone_level_on(on)
    grounds = []
    if level_at_least(level, BANNER):
        grounds.append(_("backbone teacher at %(level)s", level=level_name(level)))
    grounds.extend(honor_name(h) for h in QUALIFYING_HONORS if h in person.honors)
    judged = attestation(facts, "ws.member.qualification", person.key)
    status = with_attestation(bool(grounds), judged)
    if not grounds:
        text = _(
            "%(name)s is no backbone teacher at banner level or above (held: %(level)s) and holds neither the first "
            "prize of a basic teaching skills contest nor that of a moral education contest; the team spirit is not "
            "judged then",
            name=person.name,
            level=level_name(level),
        )
    elif judged is None:
        text = _(
            "%(name)s qualifies by %(grounds)s; a reviewer must confirm the team spirit and the ability to take on "
            "the duties",
            name=person.name,
            grounds=grounds,
        )
    elif judged:
        text = _(
            "%(name)s qualifies by %(grounds)s; a reviewer confirmed the team spirit and the ability to take on the "
            "duties",
            name=person.name,
            grounds=grounds,
        )
    else:
        text = _(
            "%(name)s qualifies by %(grounds)s, but a reviewer found the team spirit or the ability to take on the "
            "duties lacking",
            name=person.name,
            grounds=grounds,
        )
    return criterion("ws.member.qualification", status, text)


# （四）名师工作室由工作室主持人和工作室成员组成
def composition(hosts: list[MembershipFact], members: list[MembershipFact], on: dt.date) -> Criterion:
    ok = len(hosts) == 1 and len(members) >= 1
    text = _(
        "On %(date)s the studio has %(hosts)s host(s) and %(members)s members; one host and at least one member "
        "are required",
        date=on,
        hosts=len(hosts),
        members=len(members),
    )
    return criterion("ws.team.composition", Status.MET if ok else Status.UNMET, text, len(members), 1)


def check_application(facts: StudioFacts, on: dt.date) -> Evaluation:
    hosts = people_on(facts, on, ("host",))
    members = people_on(facts, on, ("member",))
    host_results = [(m, host_qualification(facts, m)) for m in hosts]
    if len(host_results) == 1:
        host_criterion = host_results[0][1]
    elif host_results:
        host_criterion = combined("ws.host.qualification", host_results, _("No host"))
    else:
        host_criterion = criterion(
            "ws.host.qualification", Status.UNMET, _("The studio has no host on %(date)s", date=on)
        )
    member_results = [(m, member_qualification(facts, m, on)) for m in members]
    member_criterion = combined(
        "ws.member.qualification", member_results, _("The studio has no member on %(date)s", date=on)
    )
    per_person = [
        MemberResult(person=m.person.key, grade=str(grade_allowing_pending([c], all_met)), criteria=(c,))
        for m, c in [*host_results, *member_results]
    ]
    criteria = [host_criterion, member_criterion, composition(hosts, members, on)]
    return Evaluation(grade=grade_allowing_pending(criteria, all_met), criteria=criteria, members=per_person)


def all_met(statuses: Mapping[str, Status]) -> Grade:
    """Eligible when every criterion is met."""
    ok = all(s in (Status.MET, Status.NOT_APPLICABLE) for s in statuses.values())
    return Grade.PASS if ok else Grade.FAIL
