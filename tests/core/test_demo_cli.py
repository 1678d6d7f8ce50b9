"""The demo loader and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from mingshi.core import models as m
from mingshi.core.demo import load_demo
from mingshi.core.plugins import Jurisdictions
from mingshi.core.tenancy import all_tenants
from mingshi.web.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_demo_fills_every_tenant_once(database_url, sessions) -> None:
    jurisdictions = Jurisdictions.load()
    first = load_demo(database_url, jurisdictions)
    assert sorted(first.created) == jurisdictions.codes()
    again = load_demo(database_url, jurisdictions)
    assert again.created == [] and sorted(again.existing) == jurisdictions.codes()
    with sessions() as session:
        per_tenant = dict(
            session.execute(
                select(m.Activity.tenant_id, func.count())
                .group_by(m.Activity.tenant_id)
                .execution_options(**all_tenants("test"))
            ).all()
        )
        assert len(per_tenant) == 4 and min(per_tenant.values()) >= 40
        assert session.scalar(select(func.count()).select_from(m.User)) >= 4 * 4 + 1


def test_plugins_command_lists_the_four_cities() -> None:
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 0, result.output
    for text in ("lianyungang", "shenyang", "wenzhou", "wushen", "沈教发〔2021〕17号"):
        assert text in result.output


def test_tenants_command(database_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    load_demo(database_url, Jurisdictions.load())
    result = CliRunner().invoke(main, ["tenants"])
    assert result.exit_code == 0, result.output
    assert "shenyang" in result.output and "studios=" in result.output


def test_evaluate_prints_json_and_checks() -> None:
    path = str(EXAMPLES / "shenyang-studio-annual-pass.json")
    result = CliRunner().invoke(main, ["evaluate", path, "--lang", "en"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["grade"]["code"] == "pass"
    assert payload["funding"]["amount"] == "25000.00"
    checked = CliRunner().invoke(main, ["evaluate", "--check", path])
    assert checked.exit_code == 0 and "1 passed, 0 failed" in checked.output


def test_check_fails_on_a_difference(tmp_path) -> None:
    data = json.loads((EXAMPLES / "shenyang-studio-annual-pass.json").read_text(encoding="utf-8"))
    data["expect"]["grade"] = "fail"
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--check", str(path)])
    assert result.exit_code == 1
    assert "grade: expected fail, got pass" in result.output


def test_invalid_scenario_names_the_field(tmp_path) -> None:
    data = json.loads((EXAMPLES / "shenyang-studio-annual-pass.json").read_text(encoding="utf-8"))
    data["people"][3]["born"] = "2025-02-30"
    data["activities"][0]["type"] = "karaoke"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "people[3].born: not a date" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["yesterday", 20250310, "2025-02-30", True])
def test_excused_leave_approved_must_be_a_date(tmp_path, value) -> None:
    data = json.loads((EXAMPLES / "wenzhou-cycle-pass.json").read_text(encoding="utf-8"))
    record = data["activities"][1]["attendance"][0]
    record.update(status="excused", leave_approved=value)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "activities[1].attendance[0].leave_approved: not a date" in result.stderr
    assert result.stdout == ""


def test_excused_leave_with_or_without_a_date_is_accepted(tmp_path) -> None:
    data = json.loads((EXAMPLES / "wenzhou-cycle-pass.json").read_text(encoding="utf-8"))
    data["activities"][1]["attendance"][0].update(status="excused", leave_approved="2022-04-15")
    data["activities"][2]["attendance"][0].update(status="excused", leave_approved=None)
    path = tmp_path / "leave.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--check", str(path)])
    assert result.exit_code == 0, result.output


def test_invalid_scenario_references(tmp_path) -> None:
    data = json.loads((EXAMPLES / "shenyang-studio-annual-pass.json").read_text(encoding="utf-8"))
    data["activities"][0]["type"] = "karaoke"
    data["members"][1]["person"] = "p99"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "activities[0].type: unknown activity type 'karaoke'" in result.output
    assert "members[1].person: unknown person 'p99'" in result.output


def test_not_json(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(path)])
    assert result.exit_code == 2 and "not valid JSON" in result.output
