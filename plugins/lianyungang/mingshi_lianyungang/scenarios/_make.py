"""Write the boundary scenarios of the Lianyungang rules (deterministic; run from anywhere).

    .venv/bin/python plugins/lianyungang/mingshi_lianyungang/scenarios/_make.py

Each file is named after the rule it is about and the side of the boundary; the JSON files are what
the tests read. Two bases: an application of 1 December 2023 that passes, and an annual assessment of
2025 that meets all ten standards of 第十六条; each scenario changes one thing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).parent
APPLY_ON = "2023-12-01"

SCHOOLS = [
    {"id": "s1", "name": "连云港市新海实验中学", "rural": False, "county": "海州区", "stage": "secondary"},
    {"id": "s2", "name": "灌云县杨集中学", "rural": True, "county": "灌云县", "stage": "secondary"},
    {"id": "s3", "name": "东海县石榴中学", "rural": True, "county": "东海县", "stage": "secondary"},
    {"id": "s4", "name": "赣榆区青口二中", "rural": False, "county": "赣榆区", "stage": "secondary"},
]


def person(pid: str, name: str, **extra) -> dict:
    out = {
        "id": pid,
        "name": name,
        "sex": "F",
        "born": "1982-03-01",
        "school": "s4",
        "position": "teacher",
        "title": "intermediate",
        "backbone_level": "county",
        "honors": [],
    }
    out.update(extra)
    return out


def studio(**extra) -> dict:
    out = {
        "kind": "science_studio",
        "name": "王海燕青少年科技教育名师工作室",
        "county": "海州区",
        "cycle_start": "2024-01-01",
        "site": {"area_m2": 64, "height_m": 3.0, "capacity": 20},
        "school_matching_funds": {"2024": "5000", "2025": "5000", "2026": "5000"},
    }
    out.update(extra)
    return out


# -- application ---------------------------------------------------------------------------------


def application() -> dict:
    people = [person("p1", "王海燕", school="s1", title="deputy_senior", backbone_level="municipal")]
    people += [person(f"p{i}", f"成员{i}") for i in range(2, 12)]
    awards = [
        {
            "competition": "sci_tech_innovation",
            "level": "provincial",
            "rank": "first",
            "first_instructor": "p1",
            "date": "2022-07-01",
        },
    ]
    awards += [
        {
            "competition": "robotics",
            "level": "county",
            "rank": "second",
            "first_instructor": f"p{i}",
            "date": "2023-05-01",
        }
        for i in range(2, 12)
    ]
    return {
        "jurisdiction": "lianyungang",
        "evaluate": {"kind": "application", "date": APPLY_ON},
        "studio": studio(status="applying"),
        "schools": SCHOOLS,
        "people": people,
        "members": [{"person": "p1", "role": "host", "joined": APPLY_ON, "left": None}]
        + [{"person": f"p{i}", "role": "member", "joined": APPLY_ON, "left": None} for i in range(2, 12)],
        "student_awards": awards,
        "attestations": {
            "lyg.site.safety": True,
            "lyg.site.equipment": True,
            "lyg.host.ethics": True,
            "lyg.host.ability": True,
            "lyg.member.teamwork": True,
        },
    }


def host(data: dict) -> dict:
    return next(p for p in data["people"] if p["id"] == "p1")


# -- annual ----------------------------------------------------------------------------------------


def annual(year: int = 2025) -> dict:
    """All ten standards met in ``year``."""
    y = str(year)
    people = [
        person(
            "p1",
            "王海燕",
            school="s1",
            title="deputy_senior",
            backbone_level="municipal",
            honors=["municipal_subject_leader"],
        )
    ]
    people += [person(f"p{i}", f"成员{i}") for i in range(2, 12)]
    people += [person(f"p{i}", f"新成员{i}") for i in range(12, 15)]
    members = [{"person": "p1", "role": "host", "joined": "2024-01-01", "left": None}]
    members += [{"person": f"p{i}", "role": "member", "joined": "2024-01-01", "left": None} for i in range(2, 12)]
    members += [
        {"person": "p12", "role": "member", "joined": f"{y}-02-20", "left": None},
        {"person": "p13", "role": "member", "joined": f"{y}-03-01", "left": None},
        {"person": "p14", "role": "member", "joined": f"{y}-09-01", "left": None},
    ]

    def activity(aid: str, date: str, type_: str, **extra) -> dict:
        out = {
            "id": aid,
            "date": f"{y}-{date}",
            "type": type_,
            "mode": "offline",
            "scope": "studio",
            "led_by": ["p1"],
            "title": f"活动{aid}",
        }
        out.update(extra)
        return out

    def award(competition: str, level: str, rank: str, who: str, date: str) -> dict:
        return {
            "competition": competition,
            "level": level,
            "rank": rank,
            "first_instructor": who,
            "date": f"{y}-{date}",
        }

    return {
        "jurisdiction": "lianyungang",
        "evaluate": {"kind": "annual", "year": year},
        "studio": studio(),
        "schools": SCHOOLS,
        "people": people,
        "members": members,
        "activities": [
            activity("a1", "03-05", "youth_science_program"),
            activity("a2", "04-11", "assist_school", school="s2"),
            activity("a3", "05-16", "assist_school", school="s3"),
            activity("a4", "05-20", "science_popularization", scope="municipal"),
            activity("a5", "06-12", "training"),
            activity("a6", "10-23", "training"),
        ],
        "student_awards": [
            award("sci_tech_innovation", "national", "second", "p1", "07-10"),
            award("creative_programming", "national", "third", "p5", "08-01"),
            award("sci_tech_innovation", "provincial", "first", "p2", "07-10"),
            award("robotics", "provincial", "first", "p3", "07-10"),
            award("sci_tech_innovation", "municipal", "first", "p4", "04-20"),
        ],
        "attestations": {"lyg.assess.c5": True, "lyg.assess.c7": True},
    }


def drop(data: dict, key: str, pred) -> dict:
    data[key] = [x for x in data[key] if not pred(x)]
    return data


def awards_where(data: dict, **match) -> list[dict]:
    return [a for a in data["student_awards"] if all(a[k] == v for k, v in match.items())]


SCENARIOS: dict[str, tuple[str, dict, dict]] = {}


def scenario(name: str, description: str, data: dict, expect: dict) -> None:
    assert name not in SCENARIOS, name
    SCENARIOS[name] = (description, data, expect)


def build() -> None:
    # ---- application: the base passes ---------------------------------------------------------
    d = application()
    scenario(
        "lyg.application-pass",
        "Everything required on the application date, every judgement recorded.",
        d,
        {
            "grade": "pass",
            "criteria": {
                "lyg.apply.school": "met",
                "lyg.site.area": "met",
                "lyg.host.award": "met",
                "lyg.member.award": "met",
                "lyg.member.teamwork": "met",
                "lyg.team.size": "met",
            },
        },
    )
    d = application()
    d["attestations"] = {}
    scenario(
        "lyg.application-attestations-pending",
        "No reviewer has judged yet: the answer waits.",
        d,
        {
            "grade": "pending",
            "criteria": {
                "lyg.site.safety": "pending",
                "lyg.site.equipment": "pending",
                "lyg.host.ethics": "pending",
                "lyg.host.ability": "pending",
                "lyg.member.teamwork": "pending",
                "lyg.host.award": "met",
            },
        },
    )
    d = application()
    d["attestations"]["lyg.site.safety"] = False
    scenario(
        "lyg.site.safety-false-fail",
        "The reviewer found the site unsafe.",
        d,
        {"grade": "fail", "criteria": {"lyg.site.safety": "unmet"}},
    )
    d = application()
    d["attestations"]["lyg.member.teamwork@p3"] = False
    scenario(
        "lyg.member.teamwork-one-false-unmet",
        "One member's team spirit judged insufficient.",
        d,
        {"grade": "fail", "criteria": {"lyg.member.teamwork": "unmet"}},
    )
    d = application()
    d["attestations"].pop("lyg.site.safety")
    d["studio"]["site"]["area_m2"] = 49
    scenario(
        "lyg.application-pending-cannot-save-fail",
        "A pending judgement cannot save a room of 49 m².",
        d,
        {"grade": "fail", "criteria": {"lyg.site.safety": "pending", "lyg.site.area": "unmet"}},
    )

    # site (第十二条(一)1)
    for area, status in ((49, "unmet"), (50, "met")):
        d = application()
        d["studio"]["site"]["area_m2"] = area
        scenario(
            f"lyg.site.area-{area}-{status}",
            f"Studio room of {area} m² (at least 50).",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.site.area": status}},
        )
    for height, status in (("2.69", "unmet"), ("2.7", "met")):
        d = application()
        d["studio"]["site"]["height_m"] = height
        scenario(
            f"lyg.site.height-{height}-{status}",
            f"Ceiling of {height} m (at least 2.7).",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.site.height": status}},
        )
    for cap, status in ((9, "unmet"), (10, "met")):
        d = application()
        d["studio"]["site"]["capacity"] = cap
        scenario(
            f"lyg.site.capacity-{cap}-{status}",
            f"Room for {cap} people (10人以上 includes 10).",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.site.capacity": status}},
        )
    d = application()
    d["studio"]["site"] = None
    scenario(
        "lyg.site-not-recorded-unmet",
        "No site recorded: the three measurable site rules are unmet.",
        d,
        {
            "grade": "fail",
            "criteria": {"lyg.site.area": "unmet", "lyg.site.height": "unmet", "lyg.site.capacity": "unmet"},
        },
    )

    # school (第十一条)
    d = application()
    d["schools"] = copy.deepcopy(SCHOOLS)
    d["schools"][0].pop("stage")
    scenario(
        "lyg.apply.school-stage-unknown-pending",
        "The host school's stage is not recorded.",
        d,
        {"grade": "pending", "criteria": {"lyg.apply.school": "pending"}},
    )
    d = copy.deepcopy(d)
    d["attestations"]["lyg.apply.school"] = True
    scenario(
        "lyg.apply.school-stage-unknown-attested-met",
        "Stage not recorded; a reviewer confirmed it.",
        d,
        {"grade": "pass", "criteria": {"lyg.apply.school": "met"}},
    )
    for stage, status in (("kindergarten", "unmet"), ("vocational", "met"), ("primary", "met")):
        d = application()
        d["schools"] = copy.deepcopy(SCHOOLS)
        d["schools"][0]["stage"] = stage
        scenario(
            f"lyg.apply.school-{stage}-{status}",
            f"The host's school is a {stage} school.",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.apply.school": status}},
        )

    # host (第十二条(二))
    d = application()
    host(d).update(title="junior", honors=[])
    scenario(
        "lyg.host.qualification-junior-unmet",
        "A junior title and no honor.",
        d,
        {"grade": "fail", "criteria": {"lyg.host.qualification": "unmet"}},
    )
    d = application()
    host(d).update(title="intermediate", honors=[])
    scenario(
        "lyg.host.qualification-intermediate-met",
        "An intermediate title suffices.",
        d,
        {"grade": "pass", "criteria": {"lyg.host.qualification": "met"}},
    )
    for honor in ("municipal_subject_leader", "municipal_outstanding_expert"):
        d = application()
        host(d).update(title="junior", honors=[honor])
        scenario(
            f"lyg.host.qualification-{honor}-met",
            f"A junior title but {honor}: any one suffices.",
            d,
            {"grade": "pass", "criteria": {"lyg.host.qualification": "met"}},
        )
    for date, status, what in (("2018-12-01", "met", "5y-to-the-day"), ("2018-11-30", "unmet", "5y-and-1-day")):
        d = application()
        awards_where(d, first_instructor="p1")[0]["date"] = date
        scenario(
            f"lyg.host.award-{what}-{status}",
            f"Host's provincial first prize on {date}, applying {APPLY_ON}.",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.host.award": status}},
        )
    d = application()
    awards_where(d, first_instructor="p1")[0]["rank"] = "second"
    scenario(
        "lyg.host.award-second-prize-unmet",
        "A provincial second prize is not a first prize.",
        d,
        {"grade": "fail", "criteria": {"lyg.host.award": "unmet"}},
    )
    d = application()
    awards_where(d, first_instructor="p1")[0]["competition"] = "computer_production"
    scenario(
        "lyg.host.award-computer-production-unmet",
        "Only the innovation and robotics contests count.",
        d,
        {"grade": "fail", "criteria": {"lyg.host.award": "unmet"}},
    )

    # members (第十二条(三))
    d = application()
    d["people"][3]["backbone_level"] = "school"
    scenario(
        "lyg.member.backbone-school-unmet",
        "One member is a school-level backbone teacher only.",
        d,
        {"grade": "fail", "criteria": {"lyg.member.backbone": "unmet"}},
    )
    d = application()
    for p in d["people"][1:]:
        p["backbone_level"] = "county"
    scenario(
        "lyg.member.backbone-county-met",
        "Every member is a county-level backbone teacher.",
        d,
        {"grade": "pass", "criteria": {"lyg.member.backbone": "met"}},
    )
    d = application()
    awards_where(d, first_instructor="p5")[0]["rank"] = "third"
    scenario(
        "lyg.member.award-third-unmet",
        "One member's best award is a third prize.",
        d,
        {"grade": "fail", "criteria": {"lyg.member.award": "unmet"}},
    )
    d = application()
    awards_where(d, first_instructor="p5")[0]["level"] = "school"
    scenario(
        "lyg.member.award-school-level-unmet",
        "A school-level second prize is below county level.",
        d,
        {"grade": "fail", "criteria": {"lyg.member.award": "unmet"}},
    )
    for date, status, what in (("2018-12-01", "met", "5y-to-the-day"), ("2018-11-30", "unmet", "5y-and-1-day")):
        d = application()
        awards_where(d, first_instructor="p5")[0]["date"] = date
        scenario(
            f"lyg.member.award-{what}-{status}",
            f"A member's county second prize on {date}.",
            d,
            {"grade": "pass" if status == "met" else "fail", "criteria": {"lyg.member.award": status}},
        )

    # team size (第二条, advisory)
    for n, status in ((7, "notice"), (8, "met"), (12, "met"), (13, "notice")):
        d = application()
        ids = [f"p{i}" for i in range(2, 2 + n)]
        d["people"] = d["people"][:1] + [person(pid, f"成员{pid[1:]}") for pid in ids]
        d["members"] = d["members"][:1] + [
            {"person": pid, "role": "member", "joined": APPLY_ON, "left": None} for pid in ids
        ]
        d["student_awards"] = d["student_awards"][:1] + [
            {
                "competition": "robotics",
                "level": "county",
                "rank": "second",
                "first_instructor": pid,
                "date": "2023-05-01",
            }
            for pid in ids
        ]
        scenario(
            f"lyg.team.size-{n}-{status}",
            f"{n} members: advisory range 8 to 12, never a refusal.",
            d,
            {"grade": "pass", "criteria": {"lyg.team.size": status}},
        )

    # ---- annual: the base meets all ten ----------------------------------------------------------
    d = annual()
    scenario(
        "lyg.grade-10-excellent",
        "All ten standards met in 2025.",
        d,
        {
            "grade": "excellent",
            "criteria": {f"lyg.assess.c{i}": "met" for i in range(1, 11)},
            "consequences": ["priority_recommendation"],
            "funding": "10000.00",
        },
    )

    def without(d: dict, *criteria: int) -> dict:
        """Remove what meets the given standards (1–10) from an annual base."""
        for c in criteria:
            if c == 1:
                drop(
                    d,
                    "student_awards",
                    lambda a: a["level"] == "national" and a["competition"] == "sci_tech_innovation",
                )
            elif c == 2:
                drop(d, "student_awards", lambda a: a["competition"] == "creative_programming")
            elif c == 3:
                drop(d, "activities", lambda a: a["type"] == "youth_science_program")
            elif c == 4:
                drop(d, "student_awards", lambda a: a["level"] == "provincial")
            elif c == 5:
                drop(d, "activities", lambda a: a["type"] == "assist_school" and a["school"] == "s3")
            elif c == 6:
                drop(d, "activities", lambda a: a["type"] == "science_popularization")
            elif c == 7:
                drop(d, "student_awards", lambda a: a["level"] == "municipal")
            elif c == 8:
                drop(d, "activities", lambda a: a["id"] == "a6")
            elif c == 9:
                drop(d, "members", lambda m: m["person"] == "p14")
                drop(d, "people", lambda p: p["id"] == "p14")
            elif c == 10:
                d["studio"]["school_matching_funds"].pop("2025")
        return d

    # grade boundaries (第十六条: ≥ 6 合格, ≥ 9 优秀)
    scenario(
        "lyg.grade-9-excellent",
        "9 standards met (c2 not): excellent.",
        without(annual(), 2),
        {
            "grade": "excellent",
            "criteria": {"lyg.assess.c2": "unmet"},
            "consequences": ["priority_recommendation"],
            "funding": "10000.00",
        },
    )
    scenario(
        "lyg.grade-8-pass",
        "8 standards met: pass.",
        without(annual(), 1, 2),
        {"grade": "pass", "consequences": [], "funding": "10000.00"},
    )
    scenario(
        "lyg.grade-6-pass",
        "6 standards met: pass.",
        without(annual(), 1, 2, 3, 4),
        {"grade": "pass", "consequences": [], "funding": "10000.00"},
    )
    scenario(
        "lyg.grade-5-fail",
        "5 standards met: fail; no subsidy for 2026.",
        without(annual(), 1, 2, 3, 4, 6),
        {"grade": "fail", "consequences": ["funding_stopped"], "funding": "0.00"},
    )
    d = without(annual(), 2)
    d["attestations"] = {"lyg.assess.c7": True}
    scenario(
        "lyg.grade-pending-excellent-or-pass",
        "8 met and c5 awaiting judgement: excellent or pass.",
        d,
        {"grade": "pending", "criteria": {"lyg.assess.c5": "pending"}, "consequences": [], "funding": "10000.00"},
    )
    d = annual()
    d["attestations"] = {"lyg.assess.c7": True}
    scenario(
        "lyg.grade-pending-cannot-change-excellent",
        "9 met, c5 pending: excellent either way.",
        d,
        {"grade": "excellent", "criteria": {"lyg.assess.c5": "pending"}, "consequences": ["priority_recommendation"]},
    )
    d = without(annual(), 1, 2, 3, 4)
    d["attestations"] = {}
    scenario(
        "lyg.grade-pending-pass-or-fail",
        "4 met, c5 and c7 pending: pass or fail.",
        d,
        {
            "grade": "pending",
            "criteria": {"lyg.assess.c5": "pending", "lyg.assess.c7": "pending"},
            "consequences": [],
            "funding": "10000.00",
        },
    )
    d = without(annual(), 1, 2, 3, 4)
    d["attestations"] = {"lyg.assess.c5": False, "lyg.assess.c7": True}
    scenario(
        "lyg.grade-attestation-false-fail",
        "c5 judged without evident results: 5 met, fail.",
        d,
        {
            "grade": "fail",
            "criteria": {"lyg.assess.c5": "unmet"},
            "consequences": ["funding_stopped"],
            "funding": "0.00",
        },
    )

    # each standard on both sides
    d = without(annual(), 1)
    scenario("lyg.assess.c1-0-unmet", "No national award in 2025.", d, {"criteria": {"lyg.assess.c1": "unmet"}})
    d = without(annual(), 1)
    d["student_awards"].append(
        {
            "competition": "robotics",
            "level": "national",
            "rank": "other",
            "first_instructor": "p6",
            "date": "2025-08-15",
        }
    )
    scenario(
        "lyg.assess.c1-1-met", "One national robotics award (any rank).", d, {"criteria": {"lyg.assess.c1": "met"}}
    )
    d = without(annual(), 1)
    d["student_awards"].append(
        {
            "competition": "robotics",
            "level": "national",
            "rank": "first",
            "first_instructor": "p14",
            "date": "2025-08-15",
        }
    )
    scenario(
        "lyg.assess.c1-instructor-not-yet-member-unmet",
        "The first instructor joined on 1 September, after the award: it does not count.",
        d,
        {"criteria": {"lyg.assess.c1": "unmet"}},
    )
    d = without(annual(), 2)
    scenario(
        "lyg.assess.c2-0-unmet", "No award in the contests of item 2.", d, {"criteria": {"lyg.assess.c2": "unmet"}}
    )
    d = without(annual(), 2)
    d["student_awards"].append(
        {
            "competition": "science_film",
            "level": "provincial",
            "rank": "first",
            "first_instructor": "p6",
            "date": "2025-08-15",
        }
    )
    scenario(
        "lyg.assess.c2-provincial-unmet",
        "A provincial science film award is not a national one.",
        d,
        {"criteria": {"lyg.assess.c2": "unmet"}},
    )
    d = without(annual(), 2)
    d["student_awards"].append(
        {
            "competition": "science_survey",
            "level": "national",
            "rank": "third",
            "first_instructor": "p6",
            "date": "2025-08-15",
        }
    )
    scenario("lyg.assess.c2-1-met", "A national science survey award.", d, {"criteria": {"lyg.assess.c2": "met"}})
    scenario(
        "lyg.assess.c3-0-unmet",
        "No youth science programme.",
        without(annual(), 3),
        {"criteria": {"lyg.assess.c3": "unmet"}},
    )
    scenario("lyg.assess.c3-1-met", "One youth science programme.", annual(), {"criteria": {"lyg.assess.c3": "met"}})

    def c4(first: int, second: int) -> dict:
        d = without(annual(), 4)
        for i in range(first):
            d["student_awards"].append(
                {
                    "competition": "sci_tech_innovation",
                    "level": "provincial",
                    "rank": "first",
                    "first_instructor": f"p{2 + i}",
                    "date": "2025-07-10",
                }
            )
        for i in range(second):
            d["student_awards"].append(
                {
                    "competition": "computer_production",
                    "level": "provincial",
                    "rank": "second",
                    "first_instructor": f"p{6 + i}",
                    "date": "2025-07-10",
                }
            )
        return d

    scenario(
        "lyg.assess.c4-1-first-unmet", "One provincial first prize.", c4(1, 0), {"criteria": {"lyg.assess.c4": "unmet"}}
    )
    scenario(
        "lyg.assess.c4-2-first-met", "Two provincial first prizes.", c4(2, 0), {"criteria": {"lyg.assess.c4": "met"}}
    )
    scenario(
        "lyg.assess.c4-3-first-second-unmet",
        "One first and two second prizes: 3 together.",
        c4(1, 2),
        {"criteria": {"lyg.assess.c4": "unmet"}},
    )
    scenario(
        "lyg.assess.c4-4-first-second-met",
        "One first and three second prizes: 4 together.",
        c4(1, 3),
        {"criteria": {"lyg.assess.c4": "met"}},
    )
    scenario(
        "lyg.assess.c4-4-second-met", "Four provincial second prizes.", c4(0, 4), {"criteria": {"lyg.assess.c4": "met"}}
    )
    d = c4(0, 0)
    for i in range(2):
        d["student_awards"].append(
            {
                "competition": "creative_programming",
                "level": "provincial",
                "rank": "first",
                "first_instructor": f"p{2 + i}",
                "date": "2025-07-10",
            }
        )
    scenario(
        "lyg.assess.c4-other-contest-unmet",
        "Provincial first prizes in a contest not named in item 4.",
        d,
        {"criteria": {"lyg.assess.c4": "unmet"}},
    )

    scenario(
        "lyg.assess.c5-1-school-unmet",
        "One weak school assisted (the judgement does not help).",
        without(annual(), 5),
        {"criteria": {"lyg.assess.c5": "unmet"}},
    )
    d = without(annual(), 5)
    d["activities"].append(
        {"id": "a7", "date": "2025-11-05", "type": "assist_school", "school": "s2", "led_by": ["p1"]}
    )
    scenario(
        "lyg.assess.c5-same-school-twice-unmet",
        "Two visits to the same school: 1 school.",
        d,
        {"criteria": {"lyg.assess.c5": "unmet"}},
    )
    scenario(
        "lyg.assess.c5-2-schools-attested-met",
        "Two weak schools, evident results confirmed.",
        annual(),
        {"criteria": {"lyg.assess.c5": "met"}},
    )
    d = annual()
    d["attestations"].pop("lyg.assess.c5")
    scenario(
        "lyg.assess.c5-2-schools-pending",
        "Two weak schools, results not yet judged.",
        d,
        {"criteria": {"lyg.assess.c5": "pending"}},
    )
    d = annual()
    d["attestations"]["lyg.assess.c5"] = False
    scenario(
        "lyg.assess.c5-2-schools-false-unmet",
        "Two weak schools, results judged not evident.",
        d,
        {"criteria": {"lyg.assess.c5": "unmet"}},
    )
    scenario(
        "lyg.assess.c6-0-unmet",
        "No science popularisation event nor hosted contest.",
        without(annual(), 6),
        {"criteria": {"lyg.assess.c6": "unmet"}},
    )
    d = without(annual(), 6)
    d["activities"].append(
        {"id": "a7", "date": "2025-11-05", "type": "competition_hosting", "scope": "county", "led_by": ["p1"]}
    )
    scenario("lyg.assess.c6-hosting-met", "A hosted county contest counts.", d, {"criteria": {"lyg.assess.c6": "met"}})
    scenario(
        "lyg.assess.c7-0-unmet",
        "No municipal innovation award.",
        without(annual(), 7),
        {"criteria": {"lyg.assess.c7": "unmet"}},
    )
    scenario(
        "lyg.assess.c7-1-attested-met",
        "A municipal award, level judged good.",
        annual(),
        {"criteria": {"lyg.assess.c7": "met"}},
    )
    d = annual()
    d["attestations"].pop("lyg.assess.c7")
    scenario(
        "lyg.assess.c7-1-pending",
        "A municipal award, level not yet judged.",
        d,
        {"criteria": {"lyg.assess.c7": "pending"}},
    )
    d = without(annual(), 7)
    d["members"][3]["left"] = "2025-03-01"
    d["student_awards"].append(
        {
            "competition": "sci_tech_innovation",
            "level": "municipal",
            "rank": "first",
            "first_instructor": "p4",
            "date": "2025-04-20",
        }
    )
    scenario(
        "lyg.assess.c7-instructor-left-unmet",
        "The first instructor left before the award.",
        d,
        {"criteria": {"lyg.assess.c7": "unmet"}},
    )
    scenario(
        "lyg.assess.c8-1-unmet", "One skills training.", without(annual(), 8), {"criteria": {"lyg.assess.c8": "unmet"}}
    )
    scenario("lyg.assess.c8-2-met", "Two skills trainings.", annual(), {"criteria": {"lyg.assess.c8": "met"}})
    scenario(
        "lyg.assess.c9-2-unmet", "Two new members.", without(annual(), 9), {"criteria": {"lyg.assess.c9": "unmet"}}
    )
    scenario("lyg.assess.c9-3-met", "Three new members.", annual(), {"criteria": {"lyg.assess.c9": "met"}})
    d = annual()
    d["members"][-1]["left"] = "2025-11-30"
    d["members"][-1]["removal_rule"] = "lyg.manual"
    d["members"][-1]["removal_reason"] = "调离"
    scenario(
        "lyg.assess.c9-one-left-unmet",
        "Three joined, one left before the year's end: 2 added.",
        d,
        {"criteria": {"lyg.assess.c9": "unmet"}, "members": {"p14": "removed", "p13": "active"}},
    )
    d = annual()
    d["members"].insert(-1, {"person": "p14", "role": "member", "joined": "2024-03-01", "left": "2024-06-30"})
    scenario(
        "lyg.assess.c9-rejoined-unmet",
        "p14 was a member in 2024 and joins again in 2025: not a first joining, 2 added.",
        d,
        {"criteria": {"lyg.assess.c9": "unmet"}},
    )
    d = annual(2024)
    for m in d["members"][-3:]:
        m["joined"] = "2024-01-01"
    scenario(
        "lyg.assess.c9-founding-team-unmet",
        "2024: members who join on the cycle start are the founding team, not new members.",
        d,
        {"criteria": {"lyg.assess.c9": "unmet"}, "funding": "10000.00"},
    )
    scenario(
        "lyg.assess.c10-0-unmet",
        "No matching funds recorded for 2025.",
        without(annual(), 10),
        {"criteria": {"lyg.assess.c10": "unmet"}},
    )
    d = annual()
    d["studio"]["school_matching_funds"]["2025"] = "0"
    scenario(
        "lyg.assess.c10-zero-unmet", "Matching funds of ¥0 for 2025.", d, {"criteria": {"lyg.assess.c10": "unmet"}}
    )
    d = annual()
    d["studio"]["school_matching_funds"]["2025"] = "0.01"
    scenario(
        "lyg.assess.c10-positive-met", "Matching funds of ¥0.01 for 2025.", d, {"criteria": {"lyg.assess.c10": "met"}}
    )

    # funding (第十九条、第二十二条)
    d = annual(2026)
    scenario(
        "lyg.funding-last-year-0",
        "2026 is the cycle's last year: nothing is payable for 2027.",
        d,
        {"grade": "excellent", "funding": "0.00"},
    )
    d = without(annual(2026), 1, 2, 3, 4, 6)
    scenario(
        "lyg.funding-fail-last-year",
        "A failed last year: stop for 2027, outside the cycle anyway.",
        d,
        {"grade": "fail", "consequences": ["funding_stopped"], "funding": "0.00"},
    )
    d = annual(2024)
    scenario(
        "lyg.funding-first-year-pass",
        "2024 passes: 2025's subsidy is payable.",
        d,
        {"grade": "excellent", "funding": "10000.00"},
    )
    d = without(annual(), 1, 2)
    d["parameters"] = {"lyg.funding.annual": "12000"}
    scenario(
        "lyg.funding-parameter-override",
        "What if the subsidy were ¥12,000 a year.",
        d,
        {"grade": "pass", "funding": "12000.00"},
    )

    # budget report (第二十条, advisory)
    d = annual(2024)
    d["outputs"] = [{"type": "budget_report", "date": "2024-01-08", "people": ["p1"], "title": "年度经费开支预算报告"}]
    scenario(
        "lyg.budget.report-7-days-met",
        "Budget report 7 days after the plaque.",
        d,
        {"criteria": {"lyg.budget.report": "met"}},
    )
    d = annual(2024)
    d["outputs"] = [{"type": "budget_report", "date": "2024-01-09", "people": ["p1"], "title": "年度经费开支预算报告"}]
    scenario(
        "lyg.budget.report-8-days-notice",
        "Budget report 8 days after the plaque: a notice only.",
        d,
        {"grade": "excellent", "criteria": {"lyg.budget.report": "notice"}},
    )

    # cycle (第四条 期满绩效考核)
    scenario(
        "lyg.cycle-excellent",
        "Three good years: the cycle is excellent, ¥30,000 over the cycle.",
        cycle(),
        {
            "grade": "excellent",
            "criteria": {"lyg.assess.c8": "met", "lyg.assess.c9": "met", "lyg.assess.c10": "met"},
            "consequences": ["priority_recommendation"],
            "funding": "30000.00",
        },
    )
    d = cycle()
    d["studio"]["school_matching_funds"].pop("2025")
    scenario(
        "lyg.cycle-c10-one-year-missing-unmet",
        "No matching funds in 2025: c10 unmet for the cycle.",
        d,
        {"criteria": {"lyg.assess.c10": "unmet"}},
    )
    d = cycle(trainings_2026=1)
    scenario(
        "lyg.cycle-c8-5-unmet",
        "Five trainings over three years: 2026 has one, 2 are required in every cycle year.",
        d,
        {"criteria": {"lyg.assess.c8": "unmet"}},
    )
    # 第四条 期满绩效考核 (decided 2026-12-01): the "每年" numbers of c8 and c9 are due in every cycle year, so
    # totals that reach 3 × the yearly number but miss it in one year do not meet them.
    d = cycle()
    d["activities"] = [a for a in d["activities"] if a["id"] not in ("a5-2026", "a6-2026")]
    for y in (2024, 2025):
        d["activities"].append(
            {
                "id": f"a7-{y}",
                "date": f"{y}-11-20",
                "type": "training",
                "mode": "offline",
                "scope": "studio",
                "led_by": ["p1"],
                "title": "科技辅导员专题技能培训",
            }
        )
    scenario(
        "lyg.cycle-c8-3-3-0-unmet",
        "Six trainings over the cycle, but 3 in 2024, 3 in 2025 and none in 2026: unmet.",
        d,
        {"criteria": {"lyg.assess.c8": "unmet"}},
    )
    d = cycle()
    next(m for m in d["members"] if m["person"] == "p20")["joined"] = "2024-10-01"
    scenario(
        "lyg.cycle-c9-4-3-2-unmet",
        "Nine new members over the cycle, but 4 in 2024, 3 in 2025 and 2 in 2026: unmet.",
        d,
        {"criteria": {"lyg.assess.c9": "unmet", "lyg.assess.c8": "met"}},
    )
    d = cycle(fail_2024=True)
    scenario(
        "lyg.cycle-failed-year-withholds",
        "2024 failed: 2025's subsidy withheld, ¥20,000 over the cycle.",
        d,
        {"funding": "20000.00"},
    )


def cycle(trainings_2026: int = 2, fail_2024: bool = False) -> dict:
    """A 2024–2026 cycle built from three annual bases."""
    years = [annual(y) for y in (2024, 2025, 2026)]
    d = years[1]
    d["evaluate"] = {"kind": "cycle"}
    # new members: 3 a year, distinct people
    d["people"] = [p for p in d["people"] if p["id"] not in {"p12", "p13", "p14"}]
    d["members"] = [m for m in d["members"] if m["person"] not in {"p12", "p13", "p14"}]
    n = 12
    for y in (2024, 2025, 2026):
        for md in ("02-20", "03-01", "09-01"):
            d["people"].append(person(f"p{n}", f"新成员{n}"))
            d["members"].append({"person": f"p{n}", "role": "member", "joined": f"{y}-{md}", "left": None})
            n += 1
    acts, awards = [], []
    for y, data in zip((2024, 2025, 2026), years, strict=True):
        if fail_2024 and y == 2024:
            continue
        for a in data["activities"]:
            if y == 2026 and a["type"] == "training" and trainings_2026 < 2 and a["id"] == "a6":
                continue
            acts.append(dict(a, id=f"{a['id']}-{y}"))
        awards.extend(data["student_awards"])
    d["activities"] = acts
    d["student_awards"] = awards
    if fail_2024:
        d["student_awards"] = [a for a in awards if not a["date"].startswith("2024")]
        d["members"] = [m for m in d["members"] if not ("2024-01-01" < m["joined"] <= "2024-12-31")]
        d["studio"]["school_matching_funds"].pop("2024")
        d["people"] = [p for p in d["people"] if any(m["person"] == p["id"] for m in d["members"])]
    return d


def main() -> None:
    build()
    for old in HERE.glob("lyg.*.json"):
        old.unlink()
    for name, (description, data, expect) in SCENARIOS.items():
        out = {"jurisdiction": data.pop("jurisdiction"), "description": description, **data, "expect": expect}
        (HERE / f"{name}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(SCENARIOS)} scenarios written to {HERE}")


if __name__ == "__main__":
    main()
