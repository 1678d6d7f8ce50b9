"""README "Deploying", word for word, against the local PostgreSQL; then the deployment at work.

The README's command block runs as written, with this test's own first line (database name,
passwords, server); its last line, ``mingshi serve``, starts gunicorn as a real process on loopback,
connected as the application role. Before that, the owner loads the demo data and is refused as
the application's connection. nginx is not run: its example file is checked for what the
application relies on (the upstream address, the forwarded headers it trusts).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from mingshi.core.db import make_engine
from mingshi.core.demo import DEMO_PASSWORD
from tests.conftest import PG_URL, postgres_only
from tests.deploy.conftest import ROOT, Client, clean_env, first_studio, free_port, running

pytestmark = [pytest.mark.slow, postgres_only]

README = ROOT / "README.md"
NGINX = ROOT / "docs" / "deploy" / "nginx.conf"
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README: no sh block in Deploying"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _drop(server_url: str, db: str) -> None:
    engine = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        for role in (f"{db}_app", f"{db}_owner"):
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """The README's commands up to ``mingshi serve``; yields (the environment they exported, the database)."""
    server = make_url(PG_URL)
    db = f"{server.database}_deploy"
    _drop(PG_URL, db)
    lines = readme_commands()
    assert lines[0].startswith("export PGHOST=") and lines[-1] == "mingshi serve", lines
    first = f"export PGHOST={server.host or '127.0.0.1'} DB={db} OWNER_PASSWORD=owner-pw-7 APP_PASSWORD=app-pw-9"
    folder = tmp_path_factory.mktemp("deploy")
    exported = folder / "env"
    script = "\n".join([first, *lines[1:-1], f"env -0 > {exported}"])
    env = clean_env(PATH=f"{BIN}:/usr/bin:/bin", HOME=str(folder))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], env=env, cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    environ = dict(item.split("=", 1) for item in exported.read_text().split("\0") if "=" in item)
    yield environ, db, folder
    _drop(PG_URL, db)


def test_the_commands_create_the_roles_and_the_schema(deployment) -> None:
    environ, db, _ = deployment
    app_url = make_url(environ["DATABASE_URL"])
    assert app_url.username == f"{db}_app" and app_url.database == db
    engine = make_engine(environ["DATABASE_URL"])
    with engine.connect() as conn:
        who = conn.execute(
            text("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = current_user")
        )
        assert who.one() == (False, False, True)
        owners = set(conn.scalars(text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
        assert owners == {f"{db}_owner"}
        assert conn.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()


def _owner_url(environ: dict, db: str) -> str:
    return (
        make_url(environ["DATABASE_URL"])
        .set(username=f"{db}_owner", password="owner-pw-7")
        .render_as_string(hide_password=False)
    )


def test_the_owner_is_refused_as_the_applications_connection(deployment) -> None:
    environ, db, folder = deployment
    refused = subprocess.run(
        [str(BIN / "mingshi"), "serve"],
        env={**environ, "DATABASE_URL": _owner_url(environ, db)},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "owns the tables" in refused.stderr and f"{db}_app" in refused.stderr
    assert "MINGSHI_ALLOW_PRIVILEGED_DATABASE" in refused.stderr


def test_gunicorn_serves_as_the_app_role_sign_in_a_page_a_write(deployment) -> None:
    environ, db, folder = deployment
    # demo data, loaded by the owner (the application role could not create tenants' rows for all)
    loaded = subprocess.run(
        [str(BIN / "mingshi"), "demo", "--no-serve"],
        env={**environ, "DATABASE_URL": _owner_url(environ, db)},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    port = free_port()
    log = folder / "gunicorn.log"
    with running(
        [str(BIN / "mingshi"), "serve"], env={**environ, "MINGSHI_PORT": str(port)}, cwd=folder, port=port, log=log
    ) as base:
        client = Client(base)
        ready = client.get("/readyz")
        assert ready.status == 200 and json.loads(ready.body)["status"] == "ready"
        # as nginx sends it: one trusted proxy (MINGSHI_TRUSTED_PROXIES=1 in the README)
        client.get("/login")
        signed = client.request(
            "/login",
            data={"username": "shenyang-admin", "password": DEMO_PASSWORD, "csrf_token": client.token},
            headers={"X-Forwarded-For": "203.0.113.50", "X-Request-ID": "deploy-test-1"},
        )
        assert signed.status == 302, signed.text[:500]
        studio = first_studio(client, "shenyang")
        members = client.get(f"/shenyang/studios/{studio}/members")
        assert members.status == 200
        written = client.post(
            f"/shenyang/studios/{studio}/members", {"name": "部署测试成员", "role": "member", "joined": "2026-11-20"}
        )
        assert written.status == 302, written.text[:500]
        assert "部署测试成员" in client.get(f"/shenyang/studios/{studio}/members").text
        assert client.get("/wenzhou/studios").status in {302, 403, 404}
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    sign_in = [line for line in lines if line.get("request_id") == "deploy-test-1"]
    assert len(sign_in) == 1 and sign_in[0]["remote_addr"] == "203.0.113.50" and sign_in[0]["status"] == 302
    assert any(line.get("method") == "POST" and isinstance(line.get("user_id"), int) for line in lines)
    assert DEMO_PASSWORD not in log.read_text()


def test_the_nginx_example_proxies_to_the_served_address_with_the_trusted_headers() -> None:
    conf = NGINX.read_text(encoding="utf-8")
    assert re.search(r"upstream mingshi \{\s*server 127\.0\.0\.1:5000;", conf)  # MINGSHI_HOST:MINGSHI_PORT defaults
    for header in ("X-Forwarded-For $remote_addr", "X-Forwarded-Proto $scheme", "X-Forwarded-Host $host"):
        assert f"proxy_set_header {header};" in conf
    assert "client_max_body_size 6m;" in conf
    assert "MINGSHI_TRUSTED_PROXIES=1" in conf
