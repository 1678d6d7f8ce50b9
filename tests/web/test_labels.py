"""Every page of the demo, as every role of every city, in Chinese and in English: labels, never codes.

The routes come from ``app.url_map`` (as in ``tests/security/test_every_route.py``); each GET route of
the workspace, the bureau, the administration, the account and the central area is opened once with
one row of the signed-in user's own tenant (the host's studio, a row of it where there is one). The
visible text (tags, scripts, styles and attribute values stripped) must hold no snake_case code, no
rule id outside an element of class ``rule-id``, no Python value (``{'``, ``['``, ``None``, ``True``,
``False``) and no text in the other language except data (names of people, schools, studios, places,
titles … read from the demo database).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from sqlalchemy import String, select, text
from werkzeug.routing import Rule

from mingshi.core import models as m
from mingshi.core.db import Base, make_engine
from mingshi.core.demo import load_demo
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app
from tests.conftest import PG_URL, served_url
from tests.web.conftest import TODAY, Browser

TENANTS = ("shenyang", "wenzhou", "lianyungang", "wushen")
ROLES = ("admin", "reviewer", "host", "member")
LOCALES = ("zh_CN", "en")

SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
RULE_ID = re.compile(r"(?<![\w.@/-])[a-z]{2,}(?:\.[a-z][a-z0-9_]*){2,}(?![\w@/-])")
PYTHON = re.compile(r"\{'|\['|\[\"|\{\"|(?<![\w-])(?:None(?! of)|True|False)(?![\w-])")
HAN = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\uff1a\uff1b\u3002\uff0c]+")
#: English UI words on a Chinese page (a word of 4+ Latin letters that is not data or an abbreviation)
LATIN_WORD = re.compile(r"(?<![\w.@/-])[A-Za-z]{4,}(?:\s+[A-Za-z]{2,})*")
#: text in Latin letters that a Chinese page may show: names of formats, the language switcher …
ZH_PAGE_LATIN = {"mingshi", "Ctrl", "Office", "English", "Excel", "xlsx", "PDF", "Word", "JSON", "HTML", "Python"}
#: text in Chinese that an English page may show: the language switcher, the gloss of a Chinese term
EN_PAGE_HAN = {"中文", "送教"}


#: classes of the elements that cite the policy (its article, a rule id): text of the policy's own language
CITED = {"rule-id", "article"}
#: an article of a Chinese policy, its title, its document number: cited as they are, in both languages
CITATION = re.compile(
    r"《[^》]*》\S*|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百零〇\d]+条(?:第?[\d一二三四五六七八九十]+[项款])*|\S*〔\d{4}〕\d+号"
)
#: a Chinese term given after its English translation: "weak school (薄弱学校)"
GLOSS = re.compile(r"(?<=[A-Za-z)]) ?[(（][\u3400-\u9fff、]+[)）]|“[^”]*”")


class _Visible(HTMLParser):
    """The text a person reads, and the text of the elements marked as rule ids apart."""

    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.rule_ids: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _inside(self, what: str) -> bool:
        return any(flag for tag, flag in self._stack if tag == what)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area", "base"}:
            return
        self._stack.append((tag, tag in self.SKIP or bool(CITED & set(classes))))
        self.parts.append(" ")

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break
        self.parts.append(" ")

    def handle_data(self, data):
        if any(flag and tag in self.SKIP for tag, flag in self._stack):
            return
        if any(flag for tag, flag in self._stack):
            self.rule_ids.append(data)
            return
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


# --- the application, shared by the module (the crawl only reads) ---------------------------------


@pytest.fixture(scope="module")
def shared_app(demo_template, database_template, jurisdictions, tmp_path_factory) -> Iterator:
    if PG_URL:
        load_demo(PG_URL, jurisdictions)
        url = PG_URL
    else:
        path = tmp_path_factory.mktemp("labels") / "demo.db"
        shutil.copyfile(demo_template, path)
        url = f"sqlite:///{path}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": served_url(url),
            "JURISDICTIONS": jurisdictions,
            "SECRET_KEY": "test",
            "MINGSHI_TODAY": TODAY,
        }
    )
    for tenant in TENANTS:
        _make_history(app, tenant)
    yield app
    app.extensions["mingshi"]["engine"].dispose()
    if PG_URL:
        engine = make_engine(PG_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()


def _make_history(app, tenant: str) -> None:
    """What a bureau does in a year, so that the pages show more than the demo's first state: every
    studio's assessment of the last year stored (removals, disqualifications, recoveries), one of them
    withdrawn with its consequences reversed, a grant recorded and an expense reversed."""
    from mingshi.core.services import assessments, funds
    from mingshi.core.services.access import actor_for
    from mingshi.core.services.evaluation import EvaluationSpec

    factory = app.extensions["mingshi"]["sessions"]
    jurisdictions = app.extensions["mingshi"]["jurisdictions"]
    with factory() as session:
        tenant_row = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant))
        bind_tenant(session, tenant_row.id)
        admin = actor_for(
            session, session.scalar(select(m.User).where(m.User.username == f"{tenant}-admin")), today=TODAY
        )
        kind = "annual" if "annual" in jurisdictions.get(tenant).info.evaluations else "cycle"
        spec = EvaluationSpec(kind, year=TODAY.year - 1) if kind == "annual" else EvaluationSpec(kind)
        stored = []
        for proposal in assessments.propose_all(session, jurisdictions, spec, today=TODAY):
            if proposal.final and proposal.outcome.assessed:
                stored.append(assessments.store(session, admin, proposal.outcome, today=TODAY))
        if stored:
            assessments.withdraw(session, admin, stored[0], reason="录入有误，撤回复核", today=TODAY)
        studio = session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
        if studio is not None:
            stopped = funds.stopped_years(session, studio)
            funds.record_allocation(
                session,
                admin,
                studio,
                year=TODAY.year,
                amount_fen=123_456,
                basis="—",
                override_reason="复核后恢复拨付" if TODAY.year in stopped else None,
            )
            expense = session.scalars(
                select(m.Expense).where(m.Expense.studio_id == studio.id, m.Expense.reverses_id.is_(None))
            ).first()
            if expense is not None:
                funds.reverse_expense(session, admin, studio, expense, reason="金额录错", on=TODAY)
        session.commit()


#: row variables of the URLs: the model whose row fills them (rows of the host's studio where they have one)
ROWS: dict[str, type] = {
    "membership_id": m.Membership,
    "activity_id": m.Activity,
    "output_id": m.Output,
    "award_id": m.StudentAward,
    "expense_id": m.Expense,
    "allocation_id": m.FundAllocation,
    "assessment_id": m.AssessmentRecord,
    "submission_id": m.DocumentSubmission,
}
PLAIN = {"year": "2026", "kind": "members", "code": "en", "record_kind": "activity", "doc_format": "html"}
#: GET routes that are not pages (files, redirects, probes) or not of this crawl
NOT_PAGES = {"static", "auth.set_language", "auth.login", "auth.logout", "health.healthz", "health.readyz"}
DOWNLOAD = ("application/vnd", "text/csv", "application/json", "application/octet")


def _data_words(session) -> set[str]:
    """Every string the demo stored in the tenant's rows: names, titles, places … (data, not labels)."""
    words: set[str] = set()
    for mapper in Base.registry.mappers:
        model = mapper.class_
        columns = [c for c in mapper.columns if isinstance(c.type, String) and not c.primary_key]
        if not columns or not hasattr(model, "__tablename__"):
            continue
        for column in columns:
            try:
                values = session.scalars(select(column).distinct().limit(5000)).all()
            except Exception as error:  # a table the application role may not read is no data of a page
                pytest.fail(f"cannot read {model.__name__}.{column.key}: {error}")
            words.update(v for v in values if isinstance(v, str) and v)
    return words


def _world(app, tenant: str) -> tuple[dict[str, str], set[str]]:
    factory = app.extensions["mingshi"]["sessions"]
    with factory() as session:
        tenant_row = session.scalar(select(m.Tenant).where(m.Tenant.code == tenant))
        bind_tenant(session, tenant_row.id)
        host = session.scalar(select(m.User).where(m.User.username == f"{tenant}-host"))
        studio_id = session.scalar(
            select(m.Membership.studio_id).where(m.Membership.person_id == host.person_id, m.Membership.role == "host")
        )
        values: dict[str, str] = {"tenant": tenant, "studio_id": str(studio_id), "person_id": str(host.person_id)}
        for name, model in ROWS.items():
            query = select(model.id).order_by(model.id).limit(1)
            if hasattr(model, "studio_id"):
                query = query.where(model.studio_id == studio_id)
            row = session.scalar(query)
            if row is not None:
                values[name] = str(row)
        values["school_id"] = str(session.scalar(select(m.School.id).order_by(m.School.id).limit(1)))
        values["county_id"] = str(session.scalar(select(m.County.id).order_by(m.County.id).limit(1)))
        values["user_id"] = str(host.id)
        if "activity_id" in values:
            values["record_id"] = values["activity_id"]  # the files of an activity
        job = session.scalar(select(m.Job.id).order_by(m.Job.id).limit(1))
        if job is not None:
            values["job_id"] = str(job)
        words = {w for w in _data_words(session) if _is_data(w)}
        words |= {tenant_row.name, tenant_row.name_en or ""}
        # sign-in names are data though they look like codes (shenyang-admin, central, demo)
        words |= set(session.scalars(select(m.User.username))) | {"central"}
        words |= {n for n in session.scalars(select(m.Job.requested_by_name)) if n}
    return {**PLAIN, **values}, {w for w in words if w}


def _is_data(word: str) -> bool:
    """A stored string that is data a page may show as it is: Chinese text, a name in Latin letters —
    not a code (``active``, ``grant``), which must reach a page as its label, nor a bare number."""
    if HAN.search(word):
        return True
    return len(word) >= 3 and not re.fullmatch(r"[a-z0-9_.\-]+|[\d\s.,:/-]+", word)


def _routes(app) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ()) and r.endpoint not in NOT_PAGES]
    return sorted(rules, key=lambda r: r.rule)


def _fill(rule: Rule, values: dict[str, str]) -> str | None:
    missing = [a for a in rule.arguments if a not in values]
    if missing:
        return None
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda g: values[g.group(1)], rule.rule)


def _strip_data(text: str, data: list[str]) -> str:
    for word in data:
        if word in text:
            text = text.replace(word, " ")
    return text


def problems_of(text: str, rule_ids: list[str], locale: str, data: list[str]) -> list[str]:
    found: list[str] = []
    bare = CITATION.sub(" ", _strip_data(text, data))
    if locale == "en":
        bare = GLOSS.sub(" ", bare)
    for match in SNAKE.finditer(bare):
        found.append(f"code {match.group(0)!r}")
    for match in RULE_ID.finditer(bare):
        found.append(f"rule id {match.group(0)!r} outside its article element")
    for match in PYTHON.finditer(bare):
        found.append(f"Python value {bare[max(0, match.start() - 20) : match.end() + 20]!r}")
    if locale == "en":
        for match in HAN.finditer(bare):
            if match.group(0).strip("（）、：；。，") and match.group(0) not in EN_PAGE_HAN:
                found.append(f"Chinese {bare[max(0, match.start() - 15) : match.end() + 15]!r}")
    else:
        for match in LATIN_WORD.finditer(bare):
            if match.group(0) not in ZH_PAGE_LATIN:
                found.append(f"English {bare[max(0, match.start() - 15) : match.end() + 15]!r}")
    return found


def _crawl(app, users: list[tuple[str, str]]) -> tuple[list[str], int]:
    problems: list[str] = []
    pages = 0
    worlds: dict[str, tuple[dict[str, str], list[str]]] = {}
    for tenant, username in users:
        if tenant not in worlds:
            values, words = _world(app, tenant)
            # the longest first, so that a name is not half removed by a shorter one it contains
            worlds[tenant] = (values, sorted(words, key=len, reverse=True))
        values, data = worlds[tenant]
        for locale in LOCALES:
            browser = Browser(app)
            assert browser.login(username).status_code == 302, username
            browser.get(f"/lang/{locale}")
            for rule in _routes(app):
                url = _fill(rule, values)
                if url is None:
                    continue
                response = browser.get(url)
                if response.status_code in (403, 404, 302) or response.mimetype.startswith(DOWNLOAD):
                    continue
                assert response.status_code == 200, f"{username} {locale}: GET {url} → {response.status_code}"
                if response.mimetype != "text/html":
                    continue
                pages += 1
                parser = _Visible()
                parser.feed(response.get_data(as_text=True))
                text = re.sub(r"\s+", " ", "".join(parser.parts))
                for problem in problems_of(text, parser.rule_ids, locale, data):
                    problems.append(f"{username} {locale} {url}: {problem}")
    return problems, pages


def _report(problems: list[str]) -> str:
    unique = list(dict.fromkeys(problems))
    dump = os.environ.get("MINGSHI_LABELS_DUMP")  # a file to read them all from, while fixing
    if dump:
        with open(dump, "a", encoding="utf-8") as fh:
            fh.write("\n".join(unique) + "\n")
    return f"{len(unique)} problems:\n" + "\n".join(unique[:150])


@pytest.mark.parametrize("tenant", TENANTS)
def test_no_page_shows_a_code_or_a_python_value(shared_app, tenant) -> None:
    problems, pages = _crawl(shared_app, [(tenant, f"{tenant}-{role}") for role in ROLES])
    assert pages > 60, "the crawl saw too few pages: the route table or the ids are wrong"
    assert not problems, _report(problems)


def test_no_central_page_shows_a_code_or_a_python_value(shared_app) -> None:
    problems, pages = _crawl(shared_app, [("shenyang", "central")])
    assert pages >= 3
    assert not problems, _report(problems)


def test_the_checks_see_what_they_guard() -> None:
    """A guard for the guard: each kind of leak is found, and data is let through."""
    html = (
        "<p>状态 active（fail） {'first': 1} None</p><p class='x' title='funding_stopped'>标题</p>"
        "<code class='rule-id'>wz.trainee.absence</code><script>var a_b = None</script>"
    )
    parser = _Visible()
    parser.feed(html)
    text = re.sub(r"\s+", " ", "".join(parser.parts))
    found = problems_of(text, parser.rule_ids, "zh_CN", [])
    assert any("English" in p and " active" in p for p in found)
    assert any("Python value" in p and "{'" in p for p in found)
    assert not any("funding_stopped" in p or "a_b" in p or "wz.trainee" in p for p in found)
    assert problems_of("see wz.trainee.absence", [], "en", []) == [
        "rule id 'wz.trainee.absence' outside its article element"
    ]
    assert problems_of("Studio 张三名师工作室", [], "en", ["张三名师工作室"]) == []
    assert problems_of("Studio 工作室", [], "en", []) != []
    assert problems_of("工作室 Members", [], "zh_CN", []) != []
