"""The README's "Starting a real bureau", run literally on an empty database, gives a working tenant."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from mingshi.core import models as m

README = Path(__file__).resolve().parents[2] / "README.md"


def _commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Starting a real bureau", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_commands_give_a_working_tenant(database_url, sessions, tmp_path) -> None:
    commands = _commands()
    assert commands[-1] == "mingshi serve" and commands[0] == "mingshi db upgrade"
    env = {**os.environ, "DATABASE_URL": database_url, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    outputs = []
    for command in commands[:-1]:  # the test client stands in for the server
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{command}: {done.stderr}"
        outputs.append(done.stdout)
    password = re.search(r"one-time password: (\S+)", "\n".join(outputs)).group(1)
    assert "wenzhou" in outputs[-1]

    from mingshi.web import create_app
    from tests.conftest import served_url

    app = create_app({"DATABASE_URL": served_url(database_url), "SECRET_KEY": "test", "TESTING": True})
    try:
        from tests.web.conftest import Browser

        browser = Browser(app)
        assert browser.login("wz-admin", password).status_code == 302
        assert browser.get("/wenzhou/").headers["Location"].endswith("/account/")
        changed = browser.post(
            "/account/password", {"current": password, "new": "Bureau-Harbour-2026", "repeated": "Bureau-Harbour-2026"}
        )
        assert changed.status_code == 302
        assert browser.get("/wenzhou/").status_code == 200
        counties = browser.get("/wenzhou/admin/counties").get_data(as_text=True)
        assert "泰顺县" in counties
    finally:
        app.extensions["mingshi"]["engine"].dispose()
    with sessions() as session:
        tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == "wenzhou"))
        assert tenant.active and tenant.name == "温州市" and tenant.name_en == "Wenzhou"
