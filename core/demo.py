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

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from mingshi.core import config
from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.services import accounts, tenants
from mingshi.core.services.evaluation import EvaluationSpec, evaluate
from mingshi.core.services.facts import studio_fact, tenant_parameter_values
from mingshi.core.services.workspace import apply_removals_of
from mingshi.core.storage import Storage, storage_from_url

DEMO_PASSWORD = "mingshi-demo"
#: the demo's "today": a year of activity ends here
DEMO_TODAY = dt.date(2026, 11, 20)

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
                    summary.counts[code] = _load_tenant(session, jurisdiction, summary)
                    _load_results(session, jurisdictions, jurisdiction)
                    _load_job(session, jurisdictions, jurisdiction)
                    _load_evidence(session, storage)
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


def _load_tenant(session, jurisdiction: Jurisdiction, summary: DemoSummary) -> dict[str, int]:
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
    today = DEMO_TODAY
    params = jurisdiction.paramset()
    cycle_start = jurisdiction.annual_period(year=today.year - 1, params=params).start
    if cycle_start.year < today.year - 1:  # a school year ending in Y starts in Y-1: begin one later
        cycle_start = jurisdiction.annual_period(year=today.year, params=params).start
    counts = {"studios": 0, "people": 0, "activities": 0, "outputs": 0}
    first_host_user_done = False

    for index, theme in enumerate(flavour.themes):
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
            status="active",
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
        # a year of activity: about two a month
        day = today - dt.timedelta(days=365)
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
        for j in range(max(6, len(everyone))):
            out_type = allowed_output[j % len(allowed_output)] if allowed_output else "paper"
            author = everyone[j % len(everyone)]
            output = m.Output(
                studio_id=studio.id,
                type=out_type,
                level=rng.choice(["county", "municipal", "provincial"]),
                date=today - dt.timedelta(days=rng.randint(5, 360)),
                title=f"{theme}{vocab.label('output_types', out_type, 'zh')}（{j + 1}）",
                published=out_type == "paper" and j % 2 == 0,
                chars=rng.randint(1500, 6000) if out_type in ("paper", "reflection") else None,
                status="approved" if out_type == "research_project" else None,
            )
            output.people = [m.OutputPerson(person_id=author.id)]
            session.add(output)
            counts["outputs"] += 1
        for j, competition in enumerate(flavour.competitions):
            session.add(
                m.StudentAward(
                    studio_id=studio.id,
                    competition=competition,
                    level=["provincial", "municipal", "national", "county"][j % 4],
                    rank=["first", "second", "first", "third"][(j + index) % 4],
                    first_instructor_id=everyone[j % len(everyone)].id,
                    date=today - dt.timedelta(days=rng.randint(30, 300)),
                    student=_name(rng, used_names),
                )
            )
        for p in everyone[:4]:
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
    return counts


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
            if per_year <= 0 or period.start > DEMO_TODAY or period.end < studio.cycle_start:
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
