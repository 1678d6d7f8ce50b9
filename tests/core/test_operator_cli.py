"""The deployment operator's commands: tenants and users, each success and each refusal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.services import signin
from mingshi.web.cli import main


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str):
        return CliRunner().invoke(main, list(args))

    return run


def _refused(result, *words: str) -> None:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if result.exit_code != 2:  # click's usage errors (2) come with the usage lines first
        assert lines and all(line.startswith("Error: ") for line in lines), result.stderr
    assert any(line.startswith("Error: ") for line in lines), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Traceback" not in result.output


def _password(output: str) -> str:
    line = next(line for line in output.splitlines() if "one-time password" in line)
    return line.rsplit(": ", 1)[1].strip()


def _audit(sessions, action: str) -> list[m.AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == action)))


def test_tenant_create_list_and_the_counties_of_the_policy(cli, sessions) -> None:
    result = cli("tenant", "create", "wenzhou", "--jurisdiction", "wenzhou", "--name", "温州市")
    assert result.exit_code == 0, result.output
    assert "created tenant wenzhou" in result.output and "5 counties" in result.output
    listing = cli("tenant", "list")
    assert listing.exit_code == 0 and "wenzhou" in listing.output and "温州市" in listing.output
    alias = cli("tenants")
    assert alias.exit_code == 0 and alias.output == listing.output
    with sessions() as session:
        tenant = session.scalar(select(m.Tenant))
        assert tenant.active and tenant.jurisdiction == "wenzhou"
    entries = _audit(sessions, "create_tenant")
    assert len(entries) == 1 and entries[0].tenant_id == tenant.id
    assert entries[0].after["counties"] == ["永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"]


def test_tenant_list_on_an_empty_database(cli) -> None:
    result = cli("tenant", "list")
    assert result.exit_code == 0 and "no tenants yet" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["tenant", "create", "wz", "--jurisdiction", "atlantis", "--name", "X"], ["jurisdiction:", "atlantis"]),
        (["tenant", "create", "Bad Code", "--jurisdiction", "wenzhou", "--name", "X"], ["code:"]),
        (["tenant", "create", "login", "--jurisdiction", "wenzhou", "--name", "X"], ["code:", "login"]),
        (["tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", " "], ["name:"]),
        (["tenant", "create", "wz", "--name", "X"], ["--jurisdiction"]),
    ],
)
def test_tenant_create_refusals(cli, sessions, args, words) -> None:
    _refused(cli(*args), *words)
    with sessions() as session:
        assert session.scalar(select(m.Tenant)) is None


def test_tenant_create_refuses_a_duplicate_code(cli) -> None:
    assert cli("tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", "温州").exit_code == 0
    _refused(cli("tenant", "create", "wz", "--jurisdiction", "shenyang", "--name", "沈阳"), "code:", "exists")


def test_tenant_disable_and_enable(cli, sessions) -> None:
    cli("tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", "温州")
    password = _password(cli("user", "create", "wz-admin", "--tenant", "wz", "--role", "admin").output)
    result = cli("tenant", "disable", "wz")
    assert result.exit_code == 0, result.output
    assert "DISABLED" in cli("tenant", "list").output
    with sessions() as session:
        assert signin.sign_in(session, "wz-admin", password, "1.2.3.4").user is None
        session.rollback()
    _refused(cli("tenant", "disable", "wz"), "already disabled")
    assert cli("tenant", "enable", "wz").exit_code == 0
    _refused(cli("tenant", "enable", "wz"), "already enabled")
    with sessions() as session:
        assert signin.sign_in(session, "wz-admin", password, "1.2.3.4").user is not None
        assert session.scalar(select(m.User).where(m.User.username == "wz-admin")) is not None  # nothing deleted
    assert [e.after for e in _audit(sessions, "disable_tenant")] == [{"active": False}]
    assert len(_audit(sessions, "enable_tenant")) == 1
    _refused(cli("tenant", "disable", "nowhere"), "code:", "nowhere")
    _refused(cli("tenant", "enable", "nowhere"), "code:", "nowhere")


def test_user_create_prints_a_one_time_password_stored_only_as_a_hash(cli, sessions) -> None:
    cli("tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", "温州")
    result = cli("user", "create", "wz-admin", "--tenant", "wz", "--role", "admin", "--display-name", "温州管理员")
    assert result.exit_code == 0, result.output
    password = _password(result.output)
    assert len(password) >= 16
    with sessions() as session:
        user = session.scalar(select(m.User).where(m.User.username == "wz-admin"))
        assert user.must_change_password and user.display_name == "温州管理员"
        assert password not in user.password_hash and user.role_names == ["admin"]
        assert signin.sign_in(session, "wz-admin", password, None).user is not None
    assert _audit(sessions, "create_user")[0].after["roles"] == [["admin", None]]


def test_user_create_central(cli, sessions) -> None:
    result = cli("user", "create", "analyst", "--central")
    assert result.exit_code == 0, result.output
    with sessions() as session:
        user = session.scalar(select(m.User).where(m.User.username == "analyst"))
        assert user.tenant_id is None and user.role_names == ["central"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["user", "create", "x1", "--tenant", "nowhere", "--role", "admin"], ["code:", "nowhere"]),
        (["user", "create", "x1", "--tenant", "wz", "--role", "boss"], ["--role"]),
        (["user", "create", "x1", "--tenant", "wz"], ["--tenant", "--role"]),
        (["user", "create", "x1", "--central", "--tenant", "wz"], ["--central"]),
        (["user", "create", "no spaces", "--tenant", "wz", "--role", "admin"], ["username:"]),
        (["user", "create", "taken", "--tenant", "wz", "--role", "reviewer"], ["username:", "taken"]),
        (["user", "create", "TAKEN", "--central"], ["username:", "taken"]),
        (["user", "create", "h1", "--tenant", "wz", "--role", "host"], ["person_id:"]),
        (["user", "create", "h1", "--tenant", "wz", "--role", "host", "--person", "999"], ["person_id:"]),
    ],
)
def test_user_create_refusals(cli, sessions, args, words) -> None:
    cli("tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", "温州")
    cli("user", "create", "taken", "--tenant", "wz", "--role", "admin")
    _refused(cli(*args), *words)
    with sessions() as session:
        assert [u.username for u in session.scalars(select(m.User))] == ["taken"]


def test_user_reset_password_and_disable(cli, sessions) -> None:
    cli("tenant", "create", "wz", "--jurisdiction", "wenzhou", "--name", "温州")
    first = _password(cli("user", "create", "wz-rev", "--tenant", "wz", "--role", "reviewer").output)
    result = cli("user", "reset-password", "wz-rev")
    assert result.exit_code == 0, result.output
    second = _password(result.output)
    assert second != first
    with sessions() as session:
        assert signin.sign_in(session, "wz-rev", first, None).user is None
        assert signin.sign_in(session, "wz-rev", second, None).user is not None
        session.commit()
    assert cli("user", "disable", "wz-rev").exit_code == 0
    with sessions() as session:
        assert signin.sign_in(session, "wz-rev", second, None).user is None
        assert session.scalar(select(m.User).where(m.User.username == "wz-rev")).active is False
    _refused(cli("user", "disable", "wz-rev"), "active:", "already disabled")
    assert cli("user", "enable", "wz-rev").exit_code == 0
    _refused(cli("user", "reset-password", "ghost"), "username:", "ghost")
    _refused(cli("user", "disable", "ghost"), "username:", "ghost")
    assert len(_audit(sessions, "reset_password")) == 1
    assert len(_audit(sessions, "disable_user")) == 1 and len(_audit(sessions, "enable_user")) == 1


def test_commands_on_a_database_without_tables(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    _refused(CliRunner().invoke(main, ["tenant", "list"]), "mingshi db upgrade")


def test_two_creations_of_one_name_at_once_are_decided_by_the_constraint(cli, sessions, monkeypatch) -> None:
    """The name check and the insert are not atomic: when another creation wins in between, the
    unique constraint refuses the second one with the same message, not a 500."""
    from marshmallow import ValidationError

    from mingshi.core.services import accounts, tenants

    cli("user", "create", "twice", "--central")
    monkeypatch.setattr(accounts, "_user_name_errors", lambda session, username: [])  # the check saw nothing
    with sessions() as session:
        with pytest.raises(ValidationError) as refused:
            accounts.create_user(session, tenants.OPERATOR, username="twice", tenant=None, roles=[("central", None)])
        assert "username" in refused.value.messages
        session.rollback()
        assert len(list(session.scalars(select(m.User).where(m.User.username == "twice")))) == 1


def test_the_help_lists_the_commands_on_a_machine_not_set_up_yet(monkeypatch) -> None:
    """No secret key, no database: ``mingshi --help`` lists the commands, and a wrong name is named."""
    for name in ("MINGSHI_SECRET_KEY", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    shown = CliRunner().invoke(main, ["--help"])
    assert shown.exit_code == 0, shown.output
    assert "demo" in shown.output and "evaluate" in shown.output
    assert "Traceback" not in shown.output and "MINGSHI_SECRET_KEY" not in shown.output
    wrong = CliRunner().invoke(main, ["tenat"])
    assert wrong.exit_code == 2 and "No such command 'tenat'" in wrong.output
    assert "Traceback" not in wrong.output
