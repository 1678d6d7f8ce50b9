"""Helpers of the deployment tests: real processes (gunicorn, pip, the `mingshi` command) on loopback."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """A tiny HTTP client with cookies and the page's CSRF token (no redirects followed)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.token = ""

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                answer = Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read())
        found = re.search(rb'name="csrf_token" value="([^"]+)"', answer.body) or re.search(
            rb'"X-CSRFToken": "([^"]+)"', answer.body
        )
        if found:
            self.token = found.group(1).decode()
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request(path, **kwargs)

    def post(self, path: str, data: dict) -> Answer:
        return self.request(path, data={**data, "csrf_token": self.token})

    def sign_in(self, username: str, password: str) -> Answer:
        self.get("/login")
        return self.post("/login", {"username": username, "password": password})


@contextmanager
def running(command: list[str], *, env: dict[str, str], cwd: Path, port: int, log: Path) -> Iterator[str]:
    """Start ``command`` (a server on ``port``), wait until /healthz answers, stop it at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"{command} stopped ({process.returncode}):\n{log.read_text()}")
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{command} did not answer on {base}:\n{log.read_text()}")
                time.sleep(0.3)
            yield base
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without mingshi's settings of the test run, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("MINGSHI_") or k in {"DATABASE_URL", "VIRTUAL_ENV", "PYTHONPATH"})
    }
    env.update(extra)
    return env


def first_studio(client: Client, tenant: str) -> int:
    page = client.get(f"/{tenant}/studios")
    assert page.status == 200, page.status
    found = re.search(rf"/{tenant}/studios/(\d+)", page.text)
    assert found, "no studio link on the studio list"
    return int(found.group(1))
