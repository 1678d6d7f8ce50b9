"""The core's commands of ``mingshi``: database, plugins, tenants, evaluate, backup and tenant export.

The ``mingshi`` group itself is :data:`mingshi.web.cli.main` (it also knows Flask's commands and
serves the web application); the core knows nothing of the web and only lists its commands
in :data:`COMMANDS`. Errors are one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from mingshi.core.plugins import Jurisdictions, PluginLoadError


def load_jurisdictions() -> Jurisdictions:
    try:
        return Jurisdictions.load()
    except PluginLoadError as exc:
        raise click.ClickException(str(exc)) from None


# ---------------------------------------------------------------------------------------------
# database


@click.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Bring the database (DATABASE_URL, else instance/mingshi.db) up to date."""
    from mingshi.core.db import default_database_url
    from mingshi.core.migrate import upgrade

    url = default_database_url()
    try:
        upgrade(url, revision)
    except Exception as exc:  # reported as one line; the database is left as Alembic left it
        raise click.ClickException(f"migration failed: {type(exc).__name__}: {exc}") from None
    click.echo(f"database is at revision {revision}: {safe_url(url)}")
    if url.startswith("postgresql"):
        from mingshi.core.config import app_role_for

        role = app_role_for(url)
        click.echo(
            f"application role {role}: created if missing and granted; the application connects as it "
            f"(ALTER ROLE {role} LOGIN PASSWORD '…', then name it in DATABASE_URL)"
        )


@db.command("current")
def db_current() -> None:
    """Show the database's revision."""
    from mingshi.core.db import default_database_url
    from mingshi.core.migrate import current_revision

    click.echo(current_revision(default_database_url()) or "empty (no revision)")


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# ---------------------------------------------------------------------------------------------
# plugins and tenants


@click.command("plugins")
def plugins_command() -> None:
    """The installed jurisdictions: code, distribution and version, policy."""
    loaded = load_jurisdictions()
    if not loaded.codes():
        click.echo("no jurisdiction plugin is installed")
        return
    for j in loaded.all():
        info = j.info
        dist = f"{j.source.distribution} {j.source.version}" if j.source.distribution else j.source.value
        click.echo(f"{info.code:<12} {info.name.zh} ({info.name.en})  [{dist}]")
        number = f" {info.policy_number}" if info.policy_number else ""
        click.echo(f"{'':<12} 《{info.policy_title}》{number} {info.policy_version}")
        click.echo(
            f"{'':<12} {len(j.rules)} rules, {len(j.parameters)} parameters, kinds: {', '.join(info.studio_kinds)}"
        )


@click.command("tenants")
def tenants_command() -> None:
    """The tenants in the database."""
    from sqlalchemy import func, select

    from mingshi.core import models as m
    from mingshi.core.db import default_database_url, make_engine, make_session_factory
    from mingshi.core.tenancy import all_tenants

    engine = make_engine(default_database_url())
    factory = make_session_factory(engine)
    with factory() as session:
        try:
            tenants = list(session.scalars(select(m.Tenant).order_by(m.Tenant.code)))
        except Exception as exc:
            raise click.ClickException(
                f"cannot read tenants ({type(exc).__name__}); run 'mingshi db upgrade'"
            ) from None
        counts = dict(
            session.execute(
                select(m.Studio.tenant_id, func.count())
                .group_by(m.Studio.tenant_id)
                .execution_options(**all_tenants("tenant listing"))
            ).all()
        )
        if not tenants:
            click.echo("no tenants yet (run 'mingshi demo' or create one)")
        for t in tenants:
            click.echo(
                f"{t.code:<12} {t.name:<10} plugin={t.jurisdiction:<12} locale={t.locale} studios={counts.get(t.id, 0)}"
            )
    engine.dispose()


# ---------------------------------------------------------------------------------------------
# evaluate


@click.command("evaluate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--lang",
    default="zh_CN",
    show_default=True,
    type=click.Choice(["zh_CN", "en"]),
    help="language of the explanations",
)
@click.option(
    "--check", is_flag=True, help="compare each result with the file's expect block; exit 1 on any difference"
)
def evaluate_command(files: tuple[Path, ...], lang: str, check: bool) -> None:
    """Evaluate scenario files (see shared/spec/scenario.md) and print the results as JSON.

    Exit status: 0 on results, 1 when --check finds a difference, 2 on an invalid scenario.
    """
    from mingshi.core import scenario

    loaded = load_jurisdictions()
    datas = []
    for path in files:
        try:
            datas.append((path, scenario.validate(scenario.read_file(path), loaded, str(path))))
        except scenario.ScenarioError as exc:
            for problem in exc.problems:
                click.echo(f"{path}: {problem}", err=True)
            sys.exit(2)
    results = []
    failures = 0
    for path, data in datas:
        outcome = scenario.run(data, loaded)
        result = outcome.to_json(lang)
        results.append(result)
        if check:
            diffs = scenario.check(result, data.get("expect"))
            if not data.get("expect"):
                click.echo(f"SKIP {path} (no expect block)")
            elif diffs:
                failures += 1
                click.echo(f"FAIL {path}")
                for d in diffs:
                    click.echo(f"     {d}")
            else:
                click.echo(f"ok   {path}")
    if check:
        click.echo(f"{len(datas) - failures} passed, {failures} failed")
        sys.exit(1 if failures else 0)
    payload: Any = results[0] if len(results) == 1 else results
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------------------------
# backup and restore, one tenant's export and import (core/backup.py)


def _backup_call(action: Any, *args: Any) -> Any:
    from mingshi.core.backup import BackupError
    from mingshi.core.db import default_database_url

    try:
        return action(default_database_url(), *args)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Back up the whole database to FILE (SQLite: online backup; PostgreSQL: pg_dump -Fc)."""
    from mingshi.core.backup import backup

    _backup_call(backup, file)
    click.echo(f"backup written to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="replace the database without asking")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database by the backup FILE (SQLite: online backup; PostgreSQL: pg_restore --clean)."""
    from mingshi.core.backup import restore
    from mingshi.core.db import default_database_url

    if not file.is_file():
        raise click.ClickException(f"no backup file at {file}")
    if not yes:
        click.confirm(f"replace every table of {safe_url(default_database_url())} by {file}?", abort=True)
    revision = _backup_call(restore, file)
    click.echo(f"database restored from {file} (schema revision {revision}; run 'mingshi db upgrade' if older)")


@click.command("export-tenant")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_tenant_command(code: str, file: Path) -> None:
    """Write one tenant's data (its rows of every table, its users and roles) to FILE as JSON."""
    from mingshi.core.backup import export_tenant

    summary = _backup_call(export_tenant, code, file)
    click.echo(f"exported {summary.describe()} to {file}")


@click.command("import-tenant")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_tenant_command(file: Path) -> None:
    """Create the tenant exported in FILE, with new ids; refused if its code or a username exists."""
    from mingshi.core.backup import import_tenant

    summary = _backup_call(import_tenant, file)
    click.echo(f"imported {summary.describe()}")


COMMANDS = [
    db,
    plugins_command,
    tenants_command,
    evaluate_command,
    backup_command,
    restore_command,
    export_tenant_command,
    import_tenant_command,
]
