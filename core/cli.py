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


def _refusal(exc: Any) -> click.ClickException:
    """A marshmallow ValidationError as one line per problem, each naming its field."""
    from mingshi.core.schemas import flatten_errors

    lines = [_english(line) for line in flatten_errors(_texts(exc.messages))]
    return click.ClickException("\nError: ".join(lines) or "refused")


def _texts(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {k: _texts(v) for k, v in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [_texts(v) for v in messages]
    return _english(messages)


def _english(message: Any) -> str:
    from mingshi.core.i18n import Text

    return message.render("en") if isinstance(message, Text) else str(message)


class _Database:
    """A session without a tenant on DATABASE_URL; problems reading it are one line."""

    def __enter__(self):
        from mingshi.core.db import default_database_url, make_engine, make_session_factory

        self.engine = make_engine(default_database_url())
        self.session = make_session_factory(self.engine)()
        return self.session

    def __exit__(self, exc_type, exc, tb) -> None:
        self.session.close()
        self.engine.dispose()
        from marshmallow import ValidationError
        from sqlalchemy.exc import OperationalError, ProgrammingError

        if isinstance(exc, ValidationError):
            raise _refusal(exc) from None
        if isinstance(exc, (OperationalError, ProgrammingError)):
            raise click.ClickException(
                f"cannot use the database ({type(exc).__name__}); run 'mingshi db upgrade'"
            ) from None


def _print_tenants() -> None:
    from mingshi.core.services import tenants

    with _Database() as session:
        rows = tenants.listing(session)
        if not rows:
            click.echo("no tenants yet (run 'mingshi tenant create' or 'mingshi demo')")
        missing = unloaded_jurisdictions([row.tenant.jurisdiction for row in rows])
        for row in rows:
            t = row.tenant
            state = "" if t.active else "  DISABLED"
            click.echo(
                f"{t.code:<12} {t.name:<10} plugin={t.jurisdiction:<12} locale={t.locale} "
                f"studios={row.studios} users={row.users}{state}"
            )
            if t.jurisdiction in missing:
                click.echo(
                    f"warning: tenant {t.code}: jurisdiction {t.jurisdiction!r} is not installed or not enabled "
                    "(MINGSHI_JURISDICTIONS); its users see a notice until it is",
                    err=True,
                )


@click.command("tenants")
def tenants_command() -> None:
    """The tenants in the database (the same as 'mingshi tenant list')."""
    _print_tenants()


@click.group("tenant")
def tenant_group() -> None:
    """Tenants: create, list, disable, enable (the deployment operator's commands)."""


@tenant_group.command("create")
@click.argument("code")
@click.option("--jurisdiction", "jurisdiction", required=True, help="an installed jurisdiction (mingshi plugins)")
@click.option("--name", required=True, help="the bureau's name, e.g. 温州市")
@click.option("--name-en", default=None, help="the name in English")
def tenant_create(code: str, jurisdiction: str, name: str, name_en: str | None) -> None:
    """Create the tenant CODE (its URL is /CODE/) of an installed jurisdiction."""
    from mingshi.core.services import tenants

    loaded = load_jurisdictions()
    with _Database() as session:
        tenant = tenants.create(
            session, tenants.OPERATOR, loaded, code=code, jurisdiction=jurisdiction, name=name, name_en=name_en
        )
        counties = len(tenant_counties(session))
        session.commit()
        click.echo(f"created tenant {tenant.code} ({tenant.name}, {jurisdiction}) with {counties} counties")


def tenant_counties(session: Any) -> list[str]:
    from sqlalchemy import select

    from mingshi.core import models as m

    return list(session.scalars(select(m.County.name).order_by(m.County.position)))


@tenant_group.command("list")
def tenant_list() -> None:
    """The tenants, with their studios and users."""
    _print_tenants()


def _tenant_active(code: str, active: bool) -> None:
    from mingshi.core.services import tenants

    with _Database() as session:
        tenants.set_active(session, tenants.OPERATOR, code, active)
        session.commit()
    click.echo(f"tenant {code} {'enabled' if active else 'disabled: its users cannot sign in'}")


@tenant_group.command("disable")
@click.argument("code")
def tenant_disable(code: str) -> None:
    """Disable a tenant: its users cannot sign in; nothing is deleted."""
    _tenant_active(code, False)


@tenant_group.command("enable")
@click.argument("code")
def tenant_enable(code: str) -> None:
    """Enable a disabled tenant again."""
    _tenant_active(code, True)


@click.group("user")
def user_group() -> None:
    """Users: create, reset a password, disable (the deployment operator's commands)."""


@user_group.command("create")
@click.argument("name")
@click.option("--tenant", "tenant_code", default=None, help="the tenant's code")
@click.option("--role", type=click.Choice(["admin", "reviewer", "host", "member"]), default=None)
@click.option("--central", is_flag=True, help="central staff (no tenant; read-only across tenants)")
@click.option("--display-name", default=None, help="the name shown (default: NAME)")
@click.option("--person", "person_id", type=int, default=None, help="the person record of a host or member (id)")
@click.option("--studio", "studio_id", type=int, default=None, help="the studio of a host or member (id)")
def user_create(
    name: str,
    tenant_code: str | None,
    role: str | None,
    central: bool,
    display_name: str | None,
    person_id: int | None,
    studio_id: int | None,
) -> None:
    """Create the user NAME and print a one-time password (shown once; changed at the first sign-in)."""
    from mingshi.core.services import accounts, tenants
    from mingshi.core.tenancy import bind_tenant

    if central and (tenant_code or role):
        raise click.ClickException("--central takes neither --tenant nor --role")
    if not central and not (tenant_code and role):
        raise click.ClickException("give --tenant CODE and --role ROLE, or --central")
    with _Database() as session:
        tenant = None
        if not central:
            tenant = tenants.find(session, tenant_code)
            bind_tenant(session, tenant.id)
        issued = accounts.create_user(
            session,
            tenants.OPERATOR,
            username=name,
            display_name=display_name,
            tenant=tenant,
            roles=[("central", None)] if central else [(role, studio_id)],
            person_id=person_id,
        )
        session.commit()
    where = "central staff" if central else f"{role} of {tenant_code}"
    click.echo(f"created user {name} ({where})")
    click.echo(f"one-time password: {issued.password}")
    click.echo("it is shown only now; the user must change it at the first sign-in")


@user_group.command("reset-password")
@click.argument("name")
def user_reset_password(name: str) -> None:
    """Give the user NAME a new one-time password (printed once); their sessions end."""
    from mingshi.core.services import accounts, tenants

    with _Database() as session:
        user = accounts.find_user(session, name)
        issued = accounts.reset_password(session, tenants.OPERATOR, user)
        session.commit()
    click.echo(f"one-time password for {name}: {issued.password}")
    click.echo("it is shown only now; the user must change it at the next sign-in")


@user_group.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable the user NAME (they cannot sign in; nothing is deleted)."""
    from mingshi.core.services import accounts, tenants

    with _Database() as session:
        user = accounts.find_user(session, name)
        accounts.set_active(session, tenants.OPERATOR, user, False)
        session.commit()
    click.echo(f"user {name} disabled")


@user_group.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable the user NAME again."""
    from mingshi.core.services import accounts, tenants

    with _Database() as session:
        user = accounts.find_user(session, name)
        accounts.set_active(session, tenants.OPERATOR, user, True)
        session.commit()
    click.echo(f"user {name} enabled")


@click.command("new-jurisdiction")
@click.argument("code")
@click.option("--name", required=True, help="the jurisdiction's name, e.g. 第五市")
@click.option("--name-en", default=None, help="its English name (default: from the code)")
@click.option("--policy", default=None, help="the policy document's title (default: <name>名师工作室管理办法)")
@click.option(
    "--dir",
    "target",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="where to create the package folder mingshi-CODE",
)
def new_jurisdiction_command(code: str, name: str, name_en: str | None, policy: str | None, target: Path) -> None:
    """Scaffold a jurisdiction package that installs and passes its own tests at once."""
    import mingshi
    from mingshi.core.scaffold import ScaffoldError, scaffold

    version = mingshi.__version__ if mingshi.__version__[0].isdigit() and mingshi.__version__ != "0+unknown" else "0.2"
    try:
        folder = scaffold(code, name, target, name_en=name_en, policy=policy, mingshi_version=version)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {folder}")
    click.echo(f"next: pip install -e {folder} && pytest {folder}")


def unloaded_jurisdictions(codes: list[str]) -> set[str]:
    """Of these jurisdiction codes, the ones not installed or not enabled in this deployment."""
    loaded = load_jurisdictions()
    return {c for c in codes if c not in loaded}


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


def _configured_storage() -> Any:
    """The evidence store ``MINGSHI_STORAGE_URL`` names (the tenant's files travel with its rows)."""
    from mingshi.core import config
    from mingshi.core.storage import storage_from_url

    return storage_from_url(config.load().storage_url)


@click.command("export-tenant")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_tenant_command(code: str, file: Path) -> None:
    """Write one tenant's data (its rows of every table, its users and roles) to FILE as JSON."""
    from mingshi.core.backup import export_tenant

    summary = _backup_call(export_tenant, code, file, _configured_storage())
    click.echo(f"exported {summary.describe()} to {file}")


@click.command("import-tenant")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_tenant_command(file: Path) -> None:
    """Create the tenant exported in FILE, with new ids; refused if its code or a username exists."""
    from mingshi.core.backup import import_tenant

    summary = _backup_call(import_tenant, file, _configured_storage())
    click.echo(f"imported {summary.describe()}")


# ---------------------------------------------------------------------------------------------
# synthetic data at national scale (core/synth.py)


@click.command("synth")
@click.option("--studios", type=click.IntRange(1, 1_000_000), required=True, help="studios in all, over the tenants")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--years", type=click.IntRange(1, 10), default=3, show_default=True, help="years of activity")
@click.option("--activities", type=click.IntRange(1, 200), default=24, show_default=True, help="per studio-year")
@click.option("--suffix", default="", help="appended to each jurisdiction code to name its tenant")
def synth_command(studios: int, seed: int, years: int, activities: int, suffix: str) -> None:
    """Create one synthetic tenant per installed jurisdiction with STUDIOS studios in all (bulk loaded)."""
    import time

    from mingshi.core.db import default_database_url, make_engine, make_session_factory
    from mingshi.core.synth import SynthError, synth

    loaded = load_jurisdictions()
    url = default_database_url()
    engine = make_engine(url)
    started = time.perf_counter()

    def progress(code: str, done: int, total: int) -> None:
        click.echo(f"  {code}: {done}/{total} studios ({time.perf_counter() - started:.0f} s)", err=True)

    try:
        summary = synth(
            make_session_factory(engine),
            loaded,
            studios=studios,
            seed=seed,
            years=years,
            suffix=suffix,
            activities_per_year=activities,
            progress=progress,
        )
    except SynthError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    for line in summary.lines():
        click.echo(line)
    click.echo(f"{studios} studios in {time.perf_counter() - started:.1f} s into {safe_url(url)}")
    _refresh_summaries(url, loaded)


def _refresh_summaries(url: str, loaded: Any) -> None:
    import datetime as dt
    import time

    from mingshi.core.db import make_engine, make_session_factory
    from mingshi.core.services import summaries

    engine = make_engine(url)
    started = time.perf_counter()
    try:
        done = summaries.refresh_all(make_session_factory(engine), loaded, dt.date.today())
    finally:
        engine.dispose()
    click.echo(f"central summaries of {', '.join(done) or 'no tenant'} in {time.perf_counter() - started:.1f} s")


@click.group("summaries")
def summaries_group() -> None:
    """The central comparison's per-studio-year summaries (refreshed by the worker every 15 minutes)."""


@summaries_group.command("refresh")
def summaries_refresh_command() -> None:
    """Recompute every tenant's summaries from its records now."""
    from mingshi.core.db import default_database_url

    _refresh_summaries(default_database_url(), load_jurisdictions())


# ---------------------------------------------------------------------------------------------
# reminders (core/services/notifications.py)


@click.command("remind")
@click.option("--no-send", is_flag=True, help="write the reminders only; the worker e-mails them later")
def remind_command(no_send: bool) -> None:
    """Run the reminder pass once over every tenant (cron), then e-mail what is due (MINGSHI_SMTP_URL)."""
    import datetime as dt

    from mingshi.core import config
    from mingshi.core.db import default_database_url, make_engine, make_session_factory
    from mingshi.core.services import notifications

    settings = config.load()
    engine = make_engine(default_database_url())
    factory = make_session_factory(engine)
    try:
        for r in notifications.remind_all(factory, load_jurisdictions(), dt.date.today()):
            click.echo(f"{r.tenant}: {r.users} users, {r.created} new reminders, {r.resolved} resolved")
        if no_send:
            return
        if settings.smtp is None:
            click.echo("e-mail: MINGSHI_SMTP_URL is not set; reminders are shown in the application only")
            return
        sent = notifications.send_due(factory, settings.smtp, mail_from=settings.mail_from, base_url=settings.base_url)
        click.echo(f"e-mail: {sent.sent} reminders sent in {sent.messages} messages, {sent.failed} failed")
        for error in sent.errors:
            click.echo(f"  {error}", err=True)
    finally:
        engine.dispose()


COMMANDS = [
    db,
    plugins_command,
    tenants_command,
    new_jurisdiction_command,
    tenant_group,
    user_group,
    evaluate_command,
    backup_command,
    restore_command,
    export_tenant_command,
    import_tenant_command,
    synth_command,
    summaries_group,
    remind_command,
]
