"""The ``mingshi`` command: the core's commands, Flask's commands, ``serve`` and ``demo``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import FlaskGroup

from mingshi.core.cli import COMMANDS, load_jurisdictions, safe_url


def _create_app(*_args: Any) -> Any:
    from mingshi.web import create_app

    return create_app()


class MingshiGroup(FlaskGroup):
    """Flask's CLI group whose failures are one line on stderr, not a traceback.

    Set ``MINGSHI_DEBUG=1`` to see the traceback of an unexpected error.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except SystemExit:
            raise
        except Exception as exc:
            if os.environ.get("MINGSHI_DEBUG"):
                raise
            click.echo(f"Error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)


@click.group(cls=MingshiGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """mingshi — master-teacher studios (名师工作室) for city education bureaus."""


for command in COMMANDS:
    main.add_command(command)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the web application (Werkzeug's server; use a WSGI server such as gunicorn in production)."""
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    # Werkzeug's server directly: Flask's app.run() refuses to run under its own CLI group.
    from werkzeug.serving import run_simple

    run_simple(host, port, _create_app(), threaded=True, use_reloader=False, use_debugger=False)


@main.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="threads")
def worker_command(workers: int) -> None:
    """Run background jobs from the queue (MINGSHI_QUEUE_URL; default the SQLite queue in instance/)."""
    from mingshi.core import jobs
    from mingshi.core.db import default_database_url, make_engine, make_session_factory

    jobs.configure(make_session_factory(make_engine(default_database_url())), load_jurisdictions())
    click.echo(f"worker: {workers} threads on {type(jobs.queue()).__name__}", err=True)
    jobs.queue().create_consumer(workers=workers, worker_type="thread").run()


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="load the demo data and stop")
@click.option("--reset", is_flag=True, help="delete the SQLite database first and start afresh")
def demo_command(host: str, port: int, no_serve: bool, reset: bool) -> None:
    """Create the database if needed, load demo data for every tenant, print the logins, serve."""
    from mingshi.core.db import default_database_url
    from mingshi.core.demo import DEMO_PASSWORD, load_demo
    from mingshi.core.migrate import upgrade

    url = default_database_url()
    if reset and url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    upgrade(url, "head")
    summary = load_demo(url, load_jurisdictions())
    click.echo(f"database: {safe_url(url)}")
    for line in summary.lines():
        click.echo(line)
    click.echo(f"\nDemo logins (the password of every demo user is {DEMO_PASSWORD}):")
    for username, role, tenant in summary.logins:
        click.echo(f"  {username:<24} {role:<10} {tenant}")
    click.echo(f"\nOpen http://{host}:{port}/")
    if no_serve:
        return
    from mingshi.core import jobs
    from mingshi.core.db import make_engine, make_session_factory

    jobs.configure(make_session_factory(make_engine(url)), load_jurisdictions())
    consumer = jobs.start_worker_thread()
    click.echo("a background-job worker runs in this process")
    try:
        _serve(host, port)
    finally:
        consumer.stop()
