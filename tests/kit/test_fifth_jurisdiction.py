"""The proof that a new city is one more package: a fifth jurisdiction scaffolded by
``mingshi new-jurisdiction`` into a temporary folder, installed beside mingshi, passes its own
contract suite, gets a tenant and its demo, and serves the dashboard, a studio, its progress, its
assessment and its funds — with nothing in core/ or web/ changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_a_fifth_city_is_scaffolded_installed_and_served(tmp_path: Path) -> None:
    before = _tree_state()
    mingshi = str(BIN / "mingshi")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINGSHI_") and k != "DATABASE_URL"}
    _run([mingshi, "new-jurisdiction", "fifth", "--name", "第五市", "--dir", str(tmp_path)], env, tmp_path)
    package = tmp_path / "mingshi-fifth"
    site = tmp_path / "site"
    _run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(package)], env, tmp_path
    )
    env["PYTHONPATH"] = str(site)
    # the author's own tests: the contract suite over the scaffold's rules and scenario files
    _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")], env, package)
    listed = _run([mingshi, "plugins"], env, tmp_path).stdout
    assert "fifth" in listed and "第五市名师工作室管理办法" in listed
    # a deployment of the fifth city alone, on a fresh database
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fifth.db'}"
    env["MINGSHI_JURISDICTIONS"] = "fifth"
    _run([mingshi, "db", "upgrade"], env, tmp_path)
    demo = _run([mingshi, "demo", "--no-serve"], env, tmp_path).stdout
    assert "created tenant fifth" in demo
    # the operator's CLI gives the fifth jurisdiction a real tenant too, with its administrator
    _run(
        [mingshi, "tenant", "create", "fifth-city", "--jurisdiction", "fifth", "--name", "第五市教育局"], env, tmp_path
    )
    created = _run(
        [mingshi, "user", "create", "fifth-city-admin", "--tenant", "fifth-city", "--role", "admin"], env, tmp_path
    )
    assert "one-time password" in created.stdout
    listed = _run([mingshi, "tenant", "list"], env, tmp_path)
    assert "fifth-city" in listed.stdout and "warning" not in listed.stderr
    walked = _run([sys.executable, str(Path(__file__).with_name("walk_fifth.py")), "fifth"], env, tmp_path).stdout
    assert walked.count("200 ") == 6, walked
    assert _tree_state() == before, "adding a jurisdiction changed core/ or web/"


def _tree_state() -> str:
    """``git diff`` of core/ and web/ against HEAD (with untracked files): empty in a clean clone."""
    if not (shutil.which("git") and (ROOT / ".git").exists()):
        pytest.skip("not a git checkout")
    diff = subprocess.run(["git", "diff", "HEAD", "--", "core", "web"], cwd=ROOT, capture_output=True, text=True)
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "core", "web"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return diff.stdout + untracked.stdout
