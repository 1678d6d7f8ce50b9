"""Browser tests: Playwright driving Debian's Chromium against the app served on 127.0.0.1.

``playwright install`` cannot download a browser here; ``.ci/run`` installs Debian's chromium
and the tests launch it explicitly (see shared/PITFALLS.md). Without it they are skipped
locally, but under ``MINGSHI_REQUIRE_BROWSER=1`` or ``CI=true`` a missing browser fails instead.

Screenshots go to the git-ignored ``test-artifacts/screenshots/``: a test run changes no tracked
file. ``tools/screenshots`` runs these tests and copies them to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.served import serve
from tests.web.conftest import app, demo_template, demo_url, jurisdictions  # noqa: F401 - fixtures

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
REQUIRED = os.environ.get("MINGSHI_REQUIRE_BROWSER") == "1" or os.environ.get("CI", "").lower() in {"1", "true"}

if not CHROMIUM:
    if REQUIRED:
        raise RuntimeError(
            "Chromium is required for the browser tests under CI=true / MINGSHI_REQUIRE_BROWSER=1 "
            "(apt-get install -y chromium fonts-noto-cjk)"
        )
    pytest.skip("Chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 860}, "locale": "zh-CN"}


@pytest.fixture
def live_server(app) -> Iterator[str]:  # noqa: F811 - the web app fixture
    with serve(app) as url:
        yield url


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
