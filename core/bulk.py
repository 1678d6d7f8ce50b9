"""Bulk inserts into the application's tables: COPY on PostgreSQL, executemany on SQLite.

Rows go through the database's own constraints and triggers (foreign keys, checks, unique keys,
the append-only triggers) exactly like the application's writes. Row-level security:
PostgreSQL refuses ``COPY FROM`` into a table with row-level security for a role subject to it
(the application's ``mingshi_app`` is), so for such a role the writer falls back to a batched
``INSERT`` that the ``tenant_isolation`` policy checks row by row; a superuser or a ``BYPASSRLS``
role (the one that runs migrations and loads data) gets COPY. Either way the caller must set
``tenant_id`` on every row of a tenant-owned table: :meth:`BulkWriter.write` refuses a row whose
``tenant_id`` is not the session's tenant.

Ids are reserved before the rows are written (:meth:`BulkWriter.reserve`), so that parents and
children can be written in one pass: on PostgreSQL from the table's sequence under an
``EXCLUSIVE`` lock (readers go on; a concurrent writer waits for the commit), on SQLite from
``max(id)`` inside the ``BEGIN IMMEDIATE`` transaction that already serialises writers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from mingshi.core import revisions
from mingshi.core.db import Base


class BulkError(RuntimeError):
    pass


class BulkWriter:
    def __init__(self, session: Session):
        self.session = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        self.tenant_id = session.info.get("tenant_id")
        self.rows_written: dict[str, int] = {}
        self._locked: set[str] = set()
        self._next: dict[str, int] = {}
        self._copy = False
        if self.dialect == "postgresql":
            self._copy = bool(
                self.connection.execute(
                    text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
                ).scalar()
            )

    @property
    def uses_copy(self) -> bool:
        return self._copy

    def table(self, name: str) -> Table:
        return Base.metadata.tables[name]

    def reserve(self, name: str, n: int) -> int:
        """Reserve ``n`` consecutive ids of table ``name``; returns the first."""
        if n <= 0:
            return 0
        if self.dialect == "postgresql":
            if name not in self._locked:
                self.connection.execute(text(f'LOCK TABLE "{name}" IN EXCLUSIVE MODE'))
                self._locked.add(name)
            seq = self.connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": name}).scalar()
            if seq is None:
                raise BulkError(f"table {name} has no id sequence")
            first = self.connection.execute(text("SELECT nextval(CAST(:s AS regclass))"), {"s": seq}).scalar()
            self.connection.execute(text("SELECT setval(CAST(:s AS regclass), :v)"), {"s": seq, "v": first + n - 1})
            return int(first)
        first = self._next.get(name)
        if first is None:
            # no AUTOINCREMENT keyword on these tables: the next rowid is max(id) + 1
            first = int(self.connection.execute(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')).scalar()) + 1
        self._next[name] = first + n
        return first

    def _complete(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[tuple]]:
        columns = [c.name for c in table.columns]
        defaults: dict[str, Any] = {}
        for c in table.columns:
            if c.default is not None and not c.default.is_sequence:
                defaults[c.name] = c.default
        scoped = "tenant_id" in columns and table.name not in {"users", "audit_log"}
        out: list[tuple] = []
        for row in rows:
            if scoped and row.get("tenant_id") != self.tenant_id:
                raise BulkError(f"a row for {table.name} is not of the session's tenant {self.tenant_id}")
            values = []
            for name in columns:
                if name in row:
                    values.append(row[name])
                elif name in defaults:
                    d = defaults[name]
                    values.append(d.arg(None) if d.is_callable else d.arg)
                else:
                    values.append(None)
            out.append(tuple(values))
        return columns, out

    def write(self, name: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        table = self.table(name)
        columns, values = self._complete(table, rows)
        if name not in revisions.NOT_FACTS:
            # rows written past the session's unit of work: the tenant's kept results are all renewed
            revisions.mark_tenant(self.session)
        if self._copy:
            raw = self.connection.connection.driver_connection
            cols = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cursor, cursor.copy(f'COPY "{name}" ({cols}) FROM STDIN') as copy:
                for v in values:
                    copy.write_row(v)
        else:
            self.connection.execute(insert(table), [dict(zip(columns, v, strict=True)) for v in values])
        self.rows_written[name] = self.rows_written.get(name, 0) + len(values)
