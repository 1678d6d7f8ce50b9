"""Synthetic tenants at national scale, for benchmarks and scaling tests: ``mingshi synth``.

One tenant per installed jurisdiction (code = the jurisdiction's code + ``suffix``), ``studios``
studios spread over them, each with its host, ~15 members or trainees, activities with attendance
over ``years`` years, outputs, awards, pairings, findings, grants, matching funds and expenses.
Deterministic: the same seed, studios and years give the same rows.

Realistic distributions, so that every rule has studios on both sides: a diligence factor per
studio scales its activities and outputs (some studios fall short of each quota), a few trainees
miss activities without leave (Wenzhou removes them on the second), some members were removed
under the jurisdiction's removal rules, some studios spend their whole grant and the next expense
is refused (counted, not stored — the ledger never overspends, as the application enforces),
some expenses are reversed by a reversing entry, and studios are in every workflow state with the
transitions that led there. Activity and output types are those each jurisdiction declares
(``mingshi_terms``; its whole vocabulary for a kind it leaves open), other types and categories come
from its vocabulary (the demo's city flavours where they exist), through the core facade only.

Rows are written with :class:`mingshi.core.bulk.BulkWriter` (COPY on PostgreSQL), in one
transaction per tenant, a chunk of studios at a time (memory does not grow with ``studios``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mingshi.core import models as m
from mingshi.core.bulk import BulkWriter
from mingshi.core.demo import GIVEN, SURNAMES, _demo_password_hash
from mingshi.core.plugins import Jurisdiction, Jurisdictions
from mingshi.core.tenancy import bind_tenant

#: the synthetic "today": the last year of activity ends here
SYNTH_TODAY = dt.date(2026, 11, 20)
CHUNK = 250

#: workflow states and their share (per mille) of the studios; the rest are active
STATE_SHARES = {
    "draft": 15,
    "submitted": 15,
    "recommended": 10,
    "reviewing": 10,
    "notice": 10,
    "rejected": 15,
    "disqualified": 20,
    "completed": 30,
}
PATHS = {
    "draft": [],
    "submitted": ["submitted"],
    "recommended": ["submitted", "recommended"],
    "reviewing": ["submitted", "recommended", "reviewing"],
    "notice": ["submitted", "recommended", "reviewing", "notice"],
    "rejected": ["submitted", "recommended", "reviewing", "rejected"],
    "active": ["submitted", "recommended", "reviewing", "notice", "active"],
    "disqualified": ["submitted", "recommended", "reviewing", "notice", "active", "disqualified"],
    "completed": ["submitted", "recommended", "reviewing", "notice", "active", "completed"],
}


#: how a city titles an activity report (data, like the demo's city flavours)
TITLES = {"wenzhou": "{theme}——记温州市{host}“名师送教”工作室第{n}次活动"}


class SynthError(RuntimeError):
    pass


@dataclass
class SynthSummary:
    tenants: dict[str, dict[str, int]] = field(default_factory=dict)
    refused_expenses: dict[str, int] = field(default_factory=dict)
    copy: bool = False

    def lines(self) -> list[str]:
        out = []
        for code, rows in self.tenants.items():
            parts = ", ".join(f"{n} {t}" for t, n in sorted(rows.items()))
            out.append(f"tenant {code}: {parts}; {self.refused_expenses.get(code, 0)} expenses refused (overspending)")
        out.append("written with COPY" if self.copy else "written with batched INSERT")
        return out


def split(studios: int, codes: list[str]) -> dict[str, int]:
    base, extra = divmod(studios, len(codes))
    return {c: base + (1 if i < extra else 0) for i, c in enumerate(codes)}


def synth(
    factory: sessionmaker[Session],
    jurisdictions: Jurisdictions,
    *,
    studios: int,
    seed: int,
    years: int = 3,
    suffix: str = "",
    activities_per_year: int = 24,
    progress: Callable[[str, int, int], None] | None = None,
) -> SynthSummary:
    if studios < 1:
        raise SynthError("--studios must be at least 1")
    codes = jurisdictions.codes()
    if not codes:
        raise SynthError("no jurisdiction plugin is installed")
    summary = SynthSummary()
    for code, n in split(studios, codes).items():
        tenant_code = f"{code}{suffix}"
        session = factory()
        try:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            if session.scalar(select(m.Tenant.id).where(m.Tenant.code == tenant_code)) is not None:
                raise SynthError(f"tenant {tenant_code!r} exists already; synth creates new tenants only")
            gen = _TenantGen(session, jurisdictions.get(code), tenant_code, seed, years, activities_per_year)
            gen.run(n, progress)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        summary.tenants[tenant_code] = dict(gen.writer.rows_written)
        summary.refused_expenses[tenant_code] = gen.refused
        summary.copy = gen.writer.uses_copy
    analyze(factory)
    return summary


def analyze(factory: sessionmaker[Session]) -> None:
    """Refresh the planner's statistics after a bulk load (without them PostgreSQL and SQLite plan
    the per-studio joins as if the tables were empty)."""
    from mingshi.core.bulk import Base

    with factory() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                connection.exec_driver_sql(f'ANALYZE "{table.name}"')
        else:
            connection.exec_driver_sql("ANALYZE")
        session.commit()


class _TenantGen:
    def __init__(
        self, session: Session, jurisdiction: Jurisdiction, code: str, seed: int, years: int, per_year: int
    ) -> None:
        self.session = session
        self.j = jurisdiction
        self.code = code
        self.rng = random.Random(f"mingshi-synth-{seed}-{jurisdiction.code}")
        self.years = years
        self.per_year = per_year
        self.refused = 0
        info = jurisdiction.info
        vocab = jurisdiction.vocabulary
        flavour = jurisdiction.demo_data
        self.flavour = flavour
        self.kinds = list(info.studio_kinds) or ["studio"]
        self.member_role = info.member_role
        # the activity and output types the city declares (its ``mingshi_terms``; the whole vocabulary
        # for a kind it leaves open), in the demo flavour's order where it has one
        self.activity_types = self._types("activity_types", flavour.activity_types, 8)
        self.output_types = self._types("output_types", flavour.output_types, 5)
        self.competitions = list(vocab.codes("competitions")) if flavour.competitions else []
        self.honors = [h for h in flavour.honors if h in vocab.codes("honors")]
        self.categories = list(vocab.codes("member_categories"))
        self.expense_categories = list(vocab.codes("expense_categories")) or ["other"]
        self.removal_rules = [r for r in jurisdiction.rules.values() if r.kind == "removal"]
        #: the documents the jurisdiction requires (issue 17), filed in every state
        self.documents = [r.id for r in jurisdiction.rules.values() if ".doc." in r.id]
        self.today = SYNTH_TODAY
        self.now = dt.datetime(SYNTH_TODAY.year, SYNTH_TODAY.month, SYNTH_TODAY.day, 8, 0, tzinfo=dt.UTC)
        self.autumn = jurisdiction.code == "wushen"
        self.title = TITLES.get(jurisdiction.code, "{theme}——记{host}{label}第{n}次活动")

    # -- helpers ---------------------------------------------------------------------------

    def _types(self, kind: str, preferred: Any, fallback: int) -> list[str]:
        """The codes of ``kind`` the jurisdiction offers that the demo flavour names, else the first
        ``fallback`` it offers; :class:`SynthError` if it offers none."""
        offered = self.j.offered(kind)
        chosen = [t for t in preferred if t in offered] or list(offered[:fallback])
        if not chosen:
            raise SynthError(f"{self.j.code} offers no {kind}: nothing to generate")
        return chosen

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def run(self, n: int, progress: Callable[[str, int, int], None] | None) -> None:
        info = self.j.info
        tenant = m.Tenant(code=self.code, name=info.name.zh, name_en=info.name.en, jurisdiction=self.j.code)
        self.session.add(tenant)
        self.session.flush()
        bind_tenant(self.session, tenant.id)
        self.tid = tenant.id
        self.writer = BulkWriter(self.session)
        for role in ("admin", "reviewer"):
            self.session.add(
                m.User(
                    username=f"{self.code}-{role}",
                    display_name=f"{info.name.zh}{'管理员' if role == 'admin' else '评审专家'}（合成）",
                    password_hash=_demo_password_hash(),
                    tenant_id=tenant.id,
                    roles=[m.UserRole(role=role)],
                )
            )
        self.session.flush()
        self._schools(max(8, n // 3))
        done = 0
        while done < n:
            size = min(CHUNK, n - done)
            self._chunk(done, size)
            done += size
            if progress:
                progress(self.code, done, n)

    def _schools(self, count: int) -> None:
        counties = self.flavour.counties
        first = self.writer.reserve("schools", count)
        rows = []
        self.schools: list[tuple[int, str, bool]] = []
        for i in range(count):
            county = counties[i % len(counties)]
            rural = self.rng.random() < 0.4
            stage = self.rng.choice(["primary", "primary", "secondary", "secondary", "vocational", "kindergarten"])
            label = {"primary": "小学", "secondary": "中学", "vocational": "职业学校", "kindergarten": "幼儿园"}[stage]
            rows.append(
                {
                    "id": first + i,
                    "tenant_id": self.tid,
                    "name": f"{county}第{i + 1}{label}",
                    "county": county,
                    "rural": rural,
                    "stage": stage,
                }
            )
            self.schools.append((first + i, county, rural))
        self.writer.write("schools", rows)

    # -- one chunk of studios ----------------------------------------------------------------
    def _chunk(self, offset: int, size: int) -> None:
        rng = self.rng
        t: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in (
                "studios",
                "people",
                "person_honors",
                "backbone_designations",
                "person_events",
                "memberships",
                "studio_transitions",
                "activities",
                "activity_leaders",
                "attendance",
                "outputs",
                "output_people",
                "student_awards",
                "pairings",
                "findings",
                "fund_allocations",
                "expenses",
                "document_submissions",
            )
        }
        plans = []
        for i in range(size):
            # the tenant's second studio is under review, so that even a small synthetic tenant has an
            # application awaiting its checks and judgements (the rest follow STATE_SHARES)
            status = "reviewing" if offset + i == 1 else self._status()
            if status == "draft":
                members = 0
            elif self.member_role == "trainee":
                members = rng.randint(10, 13)
            else:
                members = rng.randint(6, 14)
            plans.append((offset + i, status, members))
        studio0 = self.writer.reserve("studios", size)
        person0 = self.writer.reserve("people", sum(1 + p[2] for p in plans))
        ids = _Ids(person=person0)
        for k, (index, status, members) in enumerate(plans):
            self._studio(t, ids, studio0 + k, index, status, members)
        # ids of the child tables, reserved once the chunk's sizes are known
        for name in t:
            if name in ("studios", "people"):
                continue
            rows = t[name]
            first = self.writer.reserve(name, len(rows))
            for j, row in enumerate(rows):
                row["id"] = first + j
        # children that point at children: attendance/leaders → activities, output_people → outputs,
        # reversing expenses → the expense they reverse (local indexes resolved now)
        for name, parent, fk in (
            ("activity_leaders", "activities", "activity_id"),
            ("attendance", "activities", "activity_id"),
            ("output_people", "outputs", "output_id"),
        ):
            rows = t[parent]
            for row in t[name]:
                row[fk] = rows[row.pop("_parent")]["id"]
        for row in t["expenses"]:
            if "_reverses" in row:
                row["reverses_id"] = t["expenses"][row.pop("_reverses")]["id"]
        for name in (
            "studios",
            "people",
            "person_honors",
            "backbone_designations",
            "person_events",
            "memberships",
            "studio_transitions",
            "activities",
            "activity_leaders",
            "attendance",
            "outputs",
            "output_people",
            "student_awards",
            "pairings",
            "findings",
            "fund_allocations",
            "expenses",
            "document_submissions",
        ):
            self.writer.write(name, t[name])

    def _status(self) -> str:
        roll = self.rng.randrange(1000)
        for status, share in STATE_SHARES.items():
            if roll < share:
                return status
            roll -= share
        return "active"

    def _cycle_start(self) -> dt.date:
        back = self.rng.randint(0, self.years - 1)
        year = self.today.year - back
        return dt.date(year - 1, 9, 1) if self.autumn else dt.date(year, 1, 1)

    def _person(self, t, ids, *, school, position, title, backbone, born_from, born_to) -> int:
        rng = self.rng
        pid = ids.next_person()
        self.last_name = self.name()
        born = dt.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        t["people"].append(
            {
                "id": pid,
                "tenant_id": self.tid,
                "name": self.last_name,
                "sex": rng.choice("MF"),
                "born": born,
                "school_id": school,
                "position": position,
                "title": title,
                "backbone_level": backbone,
                "created_at": self.now,
            }
        )
        if backbone:
            t["backbone_designations"].append(
                {
                    "tenant_id": self.tid,
                    "person_id": pid,
                    "level": backbone,
                    "date": dt.date(rng.randint(2012, 2020), 9, 10),
                }
            )
        return pid

    def _studio(self, t, ids, sid: int, index: int, status: str, size: int) -> None:
        rng = self.rng
        kind = self.kinds[index % len(self.kinds)]
        host_school, county, _rural = rng.choice(self.schools)
        local = [s for s in self.schools if s[1] == county] or self.schools
        applying = status in ("draft", "submitted", "recommended", "reviewing", "notice", "rejected")
        cycle_start = None if applying else self._cycle_start()
        diligence = rng.choice([0.3, 0.6, 0.8, 1.0, 1.0, 1.1, 1.2, 1.3])
        host = self._person(
            t,
            ids,
            school=host_school,
            position="principal" if kind == "workshop" else "teacher",
            title=rng.choice(["deputy_senior", "senior", "senior", "intermediate"]),
            backbone=rng.choice(["municipal", "provincial", "provincial", "county"]),
            born_from=1966,
            born_to=1984,
        )
        host_name = self.last_name
        if self.honors and rng.random() < 0.7:
            t["person_honors"].append({"tenant_id": self.tid, "person_id": host, "honor": rng.choice(self.honors)})
        if rng.random() < 0.01:
            t["person_events"].append(
                {
                    "tenant_id": self.tid,
                    "person_id": host,
                    "type": "ethics_violation",
                    "date": self.today - dt.timedelta(days=rng.randint(10, 300)),
                }
            )
        label = self.j.info.studio_kinds[kind].zh if kind in self.j.info.studio_kinds else "工作室"
        t["studios"].append(
            {
                "id": sid,
                "tenant_id": self.tid,
                "name": f"{county}{index + 1:05d}号{label}",
                "kind": kind,
                "county": county,
                "school_id": host_school,
                "subject": rng.choice(self.flavour.themes),
                "status": status,
                "cycle_start": cycle_start,
                "site_area_m2": rng.choice([40, 55, 60, 80]) if self.j.code == "lianyungang" else None,
                "site_height_m": rng.choice([2.8, 3, 3.2]) if self.j.code == "lianyungang" else None,
                "site_capacity": rng.choice([12, 20, 30]) if self.j.code == "lianyungang" else None,
                "created_at": self.now,
                "version": 1,
            }
        )
        applied = (cycle_start or self.today) - dt.timedelta(days=rng.randint(60, 150))
        for step, (before, after) in enumerate(_pairs(PATHS[status])):
            at = applied + dt.timedelta(days=12 * step + 5)
            if after == "active" and cycle_start:
                at = cycle_start
            elif after in ("disqualified", "completed"):
                at = self.today - dt.timedelta(days=rng.randint(5, 120))
            t["studio_transitions"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "from_status": before,
                    "to_status": after,
                    "notice_until": at + dt.timedelta(days=7) if after == "notice" else None,
                    "reason": "合成数据" if after in ("rejected", "disqualified") else None,
                    "user_name": "synth",
                    "at": dt.datetime(at.year, at.month, at.day, 9, 0, tzinfo=dt.UTC),
                }
            )
        joined0 = cycle_start or applied
        t["memberships"].append(
            {"tenant_id": self.tid, "studio_id": sid, "person_id": host, "role": "host", "joined": joined0}
        )
        members: list[tuple[int, dt.date, dt.date | None]] = []
        for i in range(size):
            school = rng.choice(local)[0]
            person = self._person(
                t,
                ids,
                school=school,
                position="principal" if kind == "workshop" else "teacher",
                title=rng.choice(["junior", "intermediate", "intermediate", "deputy_senior"]),
                backbone=rng.choice(["county", "county", "municipal", None]),
                born_from=1972,
                born_to=1999,
            )
            late = cycle_start is not None and rng.random() < 0.12
            joined = joined0 + dt.timedelta(days=rng.randint(100, 500)) if late else joined0
            joined = min(joined, self.today)
            left = None
            removal_rule = removal_reason = None
            if cycle_start and self.removal_rules and rng.random() < 0.03:
                rule = rng.choice(self.removal_rules)
                left = min(joined + dt.timedelta(days=rng.randint(60, 400)), self.today)
                removal_rule, removal_reason = rule.id, rule.title.zh
            elif cycle_start and rng.random() < 0.02:
                left = min(joined + dt.timedelta(days=rng.randint(60, 400)), self.today)
                removal_reason = "本人申请退出"
            t["memberships"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "person_id": person,
                    "role": self.member_role,
                    "category": self.categories[i % len(self.categories)]
                    if self.categories and kind == "studio"
                    else None,
                    "joined": joined,
                    "left": left,
                    "removal_rule": removal_rule,
                    "removal_reason": removal_reason,
                }
            )
            members.append((person, joined, left))
        if cycle_start is None:
            return
        end = self.today if status == "active" else self.today - dt.timedelta(days=rng.randint(5, 120))
        theme = t["studios"][-1]["subject"]
        self._activities(t, sid, host, members, local, cycle_start, end, diligence, (host_name, label, theme))
        self._outputs(t, sid, host, members, local, cycle_start, end, diligence)
        self._funds(t, sid, cycle_start, end)
        if status == "active":
            self._documents(t, sid, cycle_start, end)
        for person, joined, _left in [(host, cycle_start, None), *members[:3]]:
            rural = [s for s in self.schools if s[2]] or self.schools
            t["pairings"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "person_id": person,
                    "rural_teacher": self.name(),
                    "rural_school": f"乡村学校{rng.choice(rural)[0]}",
                    "date": joined + dt.timedelta(days=30),
                }
            )
        if rng.random() < 0.02:
            t["findings"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "type": "misappropriation",
                    "date": end - dt.timedelta(days=rng.randint(0, 200)),
                    "note": "合成数据：挪用经费",
                    "recorded_at": self.now,
                }
            )

    def _activities(self, t, sid, host, members, local, start, end, diligence, names) -> None:
        rng = self.rng
        host_name, label, theme = names
        sloppy = rng.random() < 0.1  # the report titles do not follow the city's format
        truant = {p for p, _j, _l in members if rng.random() < 0.03}
        gap = max(4, int(365 / max(1.0, self.per_year * diligence)))
        day = start + dt.timedelta(days=rng.randint(3, 20))
        n = 0
        while day <= end:
            n += 1
            kind = self.activity_types[(n + sid) % len(self.activity_types)]
            leader = host if n % 3 == 0 or not members else members[(n - n // 3 - 1) % len(members)][0]
            index = len(t["activities"])
            t["activities"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "date": day,
                    "type": kind,
                    "mode": "online" if n % 7 == 0 else "offline",
                    "scope": rng.choice(["studio", "studio", "county", "school", "municipal"]),
                    "school_id": rng.choice(local)[0],
                    "title": self.title.format(theme=theme, host=host_name, label=label, n=n)
                    if not sloppy
                    else f"第{n}次活动",
                    "notice_published": day - dt.timedelta(days=rng.randint(2, 7)),
                    "plan_approved": day - dt.timedelta(days=rng.randint(7, 14)),
                    "report_published": day + dt.timedelta(days=rng.randint(1, 5)),
                    "created_at": self.now,
                }
            )
            t["activity_leaders"].append({"tenant_id": self.tid, "_parent": index, "person_id": leader})
            for person, joined, left in [(host, start, None), *members]:
                if joined > day or (left is not None and left <= day):
                    continue
                roll = rng.random()
                leave = None
                if person in truant and roll < 0.25:
                    status = "absent"
                elif roll < 0.05:
                    status = "excused"
                    leave = day - dt.timedelta(days=2) if rng.random() < 0.9 else day
                elif roll < 0.06:
                    status = "absent"
                else:
                    status = "present"
                t["attendance"].append(
                    {
                        "tenant_id": self.tid,
                        "_parent": index,
                        "person_id": person,
                        "status": status,
                        "leave_approved": leave,
                    }
                )
            day += dt.timedelta(days=rng.randint(max(3, gap - 5), gap + 5))

    def _outputs(self, t, sid, host, members, local, start, end, diligence) -> None:
        """Each person, each year: a diligent one writes one output of every type the city asks for,
        a less diligent one some of them; awards per studio-year from the city's competitions."""
        rng = self.rng
        people = [(host, start, None), *members]
        keen = min(0.95, 0.35 + 0.5 * diligence)
        year_start = start
        j = 0
        while year_start <= end:
            year_end = min(end, year_start + dt.timedelta(days=364))
            days = max(0, (year_end - year_start).days)
            for person, joined, left in people:
                lo = max(year_start, joined)
                hi = min(year_end, left - dt.timedelta(days=1)) if left else year_end
                if hi < lo:
                    continue
                for kind in self.output_types:
                    if rng.random() > keen:
                        continue
                    j += 1
                    index = len(t["outputs"])
                    t["outputs"].append(
                        {
                            "tenant_id": self.tid,
                            "studio_id": sid,
                            "type": kind,
                            "level": rng.choice(["county", "municipal", "municipal", "provincial", "national"]),
                            "date": lo + dt.timedelta(days=rng.randint(0, (hi - lo).days)),
                            "title": f"成果{j}",
                            "published": kind == "paper" and rng.random() < 0.7,
                            "chars": rng.randint(1500, 6000) if kind in ("paper", "reflection") else None,
                            "status": "approved" if kind == "research_project" else None,
                            # a project addresses a school of the studio's county
                            "school_id": rng.choice(local)[0] if kind == "research_project" else None,
                            "created_at": self.now,
                        }
                    )
                    t["output_people"].append({"tenant_id": self.tid, "_parent": index, "person_id": person})
            if self.competitions:
                for _k in range(rng.randint(0, int(6 * diligence))):
                    person, joined, _left = rng.choice(people)
                    t["student_awards"].append(
                        {
                            "tenant_id": self.tid,
                            "studio_id": sid,
                            "competition": rng.choice(self.competitions),
                            "level": rng.choice(["county", "municipal", "municipal", "provincial", "national"]),
                            "rank": rng.choice(["first", "first", "second", "third", "other"]),
                            "first_instructor_id": person,
                            "date": max(joined, year_start) + dt.timedelta(days=rng.randint(0, days)),
                            "student": self.name(),
                        }
                    )
            year_start = year_end + dt.timedelta(days=1)

    def _funds(self, t, sid, start, end) -> None:
        """A grant per year begun, sometimes school matching funds, and expenses that never overspend."""
        rng = self.rng
        grant = rng.choice([20_000, 30_000, 50_000]) * 100
        balance = 0
        for year in range(start.year, end.year + 1):
            t["fund_allocations"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "year": year,
                    "source": "grant",
                    "amount_fen": grant,
                    "basis": "合成数据",
                    "created_at": self.now,
                }
            )
            balance += grant
            if rng.random() < 0.3:
                t["fund_allocations"].append(
                    {
                        "tenant_id": self.tid,
                        "studio_id": sid,
                        "year": year,
                        "source": "school_matching",
                        "amount_fen": rng.choice([5_000, 10_000, 20_000]) * 100,
                        "basis": "合成数据",
                        "created_at": self.now,
                    }
                )
            first = max(dt.date(year, 1, 1), start)
            last = min(dt.date(year, 12, 31), end)
            if last < first:
                continue
            spend_all = rng.random() < 0.05
            share = 100 if spend_all else rng.randint(40, 95)
            target = grant * share // 100 // 100 * 100
            parts = rng.randint(3, 6)
            for k in range(parts):
                amount = target // parts if k < parts - 1 else target - (target // parts) * (parts - 1)
                if amount <= 0 or amount > balance:
                    self.refused += 1
                    continue
                balance -= amount
                index = len(t["expenses"])
                day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                t["expenses"].append(
                    {
                        "tenant_id": self.tid,
                        "studio_id": sid,
                        "date": day,
                        "category": self.expense_categories[(k + year) % len(self.expense_categories)],
                        "amount_fen": amount,
                        "note": "合成数据",
                        "created_at": self.now,
                    }
                )
                if rng.random() < 0.02:  # a mistake corrected by a reversing entry
                    t["expenses"].append(
                        {
                            "tenant_id": self.tid,
                            "studio_id": sid,
                            "date": day,
                            "category": t["expenses"][index]["category"],
                            "amount_fen": -amount,
                            "note": "冲销：录入错误",
                            "_reverses": index,
                            "created_at": self.now,
                        }
                    )
                    balance += amount
            if spend_all:
                # the studio tries to spend beyond its balance: the application refuses it
                self.refused += 1

    def _documents(self, t, sid, start, end) -> None:
        """A plan or report per year begun, in turn draft, submitted, returned, approved (the states a
        studio's documents tab and the administrator's review list show)."""
        if not self.documents:
            return
        states = ("approved", "submitted", "returned", "draft")
        for k, year in enumerate(range(start.year, end.year + 1)):
            state = states[(sid + k) % len(states)]
            filed = state != "draft"
            t["document_submissions"].append(
                {
                    "tenant_id": self.tid,
                    "studio_id": sid,
                    "code": self.documents[k % len(self.documents)],
                    "period_key": str(year),
                    "title": f"{year}年 合成数据",
                    "state": state,
                    "due_date": dt.date(year, 1, 31),
                    "submitted_at": self.now if filed else None,
                    "first_submitted_on": self.today if filed else None,
                    "submitted_by_name": "合成数据" if filed else None,
                    "reviewed_at": self.now if state in ("approved", "returned") else None,
                    "reviewed_by_name": "合成数据" if state in ("approved", "returned") else None,
                    "return_reason": "请补充材料" if state == "returned" else None,
                    "created_at": self.now,
                    "version": 1,
                }
            )


@dataclass
class _Ids:
    person: int

    def next_person(self) -> int:
        value = self.person
        self.person += 1
        return value


def _pairs(path: list[str]) -> list[tuple[str, str]]:
    states = ["draft", *path]
    return list(itertools.pairwise(states))
