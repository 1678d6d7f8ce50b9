"""Backups of the whole database, and one tenant's data as a portable file.

Whole database (``mingshi backup FILE`` / ``mingshi restore FILE``)
    * SQLite: the online backup API of :mod:`sqlite3` (a consistent copy while the application
      runs); restoring copies the file's pages back over the live database the same way.
    * PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
      --single-transaction --exit-on-error``: all or nothing. Both read and write every tenant's
      rows, so they run as a superuser or a role with ``BYPASSRLS`` (row-level security is forced
      on the owner too). The dump's grants are not restored (``--no-acl``): the restore grants the
      restoring deployment's application role afresh (``MINGSHI_APP_ROLE``, default ``<dbname>_app``;
      created if missing, :mod:`mingshi.core.roles`), so a backup restores onto another server or
      under another database name.

    Restoring replaces the tables (DROP and CREATE, then COPY): the append-only triggers, which
    refuse UPDATE and DELETE, are never in the way.

One tenant (``mingshi export-tenant CODE FILE`` / ``mingshi import-tenant FILE``)
    A JSON file with the tenant, its rows of every table that has a ``tenant_id`` (the
    tenant-owned tables, its users, its audit log), and the rows of tables that hang on those
    only (its users' roles). Importing creates the tenant anew in a database that may hold others:
    every id is given by the target database and every reference is remapped; the target's own
    tenants are not touched. A tenant code or a username that exists already is refused, and so
    is a file from another schema revision. References to rows outside the tenant (a central
    user who recorded an entry) are cleared, the name written beside them stays; the audit log's
    ``entity_id`` is remapped when ``entity`` names an exported table, and its before/after
    snapshots are kept as they were written.

    Evidence files travel with their rows: given the evidence store, the export carries the bytes
    of every file not purged (``files``: storage key → base64), and the import checks each one
    against its row's SHA-256 before anything is written, stores it under a new key of the new
    tenant, and removes what it stored again when the import fails. A file whose bytes are
    missing from the store at export, or from the file at import, refuses the whole operation.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, Table, or_, select
from sqlalchemy.engine import URL, make_url

from mingshi.core.db import Base, make_engine, make_session_factory, write_session

EXPORT_FORMAT = "mingshi-tenant-export"
EXPORT_VERSION = 1


class BackupError(RuntimeError):
    """A backup, restore, export or import that cannot be done; the message is one line for the user."""


# ---------------------------------------------------------------------------------------------
# whole database


def backup(url: str, path: Path) -> None:
    """Write a backup of the database at ``url`` to ``path`` (replaced only once the backup is complete)."""
    path = Path(path)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_file(parsed), path)
    elif parsed.get_backend_name() == "postgresql":
        _write_atomically(path, lambda tmp: _run(["pg_dump", "--format=custom", f"--file={tmp}"], parsed))
    else:
        raise BackupError(f"cannot back up a {parsed.get_backend_name()} database")


def restore(url: str, path: Path) -> str | None:
    """Replace the database at ``url`` by the backup ``path``; returns the backup's schema revision."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_restore(path, _sqlite_file(parsed))
    if parsed.get_backend_name() == "postgresql":
        args = ["pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner"]
        _run([*args, "--no-acl", str(path)], parsed)
        from mingshi.core.config import app_role_for
        from mingshi.core.migrate import current_revision
        from mingshi.core.roles import grant_app_role

        engine = make_engine(url)
        try:
            with engine.begin() as connection:
                grant_app_role(connection, app_role_for(url))
        finally:
            engine.dispose()

        return current_revision(url)
    raise BackupError(f"cannot restore a {parsed.get_backend_name()} database")


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _write_atomically(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o600)  # a backup holds every tenant's data: its owner only
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _sqlite_backup(source: Path, path: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")

    def write(tmp: Path) -> None:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()

    _write_atomically(path, write)


def _sqlite_restore(path: Path, target: Path) -> str | None:
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from None
    try:
        try:
            check = src.execute("PRAGMA quick_check").fetchone()[0]
            revision = src.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a mingshi SQLite backup ({exc})") from None
        if check != "ok":
            raise BackupError(f"{path} is damaged: {check}")
        dst = sqlite3.connect(target, timeout=15)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return revision[0] if revision else None


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment, not argv."""
    from psycopg.conninfo import make_conninfo

    params: dict[str, Any] = {k: v for k, v in url.query.items() if isinstance(v, str)}
    for key, value in (("host", url.host), ("port", url.port), ("user", url.username), ("dbname", url.database)):
        if value is not None:
            params[key] = value
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return [f"--dbname={make_conninfo('', **params)}"], env


def _run(command: list[str], url: URL) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client tools of the server's version "
            "(e.g. apt-get install postgresql-client)"
        )
    args, env = _libpq(url)
    done = subprocess.run([command[0], *args, *command[1:]], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        detail = "; ".join(lines[-3:]) or f"exit status {done.returncode}"
        raise BackupError(f"{tool} failed: {detail}")


# ---------------------------------------------------------------------------------------------
# one tenant


@dataclass
class TenantTransfer:
    """What an export or an import did: rows per table, references that could not follow."""

    code: str
    rows: dict[str, int] = field(default_factory=dict)
    cleared: dict[str, int] = field(default_factory=dict)
    tenant_id: int | None = None
    #: evidence files whose bytes travelled with the rows
    files: int = 0

    def describe(self) -> str:
        total = sum(self.rows.values())
        text = f"tenant {self.code}: {total} rows in {len([n for n in self.rows.values() if n])} tables"
        text += f", {self.files} evidence files"
        if self.cleared:
            text += "; references to rows outside the tenant cleared: " + ", ".join(
                f"{name} ×{n}" for name, n in sorted(self.cleared.items())
            )
        return text


def _plan() -> tuple[list[Table], list[Table]]:
    """The tables with a ``tenant_id`` and the tables that hang on them only, in dependency order."""
    import mingshi.core.models  # noqa: F401 - every table on the metadata

    # derived tables (the central summaries) are left out: they are recomputed, not restored
    owned = [
        t
        for t in Base.metadata.sorted_tables
        if t.name != "tenants" and "tenant_id" in t.c and not t.info.get("derived")
    ]
    owned_names = {t.name for t in owned}
    dependent = [
        t
        for t in Base.metadata.sorted_tables
        if t.name != "tenants"
        and "tenant_id" not in t.c
        and any(fk.column.table.name in owned_names for col in t.c for fk in col.foreign_keys)
    ]
    order = [t for t in Base.metadata.sorted_tables if t in owned or t in dependent]
    order.sort(key=lambda t: t.name == "audit_log")  # last: its entity ids are remapped like references
    return order, dependent


def _entity_tables() -> dict[str, str]:
    """The audit log's entity names (``fund_allocation``) → tables (``fund_allocations``)."""
    out = {}
    for mapper in Base.registry.mappers:
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", mapper.class_.__name__).lower()
        out[name] = mapper.local_table.name
    return out


def _dump_value(column: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and getattr(column.type, "timezone", False):
            value = value.replace(tzinfo=dt.UTC)  # SQLite keeps UTC timestamps without their zone
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, as written
    return value


def _load_value(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, Numeric) and not isinstance(value, int):
        return Decimal(value)
    return value


def _revision(connection: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def export_tenant(url: str, code: str, path: Path, storage: Any = None) -> TenantTransfer:
    """Write tenant ``code``'s data to ``path`` as JSON (see the module docstring); with ``storage``,
    the bytes of its evidence files too."""
    from mingshi.core import models as m
    from mingshi.core.tenancy import bind_tenant

    order, dependent = _plan()
    engine = make_engine(url)
    summary = TenantTransfer(code=code)
    try:
        factory = make_session_factory(engine)
        with factory() as session:
            tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
            if tenant is None:
                raise BackupError(f"no tenant with code {code!r}")
            revision = _revision(session.connection())
            bind_tenant(session, tenant.id)
            connection = session.connection()
            tables: dict[str, list[dict[str, Any]]] = {}
            ids: dict[str, set[int]] = {}
            for table in order:
                if table in dependent:
                    conditions = [
                        col.in_(ids[fk.column.table.name])
                        for col in table.c
                        for fk in col.foreign_keys
                        if fk.column.table.name in ids and fk.column.table.name != "tenants"
                    ]
                    query = select(table).where(or_(*conditions))
                else:
                    query = select(table).where(table.c.tenant_id == tenant.id)
                rows = [dict(r) for r in connection.execute(query.order_by(*table.primary_key.columns)).mappings()]
                tables[table.name] = [{k: _dump_value(table.c[k], v) for k, v in row.items()} for row in rows]
                if "id" in table.c:
                    ids[table.name] = {row["id"] for row in rows}
                summary.rows[table.name] = len(rows)
            files: dict[str, str] = {}
            if storage is not None:
                for row in tables.get("evidence", []):
                    if row.get("purged_at") is not None:
                        continue
                    try:
                        data = storage.get(row["storage_key"])
                    except (FileNotFoundError, KeyError) as exc:
                        raise BackupError(
                            f"the bytes of evidence file {row['id']} ({row['filename']}) are missing from the store"
                        ) from exc
                    if hashlib.sha256(data).hexdigest() != row["sha256"]:
                        raise BackupError(f"evidence file {row['id']} ({row['filename']}) does not match its SHA-256")
                    files[row["storage_key"]] = base64.b64encode(data).decode("ascii")
            summary.files = len(files)
            payload = {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "revision": revision,
                "exported_at": dt.datetime.now(dt.UTC).isoformat(),
                "tenant": {c.name: _dump_value(c, getattr(tenant, c.key)) for c in m.Tenant.__table__.c},
                "tables": tables,
                "files": files,
            }
    finally:
        engine.dispose()
    _write_atomically(
        Path(path), lambda tmp: tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    )
    return summary


def _read_export(path: Path) -> dict[str, Any]:
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"no export file at {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a tenant export (invalid JSON: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise BackupError(f"{path} is not a tenant export (format is not {EXPORT_FORMAT!r})")
    if payload.get("version") != EXPORT_VERSION:
        raise BackupError(f"{path}: export version {payload.get('version')!r}; this mingshi reads {EXPORT_VERSION}")
    if not isinstance(payload.get("tenant"), dict) or not isinstance(payload.get("tables"), dict):
        raise BackupError(f"{path} is not a tenant export (no tenant or tables)")
    return payload


def _files_of(payload: dict[str, Any], path: Path) -> dict[str, bytes]:
    """The export's evidence bytes, each checked against its row's SHA-256 (before anything is written)."""
    raw = payload.get("files") or {}
    if not isinstance(raw, dict):
        raise BackupError(f"{path}: 'files' is not a mapping of storage keys to contents")
    out: dict[str, bytes] = {}
    for row in payload["tables"].get("evidence", []):
        if row.get("purged_at") is not None:
            continue
        key = row.get("storage_key")
        if key not in raw:
            raise BackupError(f"{path}: the bytes of evidence file {row.get('id')} ({row.get('filename')}) are missing")
        try:
            data = base64.b64decode(raw[key], validate=True)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{path}: evidence file {row.get('id')} is not valid base64") from exc
        if hashlib.sha256(data).hexdigest() != row.get("sha256"):
            raise BackupError(
                f"{path}: evidence file {row.get('id')} ({row.get('filename')}) does not match its SHA-256; "
                "import refused"
            )
        out[key] = data
    return out


def import_tenant(url: str, path: Path, storage: Any = None) -> TenantTransfer:
    """Create the tenant of the export ``path`` in the database at ``url``; all or nothing. With
    ``storage``, the evidence bytes are checked and stored too (see the module docstring)."""
    from mingshi.core import models as m
    from mingshi.core.storage import new_key
    from mingshi.core.tenancy import bind_tenant

    payload = _read_export(path)
    code = payload["tenant"].get("code")
    if not isinstance(code, str) or not code:
        raise BackupError(f"{path}: the tenant has no code")
    order, _dependent = _plan()
    known = {t.name for t in order}
    unknown = sorted(set(payload["tables"]) - known)
    if unknown:
        raise BackupError(f"{path}: tables this schema does not have: {', '.join(unknown)}")
    entities = _entity_tables()
    live = [r for r in payload["tables"].get("evidence", []) if r.get("purged_at") is None]
    if live and storage is None:
        raise BackupError(f"{path} holds {len(live)} evidence files: the import needs the evidence store")
    files = _files_of(payload, path) if storage is not None else {}
    stored: list[str] = []
    summary = TenantTransfer(code=code)
    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        with write_session(factory, None) as session:
            revision = _revision(session.connection())
            if payload.get("revision") != revision:
                raise BackupError(
                    f"{path} was exported at schema revision {payload.get('revision')}; this database is at "
                    f"{revision} (bring both to the same revision with 'mingshi db upgrade')"
                )
            if session.scalar(select(m.Tenant.id).where(m.Tenant.code == code)) is not None:
                raise BackupError(f"tenant {code!r} exists already; import refused")
            usernames = [row.get("username") for row in payload["tables"].get("users", [])]
            taken = sorted(session.scalars(select(m.User.username).where(m.User.username.in_(usernames))))
            if taken:
                raise BackupError(f"usernames exist already: {', '.join(taken[:5])}; import refused")
            columns = {c.name for c in m.Tenant.__table__.c}
            tenant = m.Tenant(
                **{
                    m.Tenant.__table__.c[k].key: _load_value(m.Tenant.__table__.c[k], v)
                    for k, v in payload["tenant"].items()
                    if k in columns and k != "id"
                }
            )
            session.add(tenant)
            session.flush()
            bind_tenant(session, tenant.id)
            summary.tenant_id = tenant.id
            connection = session.connection()
            new_ids: dict[str, dict[int, int]] = {"tenants": {payload["tenant"].get("id"): tenant.id}}
            exported = {name: {r.get("id") for r in rows} for name, rows in payload["tables"].items()}
            for table in order:
                rows = payload["tables"].get(table.name, [])
                new_ids[table.name] = {}
                for row in sorted(rows, key=lambda r: r.get("id") or 0):
                    values = _remap(table, row, tenant.id, new_ids, exported, entities, summary)
                    if table.name == "evidence":
                        # a key of the new tenant; the bytes go to the store before the row names them
                        values["storage_key"] = new_key(tenant.id)
                        if row["storage_key"] in files:
                            storage.put(values["storage_key"], files[row["storage_key"]])
                            stored.append(values["storage_key"])
                    if "id" in table.c:
                        new_id = connection.execute(table.insert().returning(table.c.id), values).scalar_one()
                        new_ids[table.name][row["id"]] = new_id
                    else:
                        connection.execute(table.insert(), values)
                summary.rows[table.name] = len(rows)
    except BaseException:
        for key in stored:  # the store holds no file without its row
            storage.delete(key)
        raise
    finally:
        engine.dispose()
    summary.files = len(stored)
    return summary


def _referenced_table(column: Any) -> str:
    """The table a reference column names (its own foreign key, not a composite one with the tenant)."""
    return next(fk for fk in column.foreign_keys if len(fk.constraint.columns) == 1).column.table.name


def _remap(
    table: Table,
    row: dict[str, Any],
    tenant_id: int,
    new_ids: dict[str, dict[int, int]],
    exported: dict[str, set[Any]],
    entities: dict[str, str],
    summary: TenantTransfer,
) -> dict[str, Any]:
    """A row of the export as the target database will hold it: every reference remapped."""

    def clear(name: str) -> None:
        summary.cleared[name] = summary.cleared.get(name, 0) + 1

    values: dict[str, Any] = {}
    for name, raw in row.items():
        if name not in table.c:
            raise BackupError(f"{table.name}.{name}: a column this schema does not have")
        column = table.c[name]
        if name == "id" and column.primary_key:
            continue
        value = _load_value(column, raw)
        if name == "tenant_id":
            value = tenant_id
        elif column.foreign_keys and value is not None:
            target = _referenced_table(column)
            if value in new_ids.get(target, {}):
                value = new_ids[target][value]
            elif value in exported.get(target, ()):
                raise BackupError(f"{table.name}.{name} = {value} refers to a row that comes later in the file")
            elif column.nullable:
                clear(f"{table.name}.{name}")
                value = None
            else:
                raise BackupError(f"{table.name}.{name} = {value} refers to {target} outside the export")
        values[name] = value
    if table.name == "audit_log" and values.get("entity_id") is not None:
        target = entities.get(values.get("entity") or "")
        if target is not None and values["entity_id"] in new_ids.get(target, {}):
            values["entity_id"] = new_ids[target][values["entity_id"]]
        elif target is not None:
            clear("audit_log.entity_id")
            values["entity_id"] = None
    return values
