"""The ``mingshi`` command: the core's commands, Flask's commands, ``serve`` and ``demo``."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import FlaskGroup

from mingshi.core import config
from mingshi.core.cli import COMMANDS, load_jurisdictions, safe_url
from mingshi.core.config import ConfigError
from mingshi.core.roles import PrivilegedConnection


def _create_app(*_args: Any) -> Any:
    from mingshi.web import create_app

    return create_app()


class MingshiGroup(FlaskGroup):
    """Flask's CLI group whose failures are one line on stderr, not a traceback.

    Set ``MINGSHI_DEBUG=1`` to see the traceback of an unexpected error.
    """

    # The application defines no commands of its own (they are all on this group), so neither listing
    # the commands nor looking one up loads it: that would need its settings, and Flask prints the
    # traceback of a missing MINGSHI_SECRET_KEY under ``mingshi --help`` on a machine not set up yet.
    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted(click.Group.list_commands(self, ctx))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load_plugin_commands()
        return click.Group.get_command(self, ctx, name)

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
        except (ConfigError, PrivilegedConnection) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except SystemExit:
            raise
        except Exception as exc:
            if os.environ.get("MINGSHI_DEBUG"):
                raise
            click.echo(f"Error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(1)


@click.group(cls=MingshiGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
@click.version_option(package_name="mingshi", prog_name="mingshi", message="%(prog)s %(version)s")
def main() -> None:
    """mingshi — master-teacher studios (名师工作室) for city education bureaus."""


for command in COMMANDS:
    main.add_command(command)


@main.command("serve", with_appcontext=False)
@click.option("--host", default=None, help="default: MINGSHI_HOST, else 127.0.0.1")
@click.option("--port", default=None, type=int, help="default: MINGSHI_PORT, else 5000")
@click.option("--dev", is_flag=True, help="Werkzeug's server with Flask's reloader (development only)")
def serve_command(host: str | None, port: int | None, dev: bool) -> None:
    """Serve the web application: gunicorn with MINGSHI_WORKERS × MINGSHI_THREADS; --dev for development."""
    from mingshi.web import server

    settings = config.load()
    host, port = host or settings.host, port or settings.port
    if dev:
        server.serve_werkzeug(host, port, reloader=True, demo=True)
    else:
        server.serve_gunicorn(settings, host, port)


@main.command("worker", with_appcontext=False)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="threads")
def worker_command(workers: int) -> None:
    """Run background jobs from the queue (MINGSHI_QUEUE_URL; default the SQLite queue in instance/)."""
    from mingshi.core import jobs
    from mingshi.core.db import default_database_url, make_engine, make_session_factory

    jobs.configure(make_session_factory(make_engine(default_database_url())), load_jurisdictions())
    click.echo(f"worker: {workers} threads on {type(jobs.queue()).__name__}", err=True)
    jobs.queue().create_consumer(workers=workers, worker_type="thread").run()


def _refresh_central_summaries(url: str) -> None:
    """The central comparison's summaries of the data just loaded (a worker refreshes them later)."""
    import datetime as dt

    from mingshi.core.db import make_engine, make_session_factory
    from mingshi.core.services import summaries

    engine = make_engine(url)
    try:
        summaries.refresh_all(make_session_factory(engine), load_jurisdictions(), dt.date.today())
    finally:
        engine.dispose()


@main.command("demo", with_appcontext=False)
@click.option("--host", default=None, help="default: MINGSHI_HOST, else 127.0.0.1")
@click.option("--port", default=None, type=int, help="default: MINGSHI_PORT, else 5000")
@click.option("--no-serve", is_flag=True, help="load the demo data and stop")
@click.option("--reset", is_flag=True, help="delete the SQLite database first and start afresh")
def demo_command(host: str | None, port: int | None, no_serve: bool, reset: bool) -> None:
    """Create the database if needed, load demo data for every tenant, print the logins, serve."""
    from mingshi.core.db import default_database_url
    from mingshi.core.demo import DEMO_PASSWORD, load_demo
    from mingshi.core.migrate import upgrade

    settings = config.load()
    host, port = host or settings.host, port or settings.port
    url = default_database_url()
    if reset and url.startswith("sqlite:///"):
        from mingshi.core.demo import clear_files
        from mingshi.core.storage import storage_from_url

        path = url.removeprefix("sqlite:///")
        if Path(path).exists():
            # the files the database names go from the configured store (a folder or S3) with it
            clear_files(url, storage_from_url(settings.storage_url))
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        # leftovers in the default folder (files of a database deleted by hand) go too
        default_files = settings.instance_path / "files"
        if settings.storage_url == str(default_files) and default_files.is_dir():
            shutil.rmtree(default_files)
    upgrade(url, "head")
    summary = load_demo(url, load_jurisdictions())
    _refresh_central_summaries(url)
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
    from mingshi.web import server

    jobs.configure(make_session_factory(make_engine(url)), load_jurisdictions())
    consumer = jobs.start_worker_thread()
    click.echo("a background-job worker runs in this process")
    try:
        server.serve_werkzeug(host, port, reloader=False, demo=True)
    finally:
        consumer.stop()
