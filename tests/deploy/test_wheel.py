"""The wheel, as a new user gets it: built from a clean copy of the tree, installed in a fresh
virtualenv outside the repository with the four cities' wheels, run from another folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mingshi.core.demo import DEMO_PASSWORD
from tests.conftest import PG_URL
from tests.deploy.conftest import ROOT, Client, clean_env, free_port, running

pytestmark = [
    pytest.mark.slow,
    # the wheel does not depend on the database: once per CI run (the SQLite half) is enough
    pytest.mark.skipif(bool(PG_URL), reason="runs in the SQLite half of the suite only"),
]

#: run inside the fresh virtualenv: every installed distribution's top-level import names, as pip sees them
TOP_LEVEL_NAMES = r"""
import json
from importlib.metadata import distributions
owners = {}
for dist in distributions():
    listed = dist.read_text("top_level.txt")
    names = {n.strip() for n in listed.splitlines() if n.strip()} if listed else {
        f.parts[0].removesuffix(".py") for f in dist.files or ()
        if f.parts and not f.parts[0].endswith((".dist-info", ".data")) and f.parts[0] not in ("..", "__pycache__")
        and (len(f.parts) > 1 or f.parts[0].endswith(".py"))
    }
    for name in names:
        owners.setdefault(name, []).append(dist.metadata["Name"])
print(json.dumps(owners))
"""


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheels of mingshi and its four cities; returns its bin folder."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the clean copy is made of the tracked files")
    work = tmp_path_factory.mktemp("wheel")
    tracked = _run(["git", "ls-files", "-z"], cwd=ROOT).stdout.split("\0")
    source = work / "source"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    projects = [source, *sorted(p.parent for p in (source / "plugins").glob("*/pyproject.toml"))]
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), *map(str, projects)])
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    built = sorted(wheels.glob("*.whl"))
    assert len(built) == 5, built
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *map(str, built)], cwd=work)
    return venv / "bin"


def test_the_wheel_holds_the_front_end_and_only_mingshi_names(installed) -> None:
    wheel = next((installed.parent.parent / "wheels").glob("mingshi-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    for asset in ("htmx.min.js", "echarts.min.js", "VENDOR.txt", "htmx.LICENSE", "echarts.LICENSE"):
        assert f"mingshi/web/static/vendor/{asset}" in names, asset
    assert "mingshi/core/migrations/versions/0004_allocation_idempotency.py" in names
    assert any(n.startswith("mingshi/web/translations/") and n.endswith(".mo") for n in names)
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"mingshi"}


def test_no_two_installed_distributions_share_an_import_name(installed) -> None:
    # -I: not the current folder on sys.path (a checkout holds an egg-info of its own)
    owners = json.loads(_run([str(installed / "python"), "-I", "-c", TOP_LEVEL_NAMES], cwd=installed).stdout)
    shared = {name: dists for name, dists in owners.items() if len(dists) > 1}
    assert shared == {}
    ours = {name for name, dists in owners.items() if any(d.lower().startswith("mingshi") for d in dists)}
    assert ours == {"mingshi", "mingshi_lianyungang", "mingshi_shenyang", "mingshi_wenzhou", "mingshi_wushen"}


def test_demo_from_another_folder_then_serve(installed, tmp_path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = clean_env(PATH=f"{installed}:/usr/bin:/bin", HOME=str(tmp_path))
    version = _run([str(installed / "mingshi"), "--version"], env=env, cwd=folder).stdout.strip()
    assert version.startswith("mingshi ")
    demo = _run([str(installed / "mingshi"), "demo", "--no-serve"], env=env, cwd=folder)
    assert str(folder / "instance" / "mingshi.db") in demo.stdout
    port = free_port()
    serve_env = {**env, "MINGSHI_SECRET_KEY": "wheel-test-secret", "MINGSHI_PORT": str(port), "MINGSHI_WORKERS": "1"}
    with running(
        [str(installed / "mingshi"), "serve"], env=serve_env, cwd=folder, port=port, log=tmp_path / "serve.log"
    ) as base:
        client = Client(base)
        assert client.get("/readyz").status == 200
        login = client.get("/login")
        assert login.status == 200 and "/static/vendor/htmx.min.js" in login.text
        for asset in ("htmx.min.js", "echarts.min.js"):
            answer = client.get(f"/static/vendor/{asset}")
            assert answer.status == 200 and len(answer.body) > 10_000, asset
            assert answer.headers["Content-Type"].split(";")[0] in {"text/javascript", "application/javascript"}
        signed = client.sign_in("shenyang-admin", DEMO_PASSWORD)
        assert signed.status == 302, signed.text[:300]
        assert client.get("/shenyang/studios").status == 200
