"""Scenarios: load one studio's facts from a file into a throw-away database and evaluate it.

``mingshi evaluate`` and the plugins' rule tests go through here. A scenario is validated
(:class:`mingshi.core.schemas.scenario.ScenarioSchema`, then the jurisdiction's vocabulary and the
cross-references), written through the same models the web application uses into an
in-memory SQLite database, and evaluated by :func:`mingshi.core.services.evaluation.evaluate`.

The in-memory database is created with ``metadata.create_all``: it lives for one evaluation
and is never a production database (those are built by the Alembic migrations, which a test
keeps identical to the models).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from mingshi.core import models as m
from mingshi.core.db import Base, make_engine, make_session_factory
from mingshi.core.plugins import Jurisdictions
from mingshi.core.rules.params import ParameterError
from mingshi.core.schemas import flatten_errors
from mingshi.core.schemas.scenario import ScenarioSchema
from mingshi.core.services.evaluation import EvaluationSpec, Outcome, evaluate
from mingshi.core.tenancy import bind_tenant


class ScenarioError(ValueError):
    """An invalid scenario. ``problems`` are lines like ``people[3].born: not a date``."""

    def __init__(self, problems: list[str], source: str | None = None):
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(problems))


def read_file(path: str | Path) -> Any:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(["file not found"], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"cannot read the file: {exc}"], str(path)) from None
    if p.suffix.lower() in {".yaml", ".yml"}:
        try:
            import yaml  # optional: YAML with the same shape
        except ImportError:
            raise ScenarioError(["YAML scenarios need PyYAML installed; use JSON"], str(path)) from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ScenarioError([f"not valid YAML: {exc}"], str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"], str(path)) from None


def validate(raw: Any, jurisdictions: Jurisdictions, source: str | None = None) -> dict[str, Any]:
    """Check a scenario's structure, its codes and its references; return the loaded data."""
    if not isinstance(raw, Mapping):
        raise ScenarioError(["a scenario is a JSON object"], source)
    try:
        data = ScenarioSchema().load(raw)
    except ValidationError as exc:
        raise ScenarioError(flatten_errors(exc.messages), source) from None
    problems: list[str] = []
    code = data["jurisdiction"]
    if code not in jurisdictions:
        raise ScenarioError(
            [f"jurisdiction: unknown jurisdiction {code!r} (installed: {', '.join(jurisdictions.codes())})"],
            source,
        )
    jurisdiction = jurisdictions.get(code)
    vocab = jurisdiction.vocabulary
    info = jurisdiction.info

    def known(kind: str, value: str | None, path: str, what: str) -> None:
        if value is not None and value not in vocab.codes(kind):
            problems.append(f"{path}: unknown {what} {value!r}")

    if data["evaluate"]["kind"] not in info.evaluations:
        problems.append(f"evaluate.kind: {code} has no {data['evaluate']['kind']} evaluation")
    if data["studio"]["kind"] not in info.studio_kinds:
        problems.append(
            f"studio.kind: unknown studio kind {data['studio']['kind']!r} for {code} "
            f"(one of: {', '.join(info.studio_kinds)})"
        )
    params = jurisdiction.paramset()
    for pid, value in data["parameters"].items():
        try:
            params.definition(pid).parse(value)
        except ParameterError as exc:
            problems.append(f"parameters.{pid}: {str(exc).removeprefix(pid + ': ')}")

    schools = _unique_ids(data["schools"], "schools", problems)
    people = _unique_ids(data["people"], "people", problems)
    _unique_ids([a for a in data["activities"] if a.get("id")], "activities", problems)

    def ref(kind: set[str], value: str | None, path: str, what: str) -> None:
        if value is not None and value not in kind:
            problems.append(f"{path}: unknown {what} {value!r}")

    ref(schools, data["studio"].get("school"), "studio.school", "school")
    for i, p in enumerate(data["people"]):
        ref(schools, p.get("school"), f"people[{i}].school", "school")
        for j, h in enumerate(p["honors"]):
            known("honors", h, f"people[{i}].honors[{j}]", "honor")
        for j, e in enumerate(p["events"]):
            known("events", e["type"], f"people[{i}].events[{j}].type", "event")
    hosts = 0
    for i, ms in enumerate(data["members"]):
        ref(people, ms["person"], f"members[{i}].person", "person")
        hosts += ms["role"] == "host"
        if ms["role"] != "host" and ms["role"] != info.member_role:
            problems.append(f"members[{i}].role: {code} calls its members {info.member_role!r}, not {ms['role']!r}")
        known("member_categories", ms.get("category"), f"members[{i}].category", "member category")
    if data["members"] and hosts == 0:
        problems.append("members: no host")
    for i, a in enumerate(data["activities"]):
        known("activity_types", a["type"], f"activities[{i}].type", "activity type")
        ref(schools, a.get("school"), f"activities[{i}].school", "school")
        for j, leader in enumerate(a["led_by"]):
            ref(people, leader, f"activities[{i}].led_by[{j}]", "person")
        seen: set[str] = set()
        for j, att in enumerate(a["attendance"]):
            ref(people, att["person"], f"activities[{i}].attendance[{j}].person", "person")
            if att["person"] in seen:
                problems.append(f"activities[{i}].attendance[{j}].person: recorded twice")
            seen.add(att["person"])
    for i, o in enumerate(data["outputs"]):
        known("output_types", o["type"], f"outputs[{i}].type", "output type")
        ref(schools, o.get("school"), f"outputs[{i}].school", "school")
        for j, who in enumerate(o["people"]):
            ref(people, who, f"outputs[{i}].people[{j}]", "person")
    for i, a in enumerate(data["student_awards"]):
        known("competitions", a["competition"], f"student_awards[{i}].competition", "competition")
        ref(people, a["first_instructor"], f"student_awards[{i}].first_instructor", "person")
    for i, p in enumerate(data["pairings"]):
        ref(people, p["person"], f"pairings[{i}].person", "person")
    for i, finding in enumerate(data["findings"]):
        known("findings", finding["type"], f"findings[{i}].type", "finding")
    for i, e in enumerate(data["expenses"]):
        known("expense_categories", e["category"], f"expenses[{i}].category", "expense category")
    for key in data["attestations"]:
        rule_id, _, person = key.partition("@")
        if rule_id not in jurisdiction.rules:
            problems.append(f"attestations.{key}: unknown rule {rule_id!r}")
        elif not jurisdiction.rules[rule_id].attestation:
            problems.append(f"attestations.{key}: rule {rule_id!r} is not judged by a reviewer")
        if person:
            ref(people, person, f"attestations.{key}", "person")
    expect = data.get("expect") or {}
    for rule_id in expect.get("criteria", {}):
        if rule_id not in jurisdiction.rules:
            problems.append(f"expect.criteria.{rule_id}: unknown rule")
    if problems:
        raise ScenarioError(problems, source)
    return data


def _unique_ids(items: list[dict[str, Any]], path: str, problems: list[str]) -> set[str]:
    ids: set[str] = set()
    for i, item in enumerate(items):
        if item["id"] in ids:
            problems.append(f"{path}[{i}].id: duplicate id {item['id']!r}")
        ids.add(item["id"])
    return ids


def load_into(session: Any, data: Mapping[str, Any], jurisdictions: Jurisdictions) -> m.Studio:
    """Write a validated scenario into an empty database through the models; return the studio."""
    code = data["jurisdiction"]
    info = jurisdictions.get(code).info
    tenant = m.Tenant(code=code, name=info.name.zh, name_en=info.name.en, jurisdiction=code)
    session.add(tenant)
    session.flush()
    bind_tenant(session, tenant.id)

    schools = {
        s["id"]: m.School(ref=s["id"], name=s["name"], county=s.get("county"), rural=s["rural"], stage=s.get("stage"))
        for s in data["schools"]
    }
    session.add_all(schools.values())
    people: dict[str, m.Person] = {}
    for p in data["people"]:
        person = m.Person(
            ref=p["id"],
            name=p["name"],
            sex=p.get("sex"),
            born=p.get("born"),
            school=schools.get(p.get("school")) if p.get("school") else None,
            position=p.get("position"),
            title=p.get("title"),
            backbone_level=p.get("backbone_level"),
            retirement_date=p.get("retirement_date"),
        )
        person.honors = [m.PersonHonor(honor=h) for h in p["honors"]]
        person.backbone_history = [
            m.BackboneDesignation(level=b["level"], date=b["date"]) for b in p["backbone_history"]
        ]
        person.events = [m.PersonEvent(type=e["type"], date=e["date"], note=e.get("note")) for e in p["events"]]
        people[p["id"]] = person
    session.add_all(people.values())

    s = data["studio"]
    site = s.get("site") or {}
    studio = m.Studio(
        name=s["name"],
        kind=s["kind"],
        county=s.get("county"),
        status=s.get("status") or "active",
        subject=s.get("subject"),
        cycle_start=s.get("cycle_start"),
        school=schools.get(s["school"]) if s.get("school") else None,
        site_area_m2=site.get("area_m2"),
        site_height_m=site.get("height_m"),
        site_capacity=site.get("capacity"),
    )
    session.add(studio)
    session.flush()
    for year, fen in s["school_matching_funds"].items():
        session.add(
            m.FundAllocation(
                studio_id=studio.id,
                year=int(year),
                source="school_matching",
                amount_fen=fen,
                basis="scenario",
            )
        )
    for ms in data["members"]:
        session.add(
            m.Membership(
                studio_id=studio.id,
                person=people[ms["person"]],
                role=ms["role"],
                category=ms.get("category"),
                joined=ms["joined"],
                left=ms.get("left"),
                removal_reason=ms.get("removal_reason"),
                removal_rule=ms.get("removal_rule"),
            )
        )
    for a in data["activities"]:
        activity = m.Activity(
            ref=a.get("id"),
            studio_id=studio.id,
            date=a["date"],
            type=a["type"],
            mode=a["mode"],
            scope=a["scope"],
            school=schools.get(a["school"]) if a.get("school") else None,
            title=a.get("title") or "",
            notice_published=a.get("notice_published"),
            plan_approved=a.get("plan_approved"),
            report_published=a.get("report_published"),
        )
        activity.leaders = [m.ActivityLeader(person=people[p]) for p in dict.fromkeys(a["led_by"])]
        activity.attendance = [
            m.Attendance(person=people[x["person"]], status=x["status"], leave_approved=x.get("leave_approved"))
            for x in a["attendance"]
        ]
        session.add(activity)
    for o in data["outputs"]:
        output = m.Output(
            studio_id=studio.id,
            type=o["type"],
            level=o.get("level"),
            date=o["date"],
            title=o.get("title") or "",
            published=o["published"],
            chars=o.get("chars"),
            status=o.get("status"),
            school=schools.get(o["school"]) if o.get("school") else None,
        )
        output.people = [m.OutputPerson(person=people[p]) for p in dict.fromkeys(o["people"])]
        session.add(output)
    session.flush()
    for a in data["student_awards"]:
        session.add(
            m.StudentAward(
                studio_id=studio.id,
                competition=a["competition"],
                level=a["level"],
                rank=a["rank"],
                first_instructor_id=people[a["first_instructor"]].id,
                date=a["date"],
                student=a.get("student"),
                title=a.get("title"),
            )
        )
    for p in data["pairings"]:
        session.add(
            m.Pairing(
                studio_id=studio.id,
                person_id=people[p["person"]].id,
                rural_teacher=p["rural_teacher"],
                date=p["date"],
            )
        )
    for key, value in data["attestations"].items():
        rule_id, _, person = key.partition("@")
        session.add(
            m.Attestation(
                studio_id=studio.id,
                rule_id=rule_id,
                person_id=people[person].id if person else None,
                value=value,
                reviewer_name="scenario",
            )
        )
    for finding in data["findings"]:
        session.add(
            m.Finding(studio_id=studio.id, type=finding["type"], date=finding["date"], note=finding.get("note"))
        )
    for e in data["expenses"]:
        session.add(
            m.Expense(
                studio_id=studio.id,
                date=e["date"],
                category=e["category"],
                amount_fen=e["amount"],
                note=e.get("note"),
            )
        )
    session.flush()
    return studio


def run(data: Mapping[str, Any], jurisdictions: Jurisdictions) -> Outcome:
    """Evaluate a validated scenario in a fresh in-memory database."""
    engine = make_engine("sqlite://")
    try:
        Base.metadata.create_all(engine)
        factory = make_session_factory(engine)
        with factory() as session:
            studio = load_into(session, data, jurisdictions)
            ev = data["evaluate"]
            spec = EvaluationSpec(ev["kind"], ev.get("year"), ev.get("date"))
            outcome = evaluate(session, jurisdictions, studio, spec, overrides=data["parameters"])
            session.commit()
            return outcome
    finally:
        engine.dispose()


def check(result: Mapping[str, Any], expect: Mapping[str, Any] | None) -> list[str]:
    """Differences between a result and a scenario's ``expect`` block, one line each."""
    if not expect:
        return []
    diffs: list[str] = []
    if expect.get("grade") is not None and result["grade"]["code"] != expect["grade"]:
        diffs.append(f"grade: expected {expect['grade']}, got {result['grade']['code']}")
    statuses = {c["id"]: c["status"] for c in result["criteria"]}
    for rule_id, want in (expect.get("criteria") or {}).items():
        got = statuses.get(rule_id)
        if got != want:
            diffs.append(f"criteria.{rule_id}: expected {want}, got {got or 'nothing'}")
    members = {r["person"]: r for r in result["members"]}
    for person, want in (expect.get("members") or {}).items():
        r = members.get(person)
        if r is None:
            diffs.append(f"members.{person}: expected {want}, not in the result")
            continue
        got = r["status"] if want in ("active", "removed") else r["grade"]
        if got != want:
            diffs.append(f"members.{person}: expected {want}, got {got}")
    if expect.get("consequences") is not None:
        want_set = set(expect["consequences"])
        got_set = {c["type"] for c in result["consequences"]}
        if want_set != got_set:
            diffs.append(f"consequences: expected {sorted(want_set)}, got {sorted(got_set)}")
    if expect.get("funding") is not None:
        got_amount = (result.get("funding") or {}).get("amount")
        if not _same_amount(got_amount, expect["funding"]):
            diffs.append(f"funding: expected {expect['funding']}, got {got_amount}")
    return diffs


def _same_amount(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b
