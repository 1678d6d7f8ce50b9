"""Demo data: one tenant per installed jurisdiction, with realistic schools, people, studios and a
year of activity, plus demo users. Deterministic (seeded) and idempotent: a tenant that exists
is left alone.

Each jurisdiction gives its places, schools and themes through the hook ``mingshi_demo_data``
(a jurisdiction that gives none gets the core's generic city, so a fifth city also gets a demo);
this module keeps only what every tenant shares: names, the generator and the demo users.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from mingshi.core import config
from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.periods import add_years
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.services import accounts, tenants
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.services.facts import studio_fact, tenant_parameter_values
from mingshi.core.services.workspace import apply_removals_of
from mingshi.core.storage import Storage, storage_from_url

DEMO_PASSWORD = "mingshi-demo"
#: the demo's "today": a year of activity ends here
DEMO_TODAY = dt.date(2026, 11, 20)
#: the studios plaqued this autumn, by when their first document falls due, in days from the demo's
#: day: one due soon (nothing filed yet), one a week overdue (begun as a draft, not submitted)
NEWCOMERS = (3, -7)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = [
    "海燕",
    "晓明",
    "建华",
    "丽娟",
    "志刚",
    "红梅",
    "国庆",
    "秀英",
    "文博",
    "静怡",
    "子涵",
    "欣然",
    "浩然",
    "雨桐",
    "明辉",
    "春燕",
    "立新",
    "桂兰",
    "振宇",
    "婷婷",
    "俊杰",
    "慧敏",
    "宏伟",
    "雪梅",
    "晨曦",
    "思远",
    "佳琪",
    "永强",
    "淑芬",
    "凯文",
    "美玲",
    "德华",
    "晓燕",
    "伟东",
    "玉兰",
    "嘉怡",
    "天宇",
    "丹丹",
    "鹏飞",
    "巴特尔",
    "乌云",
    "娜仁",
]


@dataclass
class DemoSummary:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for code in self.created:
            c = self.counts.get(code, {})
            out.append(
                f"created tenant {code}: {c.get('studios', 0)} studios, {c.get('people', 0)} people, "
                f"{c.get('activities', 0)} activities, {c.get('outputs', 0)} outputs"
            )
        for code in self.existing:
            out.append(f"tenant {code} already exists; left as it is")
        return out


def _name(rng: random.Random, used: set[str]) -> str:
    for _ in range(500):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of demo names")  # pragma: no cover


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # one scrypt hash for every demo user: they share the published demo password anyway
    return generate_password_hash(DEMO_PASSWORD)


def _user(
    session,
    username: str,
    display: str,
    roles: list[str],
    tenant_id: int | None,
    person_id: int | None = None,
    studio_id: int | None = None,
) -> m.User:
    user = session.scalar(select(m.User).where(m.User.username == username))
    if user is None:
        # the same service as the operator's 'mingshi user create', with the published demo password
        user = accounts.create_user(
            session,
            tenants.OPERATOR,
            username=username,
            display_name=display,
            tenant=session.get(m.Tenant, tenant_id) if tenant_id is not None else None,
            roles=[(r, studio_id) for r in roles],
            person_id=person_id,
            password_hash=_demo_password_hash(),
        ).user
    return user


def load_demo(url: str, jurisdictions: Jurisdictions, storage: Storage | None = None) -> DemoSummary:
    """Load the demo tenants into ``url``; their evidence files go to ``storage`` (default: the configured
    store, ``MINGSHI_STORAGE_URL``)."""
    if storage is None:
        storage = storage_from_url(config.load().storage_url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    summary = DemoSummary()
    try:
        for jurisdiction in jurisdictions.all():
            with factory() as session:
                code = jurisdiction.code
                if session.scalar(select(m.Tenant).where(m.Tenant.code == code)) is not None:
                    summary.existing.append(code)
                else:
                    summary.counts[code], begun = _load_tenant(session, jurisdiction, summary)
                    _load_results(session, jurisdictions, jurisdiction)
                    _load_credits(session, jurisdictions, jurisdiction)
                    _load_job(session, jurisdictions, jurisdiction)
                    _load_evidence(session, storage)
                    _load_documents(session, jurisdiction, storage, begun=begun)
                    _load_reminders(session, jurisdictions)
                    summary.created.append(code)
                session.commit()
        with factory() as session:
            _user(session, "central", "中央数据分析员", ["central"], None)
            session.commit()
        summary.logins.append(("central", "central", "all tenants (read-only)"))
    finally:
        engine.dispose()
    return summary


def clear_files(url: str, storage: Storage) -> int:
    """Delete from ``storage`` the bytes of every evidence file the database at ``url`` names (before a
    ``demo --reset`` deletes the database): the configured store, folder or S3, is left without the
    demo's files and without touching anything the database does not name. Returns how many."""
    from sqlalchemy import inspect, text

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("evidence"):
                return 0
            keys = list(connection.execute(text("SELECT storage_key FROM evidence")).scalars())
    finally:
        engine.dispose()
    for key in keys:
        storage.delete(key)
    return len(keys)


#: the demo users with an e-mail address (reserved example domain: nothing is delivered anywhere)
DEMO_EMAIL_ROLES = ("admin", "host")


def _load_reminders(session, jurisdictions: Jurisdictions) -> None:
    """The reminder pass, as the worker runs it every hour: the administrator and the host find
    reminders in their bell (the period's quotas not met yet, and whatever awaits them); the two have
    an address, so that their account page shows the e-mail preference on (nothing is sent without
    MINGSHI_SMTP_URL)."""
    from mingshi.core.services import notifications

    tenant = session.get(m.Tenant, session.info["tenant_id"])
    for role in DEMO_EMAIL_ROLES:
        user = session.scalar(select(m.User).where(m.User.username == f"{tenant.code}-{role}"))
        if user is not None and user.email is None:
            user.email = f"{tenant.code}-{role}@example.org"
    session.flush()
    today = dt.date.today()
    _load_reminder_history(session, jurisdictions, tenant, today)
    notifications.remind_tenant(session, jurisdictions, today)


def _load_reminder_history(session, jurisdictions: Jurisdictions, tenant: m.Tenant, today: dt.date) -> None:
    """Reminders of the past, so that the list shows every state: the administrator's confirmation of
    the results the demo stored (read, e-mailed, done since), the host's quotas of the previous period
    (read, done since, its e-mail given up after the last attempt, the error kept)."""
    from mingshi.core.services import notifications
    from mingshi.core.services import workspace as ws
    from mingshi.core.services.applications import Awaiting

    def at(day: dt.date, hour: int = 8) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)

    admin = session.scalar(select(m.User).where(m.User.username == f"{tenant.code}-admin"))
    stored = session.execute(
        select(m.AssessmentRecord.kind, m.AssessmentRecord.period, func.count())
        .where(m.AssessmentRecord.withdrawn_at.is_(None))
        .group_by(m.AssessmentRecord.kind, m.AssessmentRecord.period)
        .order_by(m.AssessmentRecord.period.desc())
    ).first()
    jurisdiction = jurisdictions.get(tenant.jurisdiction)
    previous = ws.current_period(jurisdiction, ws.current_period(jurisdiction, today).start - dt.timedelta(days=1))
    if admin is not None:
        if stored is not None:
            kind, period, count = stored
            year = int(period) if kind == "annual" and period.isdigit() else None
            reminder = notifications.reminder_of(Awaiting("confirm", kind=kind, year=year, count=count))
        else:  # no results stored: the previous period's quotas instead
            reminder = notifications.quota_tenant_reminder(2, previous)
        day = today - dt.timedelta(days=14)
        row = notifications.row_of(admin, reminder, at(day))
        row.read_at, row.emailed_at, row.email_attempts = at(day, 10), at(day, 8), 1
        row.email_next_at, row.resolved_at = None, at(day + dt.timedelta(days=3), 9)
        session.add(row)
    host = session.scalar(select(m.User).where(m.User.username == f"{tenant.code}-host"))
    studio_id = next((r.studio_id for r in host.roles if r.studio_id), None) if host is not None else None
    if host is not None and studio_id is not None:
        day = previous.end - dt.timedelta(days=30)
        row = notifications.row_of(
            host, notifications.quota_reminder(session.get(m.Studio, studio_id), 2, previous), at(day)
        )
        row.email_attempts, row.email_next_at = notifications.MAX_ATTEMPTS, None
        row.email_error = "SMTPRecipientsRefused: {'" + (host.email or "") + "': (550, b'5.1.1 mailbox unavailable')}"
        row.read_at, row.resolved_at = at(day + dt.timedelta(days=2)), at(previous.end + dt.timedelta(days=1), 7)
        session.add(row)
    session.flush()


def _plaque_for(jurisdiction: Jurisdiction, params, due: dt.date) -> dt.date | None:
    """The latest plaque day, up to a year before the demo's day, on which a studio's first document
    (the earliest the plugin requires of it, per-activity ones aside) falls due on ``due``; None where
    no such day exists (a jurisdiction whose documents do not follow the plaque)."""
    for back in range(366):
        plaqued = DEMO_TODAY - dt.timedelta(days=back)
        probe = m.Studio(name="", kind=next(iter(jurisdiction.info.studio_kinds), "studio"), status="active")
        probe.cycle_start = plaqued
        fact = studio_fact(probe)
        dues = [
            d.due
            for year in range(plaqued.year - 1, plaqued.year + 2)
            for d in jurisdiction.required_documents(studio=fact, year=year, activities=(), params=params)
            if not d.per_activity
        ]
        if dues and min(dues) == due:
            return plaqued
    return None


def _load_tenant(session, jurisdiction: Jurisdiction, summary: DemoSummary) -> tuple[dict[str, int], set[int]]:
    """The tenant, its schools, people, studios and a year of their activity; returns the counts and
    the ids of the newcomers whose first document is overdue (their documents are begun, not sent)."""
    info = jurisdiction.info
    code = info.code
    flavour = jurisdiction.demo_data
    vocab = jurisdiction.vocabulary
    rng = random.Random(f"mingshi-demo-{code}")
    # the same service as the operator's 'mingshi tenant create'; the demo's counties join the list
    tenant = tenants.create_for(
        session, tenants.OPERATOR, jurisdiction, code=code, name=info.name.zh, name_en=info.name.en
    )
    tenants.add_counties(session, [*flavour.counties, *(s.county for s in flavour.schools)])

    schools = [m.School(name=s.name, county=s.county, rural=s.rural, stage=s.stage) for s in flavour.schools]
    session.add_all(schools)
    session.flush()
    # host schools: the non-rural ones first; member schools: all (or the county the studio serves)
    used_names: set[str] = set()
    kinds = list(info.studio_kinds)
    allowed_activity = [t for t in flavour.activity_types if t in jurisdiction.offered("activity_types")]
    allowed_output = [t for t in flavour.output_types if t in jurisdiction.offered("output_types")]
    honors = [h for h in flavour.honors if h in vocab.codes("honors")]
    categories = list(vocab.codes("member_categories"))
    member_role = info.member_role
    params = jurisdiction.paramset()
    cycle_start = jurisdiction.annual_period(year=DEMO_TODAY.year - 1, params=params).start
    if cycle_start.year < DEMO_TODAY.year - 1:  # a school year ending in Y starts in Y-1: begin one later
        cycle_start = jurisdiction.annual_period(year=DEMO_TODAY.year, params=params).start
    counts = {"studios": 0, "people": 0, "activities": 0, "outputs": 0}
    begun: set[int] = set()
    first_host_user_done = False
    # each theme's studio, in its cycle; where the jurisdiction recognizes credits at a cycle's end, each
    # theme also has a studio of the previous cycle, completed, its year of activity ending with it
    plan = [(index, theme, cycle_start, DEMO_TODAY, "active") for index, theme in enumerate(flavour.themes)]
    if jurisdiction.recognizes_credits and info.cycle_years_param:
        years = int(params.value(info.cycle_years_param, cycle_start))
        earlier = add_years(cycle_start, -years)
        ended = add_years(earlier, years) - dt.timedelta(days=1)
        plan += [(i, theme, earlier, ended, "completed") for i, theme in enumerate(flavour.themes)]
    themes = len(flavour.themes)
    for n, ahead in enumerate(NEWCOMERS):
        plaqued = _plaque_for(jurisdiction, params, DEMO_TODAY + dt.timedelta(days=ahead))
        if plaqued is not None:
            plan.append(
                (themes + n, flavour.themes[n % themes], plaqued, DEMO_TODAY, "newcomer" if ahead < 0 else "active")
            )

    for index, theme, cycle_start, today, status in plan:
        late, status = status == "newcomer", "active" if status == "newcomer" else status
        kind = kinds[index % len(kinds)]
        county = flavour.counties[(index + 3) % len(flavour.counties)] if flavour.studio_serves_county else None
        host_school = schools[index % max(1, len([s for s in schools if not s.rural]))]
        local = [s for s in schools if (county is None or s.county == county)] or schools
        host = m.Person(
            name=_name(rng, used_names),
            sex=rng.choice("MF"),
            born=dt.date(rng.randint(1970, 1982), rng.randint(1, 12), rng.randint(1, 28)),
            school=host_school,
            position="principal" if kind == "workshop" else (flavour.first_host_position if index == 0 else "teacher"),
            title=rng.choice(["deputy_senior", "senior"]),
            backbone_level=rng.choice(["municipal", "provincial"]),
        )
        host.honors = [m.PersonHonor(honor=h) for h in honors[:1]]
        session.add(host)
        label = info.studio_kinds[kind].zh if kind in info.studio_kinds else info.studio_label.zh
        studio = m.Studio(
            name=f"{host.name}{label}",
            kind=kind,
            county=county or host_school.county,
            school=host_school,
            subject=theme,
            status=status,
            cycle_start=cycle_start,
            site_area_m2=flavour.site[0] if flavour.site else None,
            site_height_m=flavour.site[1] if flavour.site else None,
            site_capacity=flavour.site[2] if flavour.site else None,
        )
        session.add(studio)
        session.flush()
        session.add(m.Membership(studio_id=studio.id, person_id=host.id, role="host", joined=cycle_start))
        size = 11 if member_role == "trainee" else rng.randint(6, 9)
        members: list[m.Person] = []
        rural = [s for s in local if s.rural] or local
        for i in range(size):
            school = local[i % len(local)] if county else schools[(i + index) % len(schools)]
            position = "principal" if kind == "workshop" else "teacher"
            if kind == "workshop" and i == 0:  # a rural school's leader (沈阳 第二条)
                school, position = rural[index % len(rural)], "vice_principal"
            person = m.Person(
                name=_name(rng, used_names),
                sex=rng.choice("MF"),
                born=dt.date(rng.randint(1978, 1998), rng.randint(1, 12), rng.randint(1, 28)),
                school=school,
                position=position,
                title=rng.choice(["junior", "intermediate", "intermediate", "deputy_senior"]),
                backbone_level=rng.choice(
                    ["county", "county", "municipal", None if member_role == "trainee" else "county"]
                ),
            )
            members.append(person)
            session.add(person)
        session.flush()
        for i, person in enumerate(members):
            joined = cycle_start if i < size - 2 else cycle_start + dt.timedelta(days=rng.randint(200, 400))
            session.add(
                m.Membership(
                    studio_id=studio.id,
                    person_id=person.id,
                    role=member_role,
                    category=categories[i % len(categories)] if categories and kind == "studio" else None,
                    joined=min(joined, today),
                )
            )
        everyone = [host, *members]
        # a year of activity (since the plaque, for a studio plaqued within the year): about two a month
        day = max(today - dt.timedelta(days=365), cycle_start)
        n = 0
        while day <= today:
            n += 1
            kind_of = allowed_activity[(n + index) % len(allowed_activity)] if allowed_activity else "seminar"
            leader = host if n % 3 else rng.choice(members)
            venue = rng.choice(local)
            activity = m.Activity(
                studio_id=studio.id,
                date=day,
                type=kind_of,
                mode="online" if n % 7 == 0 else "offline",
                scope="county" if n % 4 == 0 else "studio",
                school=venue,
                title=f"{vocab.label('activity_types', kind_of, 'zh')}——记{host.name}{label}第{n}次活动",
                notice_published=day - dt.timedelta(days=rng.randint(2, 7)),
                plan_approved=day - dt.timedelta(days=rng.randint(7, 14)),
                report_published=day + dt.timedelta(days=rng.randint(1, 5)),
            )
            if status == "completed":
                # a finished cycle: every member led some of its activities (the host the first of each three)
                led = [members[n % len(members)], *([host] if n % 3 == 1 else [])]
                activity.leaders = [m.ActivityLeader(person_id=p.id) for p in led]
            else:
                activity.leaders = [m.ActivityLeader(person_id=leader.id)]
            statuses = rng.choices(["present", "excused", "absent"], [93, 6, 1], k=len(everyone))
            activity.attendance = [
                m.Attendance(
                    person_id=p.id,
                    status=status,
                    # leave is asked for and approved before the day (温州 第七条(一))
                    leave_approved=day - dt.timedelta(days=2) if status == "excused" else None,
                )
                for p, status in zip(everyone, statuses, strict=True)
            ]
            session.add(activity)
            counts["activities"] += 1
            day += dt.timedelta(days=rng.randint(12, 20))
        # a finished cycle: every member wrote one of each kind of output, about a school of the studio's area
        finished = status == "completed" and allowed_output
        for j in range(len(everyone) * len(allowed_output) if finished else max(6, len(everyone))):
            out_type = allowed_output[j % len(allowed_output)] if allowed_output else "paper"
            author = everyone[j // len(allowed_output)] if finished else everyone[j % len(everyone)]
            output = m.Output(
                studio_id=studio.id,
                type=out_type,
                level=rng.choice(["county", "municipal", "provincial"]),
                date=today - dt.timedelta(days=rng.randint(5, 360)),
                title=f"{theme}{vocab.label('output_types', out_type, 'zh')}（{j + 1}）",
                published=out_type == "paper" and j % 2 == 0,
                chars=rng.randint(1500, 6000) if out_type in ("paper", "reflection") else None,
                status="approved" if out_type == "research_project" else None,
                school=rng.choice(local) if finished else None,
            )
            if output.date < cycle_start:  # a studio plaqued within the year has written nothing before it
                continue
            output.people = [m.OutputPerson(person_id=author.id)]
            session.add(output)
            counts["outputs"] += 1
        for j, competition in enumerate(flavour.competitions):
            won = today - dt.timedelta(days=rng.randint(30, 300))
            student = _name(rng, used_names)
            if won < cycle_start:
                continue
            session.add(
                m.StudentAward(
                    studio_id=studio.id,
                    competition=competition,
                    level=["provincial", "municipal", "national", "county"][j % 4],
                    rank=["first", "second", "first", "third"][(j + index) % 4],
                    first_instructor_id=everyone[j % len(everyone)].id,
                    date=won,
                    student=student,
                )
            )
        for p in everyone[:4] if cycle_start + dt.timedelta(days=60) <= today else ():
            rural = [s for s in schools if s.rural] or schools
            session.add(
                m.Pairing(
                    studio_id=studio.id,
                    person_id=p.id,
                    rural_teacher=_name(rng, used_names),
                    rural_school=rng.choice(rural).name,
                    date=cycle_start + dt.timedelta(days=60),
                )
            )
        session.flush()
        # the demo obeys the rules too: whoever the automatic rules remove is removed
        apply_removals_of(session, jurisdiction, studio, on=today)
        counts["studios"] += 1
        if late:
            begun.add(studio.id)
        counts["people"] += len(everyone)
        if not first_host_user_done:
            _user(session, f"{code}-host", host.name, ["host"], tenant.id, host.id, studio.id)
            _user(session, f"{code}-member", members[0].name, ["member"], tenant.id, members[0].id, studio.id)
            summary.logins.append((f"{code}-host", "host", f"{tenant.name}: {studio.name}"))
            summary.logins.append((f"{code}-member", member_role, f"{tenant.name}: {studio.name}"))
            first_host_user_done = True
    _user(session, f"{code}-admin", f"{tenant.name}教育局管理员", ["admin"], tenant.id)
    _user(session, f"{code}-reviewer", f"{tenant.name}评审专家", ["reviewer"], tenant.id)
    at = len(summary.logins) - 2  # before this tenant's host and member
    summary.logins[at:at] = [(f"{code}-admin", "admin", tenant.name), (f"{code}-reviewer", "reviewer", tenant.name)]
    session.flush()
    return counts, begun


def _load_results(session, jurisdictions: Jurisdictions, jurisdiction: Jurisdiction) -> None:
    """What the bureau recorded of the results: the annual assessment of the last completed year,
    stored as the evaluation printed it, and the programme's grant (the plugin's cycle funding
    spread over the cycle's years, for every year begun) with some expenses against it; the first
    running studio's school also records matching funds for every year begun."""
    info = jurisdiction.info
    params = jurisdiction.paramset(tenant_parameter_values(session))
    categories = list(jurisdiction.vocabulary.codes("expense_categories")) or ["other"]
    tenant = session.get(m.Tenant, session.info["tenant_id"])
    funded_by_school = False
    for studio in session.scalars(select(m.Studio).order_by(m.Studio.id)):
        if studio.cycle_start is None:
            continue
        rng = random.Random(f"mingshi-demo-results-{jurisdiction.code}-{studio.name}")
        if not funded_by_school:
            # the first running studio's school matches its funds every year begun (配套经费, recorded
            # apart from the grant); the others' schools record none, so both sides show
            funded_by_school = True
            for year in range(studio.cycle_start.year, DEMO_TODAY.year + 1):
                session.add(
                    m.FundAllocation(
                        studio_id=studio.id, year=year, source="school_matching", amount_fen=500_000, basis="演示数据"
                    )
                )
            session.flush()
        fact = studio_fact(studio)

        def year_of(year: int, fact=fact):
            return jurisdiction.assessment_period(studio=fact, kind="annual", year=year, params=params)

        if "annual" in info.evaluations:
            last = next(y for y in range(DEMO_TODAY.year, DEMO_TODAY.year - 5, -1) if year_of(y).end < DEMO_TODAY)
            outcome = evaluate(
                session, jurisdictions, studio, EvaluationSpec("annual", year=last), apply_removals=False
            )
            if outcome.assessed:  # a studio approved after the year, or in it as the city reads it, is not
                session.add(
                    m.AssessmentRecord(
                        studio_id=studio.id,
                        kind="annual",
                        period=str(last),
                        grade=str(outcome.evaluation.grade),
                        # as the service stores it (core/services/assessments.py): the tenant's language and English
                        result={**outcome.to_json(tenant.locale), "en": outcome.to_json("en")},
                    )
                )
        cycle = evaluate(session, jurisdictions, studio, EvaluationSpec("cycle"), apply_removals=False)
        years = int(params.value(info.cycle_years_param, studio.cycle_start))
        per_year = (cycle.funding.amount_fen if cycle.funding else 0) // max(years, 1)
        for year in range(studio.cycle_start.year, DEMO_TODAY.year + 2):
            period = year_of(year)
            if per_year <= 0 or period.start > min(DEMO_TODAY, cycle.period.end) or period.end < studio.cycle_start:
                continue
            session.add(
                m.FundAllocation(
                    studio_id=studio.id, year=year, source="grant", amount_fen=per_year, basis=cycle.funding.basis
                )
            )
            done = period.end < DEMO_TODAY
            share = rng.randint(55, 98) if done else rng.randint(25, 70)
            spent = per_year * share // 100 // 100 * 100  # whole yuan
            last_day = min(period.end, DEMO_TODAY)
            parts = rng.randint(3, 5)
            for k in range(parts):
                amount = spent // parts if k < parts - 1 else spent - (spent // parts) * (parts - 1)
                span = max((last_day - period.start).days, 1)
                session.add(
                    m.Expense(
                        studio_id=studio.id,
                        date=period.start + dt.timedelta(days=rng.randint(0, span)),
                        category=categories[(k + year) % len(categories)],
                        amount_fen=amount,
                        note="演示数据",
                    )
                )
    session.flush()


def _load_credits(session, jurisdictions: Jurisdictions, jurisdiction: Jurisdiction) -> None:
    """The end of a cycle (学分认定): each studio of the previous cycle has its judgements recorded, its
    end-of-cycle result stored and the credits the rules propose from it — the first studio's confirmed
    by the administrator, the others' proposed, awaiting confirmation. Through the services, as the
    administrator would do it."""
    if not jurisdiction.recognizes_credits:
        return
    from mingshi.core.services import assessments, credits
    from mingshi.core.services.access import actor_for

    user = session.scalar(select(m.User).where(m.User.username == f"{jurisdiction.code}-admin"))
    admin = actor_for(session, user, today=DEMO_TODAY)
    ended = session.scalars(select(m.Studio).where(m.Studio.status == "completed").order_by(m.Studio.id))
    for n, studio in enumerate(list(ended)):
        spec = EvaluationSpec("cycle")
        outcome = assessments.run(session, jurisdictions, studio, spec)
        for criterion in outcome.evaluation.criteria:
            rule = jurisdiction.rules.get(criterion.id)
            if rule is not None and rule.attestation and str(criterion.status) == "pending":
                session.add(
                    m.Attestation(
                        studio_id=studio.id, rule_id=rule.id, period=spec.period_key, value=True,
                        reviewer_id=user.id, reviewer_name=user.display_name, comment="演示数据",
                    )
                )  # fmt: skip
        session.flush()
        session.expire(studio)
        assessments.store(session, admin, assessments.run(session, jurisdictions, studio, spec), today=DEMO_TODAY)
        session.flush()
        session.expire_all()
        proposal = credits.preview(session, jurisdictions, studio, today=DEMO_TODAY)
        credits.store(
            session, admin, jurisdictions, studio, today=DEMO_TODAY, seen=proposal.fingerprint(), confirm=n == 0
        )
    session.flush()


def _load_job(session, jurisdictions: Jurisdictions, jurisdiction: Jurisdiction) -> None:
    """One finished background job to look at: the impact over every studio of setting the cycle's
    length to the value it has (so nobody flips), run here rather than on a queue."""
    from mingshi.core.services.parameters import impact

    param = jurisdiction.info.cycle_years_param
    params = jurisdiction.paramset(tenant_parameter_values(session))
    value = next(d for d in jurisdiction.parameters if d.id == param).to_text(params.value(param, DEMO_TODAY))
    kind = "annual" if "annual" in jurisdiction.info.evaluations else "cycle"
    year = DEMO_TODAY.year - 1 if kind == "annual" else None
    result = impact(session, jurisdictions, param_id=param, raw=value, kind=kind, year=year)
    now = dt.datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 9, 0, tzinfo=dt.UTC)
    session.add(
        m.Job(
            kind="parameter_preview",
            state="done",
            params={"param_id": param, "value": value, "kind": kind, "year": year},
            done=result["totals"]["studios"],
            total=result["totals"]["studios"],
            result=result,
            attempts=1,
            requested_by_name="demo",
            created_at=now,
            started_at=now,
            finished_at=now,
        )
    )
    session.flush()


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII text in Helvetica) standing in for a scanned document."""

    def escape(text: str) -> str:
        return text.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 16 Tf 72 760 Td (" + escape(title) + ") Tj ET"
    for i, line in enumerate(lines):
        body += f" BT /F1 11 Tf 72 {730 - 16 * i} Td (" + escape(line) + ") Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        "/Contents 4 0 R >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def _load_evidence(session, storage: Storage) -> None:
    """Original material on the demo's records: the notice of the first activities of two studios, the
    certificate of an output and of a student award, the receipt of an expense."""
    from mingshi.core.services import evidence
    from mingshi.core.services.access import Actor

    tenant_id = session.info["tenant_id"]
    actor = Actor(user_id=None, name="演示数据", tenant_id=tenant_id, roles=frozenset({"admin"}))
    studios = session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id).limit(2)).all()
    for studio in studios:
        activities = session.scalars(
            select(m.Activity)
            .where(m.Activity.studio_id == studio.id)
            .order_by(m.Activity.date, m.Activity.id)
            .limit(2)
        ).all()
        for activity in activities:
            data = demo_pdf(f"Notice of activity no. {activity.id}", [f"Date: {activity.date.isoformat()}"])
            record = evidence.Record("activity", activity.id, studio.id)
            evidence.attach(
                session,
                actor,
                storage,
                record,
                purpose="notice",
                filename=f"活动通知-{activity.date.isoformat()}.pdf",
                data=data,
                max_bytes=len(data),
            )
    for kind, model, purpose, name in (
        ("output", m.Output, "certificate", "成果证书"),
        ("award", m.StudentAward, "certificate", "获奖证书"),
        ("expense", m.Expense, "receipt", "票据"),
    ):
        row = session.scalars(select(model).order_by(model.id).limit(1)).first()
        if row is None:
            continue
        data = demo_pdf(f"{kind} no. {row.id}", ["Issued for the demonstration."])
        record = evidence.Record(kind, row.id, row.studio_id)
        evidence.attach(
            session,
            actor,
            storage,
            record,
            purpose=purpose,
            filename=f"{name}-{row.id}.pdf",
            data=data,
            max_bytes=len(data),
        )


#: the states the demo puts the documents due before its "today" in, in turn; every fifth is left
#: as it is (overdue), and those due later stay to be filed (due soon, or later)
DOCUMENT_STATES = ("approved", "returned", "submitted", "draft", None)


def _load_documents(session, jurisdiction: Jurisdiction, storage: Storage, *, begun: set[int]) -> None:
    """Plans and reports (issue 17) in every state: of each active studio's documents of the current
    and the previous year, those already due are approved, returned with a reason, submitted (awaiting
    review), left as a draft or not filed at all (overdue), in turn; each filed one has a file. Those
    due after the demo's day stay to be filed (due soon, or later). The studios in ``begun``, plaqued
    this autumn, have begun their overdue first documents as drafts and sent none."""
    from mingshi.core.services import judgements
    from mingshi.core.services import submissions as sv
    from mingshi.core.services.access import Actor

    tenant_id = session.info["tenant_id"]
    actor = Actor(user_id=None, name="演示数据", tenant_id=tenant_id, roles=frozenset({"admin"}))
    today = DEMO_TODAY
    now = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
    year = judgements.current_year(session, jurisdiction, today)
    host_names = dict(
        session.execute(
            select(m.Membership.studio_id, m.Person.name)
            .join(m.Person, m.Person.id == m.Membership.person_id)
            .where(m.Membership.role == "host")
        ).all()
    )
    turn = 0
    later_draft = False
    soon = int(jurisdiction.paramset(tenant_parameter_values(session)).value("common.doc.due_soon_days", today))
    studios = list(session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)))
    for studio in studios:
        rows = [
            r
            for y in (year - 1, year)
            for r in sv.documents(session, actor, jurisdiction, studio, y, today=today)
            if r.submission is None
        ]
        for row in sorted(rows, key=lambda r: (r.due, r.document.code, r.document.period_key)):
            if row.due >= today:
                if later_draft or (row.due - today).days <= soon:
                    continue
                later_draft, state = True, "draft"  # one document begun well before it is due
            elif studio.id in begun:
                state = "draft"
            else:
                state = DOCUMENT_STATES[turn % len(DOCUMENT_STATES)]
                turn += 1
            if state is None:
                continue
            title = _document_title(row, host_names.get(studio.id, ""))
            data = demo_pdf(f"{row.document.code} {row.document.period_key}", [f"Studio {studio.id}"])
            upload = (f"{row.document.title.zh}-{row.document.period_key.replace('#', '-')}.pdf", data)
            filed = now if row.document.timing != "before" else dt.datetime.combine(row.due, dt.time(9), tzinfo=dt.UTC)
            sub = sv.save(
                session,
                actor,
                jurisdiction,
                storage,
                row,
                title=title,
                submit=state != "draft",
                upload=upload,
                max_bytes=len(data),
                now=filed,
            )
            if state in ("approved", "returned"):
                sv.review(  # reviewed when filed: a plan approved ahead of its activity is on time
                    session,
                    actor,
                    sub.id,
                    jurisdiction=jurisdiction,
                    decision="approve" if state == "approved" else "return",
                    reason="请补充活动照片和签到表" if state == "returned" else "",
                    now=filed,
                )
    # a plan (乌审旗) or notice (温州) begun ahead of an activity a month away
    if studios:
        first = studios[0]
        params = jurisdiction.paramset(tenant_parameter_values(session))
        for template in sv.templates(jurisdiction, first, year, params)[:1]:
            day = today + dt.timedelta(days=30)
            row = sv.find(session, jurisdiction, first, template.code, day.isoformat(), today=today)
            data = demo_pdf(f"{template.code} {day.isoformat()}", [f"Studio {first.id}"])
            sv.save(
                session,
                actor,
                jurisdiction,
                storage,
                row,
                title=f"{day.isoformat()} {template.title.zh}",
                submit=False,
                upload=(f"{template.title.zh}-{day.isoformat()}.pdf", data),
                max_bytes=len(data),
                now=now,
            )
    session.flush()


def _document_title(row, host: str) -> str:
    """A demo document's title: for a 温州 report the prescribed form (第八条(三)), else its name."""
    if row.document.checks_title and row.document.number is not None:
        return f"《教研共进——记温州市{host}“名师送教”工作室第{row.document.number}次活动》"
    label = row.document.period_label.zh
    return f"{label} {row.document.title.zh}".strip()
