"""PostgreSQL: the deployment's application role, and the refusal to serve with more rights than it has.

The application connects as a role that owns nothing, is no superuser and cannot bypass row-level
security, so that the database's walls (``FORCE ROW LEVEL SECURITY``, the append-only triggers, no
``TRUNCATE``) hold against the application itself. The role is the deployment's: its name is the
setting ``MINGSHI_APP_ROLE`` (default ``<dbname>_app``, so that two deployments on one server never
share one). :func:`grant_app_role` runs after the migrations in ``mingshi db upgrade`` and after a
restore, as the tables' owner: it creates the role ``NOLOGIN`` if it is missing (giving it LOGIN and a
password is the deployer's step, README "Deploying") and grants it what it needs, table by table, from
the database as it is (a later migration's table is granted by the next upgrade).

:func:`check_not_privileged` is what the web application asks before it serves.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: the tables whose rows are never changed nor deleted: the role may read and add, nothing else
APPEND_ONLY = frozenset({"fund_allocations", "expenses", "audit_log"})
#: read by /readyz (is the schema at the migrations' head?)
READ_ONLY = frozenset({"alembic_version"})

FIX = (
    "connect as the application role instead: run 'mingshi db upgrade' as the tables' owner (it creates the "
    "role {role} and grants it), give it a password (ALTER ROLE {role} LOGIN PASSWORD '…') and name it in "
    "DATABASE_URL; for a throw-away demo only, MINGSHI_ALLOW_PRIVILEGED_DATABASE=1 serves anyway"
)


class PrivilegedConnection(RuntimeError):
    """The application was asked to serve with rights that would take the database's walls down."""


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def grant_app_role(connection: Connection, role: str) -> None:
    """Create ``role`` (NOLOGIN) if it is missing and grant it the application's rights on every table."""
    if connection.dialect.name != "postgresql":
        return
    quoted = _quote(connection, role)
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    if not exists:
        connection.execute(text(f"CREATE ROLE {quoted} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"))
    schema = connection.scalar(text("SELECT current_schema()"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA {_quote(connection, schema)} TO {quoted}"))
    tables = connection.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    ).all()
    for table in tables:
        t = _quote(connection, table)
        connection.execute(text(f"REVOKE ALL ON {t} FROM {quoted}"))
        if table in READ_ONLY:
            privileges = "SELECT"
        elif table in APPEND_ONLY:
            privileges = "SELECT, INSERT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        connection.execute(text(f"GRANT {privileges} ON {t} TO {quoted}"))
        sequence = connection.scalar(
            text(
                "SELECT pg_get_serial_sequence(:t, 'id') WHERE EXISTS (SELECT 1 FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = :t AND column_name = 'id')"
            ),
            {"t": table},
        )
        if sequence:
            connection.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {quoted}"))


def privileges_of_current_user(connection: Connection) -> list[str]:
    """What makes the connected role too powerful to serve: superuser, BYPASSRLS, owner of a table."""
    found: list[str] = []
    user, superuser, bypass = connection.execute(
        text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    if superuser:
        found.append(f"{user} is a superuser")
    if bypass:
        found.append(f"{user} has BYPASSRLS")
    owned = connection.scalars(
        text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND pg_has_role(current_user, tableowner, 'USAGE') ORDER BY tablename LIMIT 3"
        )
    ).all()
    if owned and not superuser:
        found.append(f"{user} owns the tables (or is a member of their owner: {', '.join(owned)} …)")
    return found


def check_not_privileged(connection: Connection, role: str) -> None:
    """Raise :class:`PrivilegedConnection` naming the fix when the connection could take the walls down."""
    if connection.dialect.name != "postgresql":
        return
    found = privileges_of_current_user(connection)
    if found:
        raise PrivilegedConnection(
            f"refusing to serve on PostgreSQL: {'; '.join(found)}, so row-level security and the append-only "
            f"tables would not hold. Fix: " + FIX.format(role=role)
        )
