"""Automatic tenant scoping. It fails closed.

A :class:`TenantSession` bound to a tenant (:func:`bind_tenant`)

* filters every ORM SELECT, UPDATE and DELETE that touches a tenant-owned table to that
  tenant (SQLAlchemy's documented ``do_orm_execute`` + ``with_loader_criteria`` recipe);
* stamps ``tenant_id`` on new rows and refuses to flush a row of another tenant, a row whose
  ``tenant_id`` was changed, or a deletion of another tenant's row;
* raises :class:`TenantNotSet` for any such statement or flush while no tenant is bound.

Reading across tenants (central staff) is a named, explicit opt-in on one SELECT statement::

    session.execute(select(Studio).execution_options(**all_tenants("central comparison")))

It is refused on UPDATE and DELETE, and in a session bound to a tenant (a tenant's session never
reads another tenant; cross-tenant reads use a session without a tenant).

On PostgreSQL the walls are also written into the transaction for row-level security (migration
0002): ``set_config('app.tenant_id', …, true)`` when the transaction begins or the session is
bound, and ``app.all_tenants`` set to ``on`` just for the statement that carries the opt-in (it is
reset to empty right after it ran, unless the result is streamed from a server-side cursor, where it
stays on until the transaction ends).

Known limits of the ORM wall (closed on PostgreSQL by row-level security): ``text()`` and
Core statements executed through ``Connection`` objects are not inspected.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, event, inspect, text
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.sql.util import find_tables

from mingshi.core.db import BigId

ALL_TENANTS_OPTION = "mingshi_all_tenants"


class TenancyError(RuntimeError):
    """Base class of the scoping errors; never caught silently."""


class TenantNotSet(TenancyError):
    """A statement or flush touched tenant-owned rows while the session had no tenant."""


class CrossTenantWrite(TenancyError):
    """A flush would have written or deleted a row of another tenant."""


class ReferenceNotFound(LookupError):
    """A row names (``x_id``) a row that is not one of the tenant's: another tenant's, or none at all.

    The two cases are one answer (the web's 404), so that an id never tells whether it exists
    elsewhere. The database refuses the same row too (the composite keys of migration 0005).
    """

    def __init__(self, table: str, column: str, value: object) -> None:
        super().__init__(f"{table}.{column} = {value!r}: no such row in this tenant")
        self.table, self.column, self.value = table, column, value


class TenantScoped:
    """Mixin of every tenant-owned table: a non-null, indexed ``tenant_id``."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(BigId, ForeignKey("tenants.id", ondelete="RESTRICT"), index=True, nullable=False)


class TenantSession(Session):
    """A session that knows its tenant; see the module docstring."""

    @property
    def tenant_id(self) -> int | None:
        return self.info.get("tenant_id")


def bind_tenant(session: Session, tenant_id: int) -> None:
    """Bind ``session`` to ``tenant_id`` for the rest of its life. Rebinding to another tenant is refused."""
    if not isinstance(tenant_id, int) or isinstance(tenant_id, bool):
        raise TypeError(f"tenant_id must be an int, not {tenant_id!r}")
    current = session.info.get("tenant_id")
    if current is not None and current != tenant_id:
        raise TenancyError(f"session is bound to tenant {current}; open a new session for tenant {tenant_id}")
    session.info["tenant_id"] = tenant_id
    if session.in_transaction():
        _set_pg_tenant(session, session.connection())


def all_tenants(reason: str) -> dict[str, str]:
    """Execution options that let one SELECT read every tenant. ``reason`` names the caller."""
    if not reason or not reason.strip():
        raise ValueError("a cross-tenant read must say why (e.g. 'central comparison')")
    return {ALL_TENANTS_OPTION: reason}


def tenant_tables() -> frozenset[Any]:
    from mingshi.core.db import Base

    return frozenset(mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, TenantScoped))


def _statement_tables(statement: Any) -> set[Any]:
    return set(
        find_tables(
            statement,
            check_columns=True,
            include_aliases=True,
            include_joins=True,
            include_selects=True,
            include_crud=True,
        )
    )


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    scoped = tenant_tables()
    if any(issubclass(m.class_, TenantScoped) for m in state.all_mappers):
        return True
    return bool(_statement_tables(state.statement) & scoped)


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    reason = state.execution_options.get(ALL_TENANTS_OPTION)
    tenant_id = state.session.info.get("tenant_id")
    if reason:
        if not state.is_select:
            raise TenancyError("the cross-tenant opt-in is for reading only")
        if tenant_id is not None:
            raise TenancyError(
                f"a session bound to tenant {tenant_id} cannot read across tenants ({reason}); "
                "use a session without a tenant"
            )
        return _read_all_tenants(state)
    if tenant_id is None:
        if _touches_tenant_tables(state):
            raise TenantNotSet("no tenant is bound to this session; refusing to touch tenant-owned rows")
        return
    # Lazy and column loads inherit the criteria of the statement that loaded their parent.
    if state.is_column_load or state.is_relationship_load:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


@event.listens_for(TenantSession, "before_flush")
def _guard_flush(session: Session, _context: Any, _instances: Any) -> None:
    tenant_id = session.info.get("tenant_id")
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantNotSet(f"cannot add {type(obj).__name__}: no tenant is bound to this session")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"cannot add {type(obj).__name__} of tenant {obj.tenant_id} in a session of tenant {tenant_id}"
            )
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, TenantScoped):
            _check_references(session, obj)
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantNotSet(f"cannot change {type(obj).__name__}: no tenant is bound to this session")
        history = inspect(obj).attrs.tenant_id.history
        if history.deleted and history.deleted[0] is not None:
            raise CrossTenantWrite(f"the tenant of a {type(obj).__name__} cannot be changed")
        if obj.tenant_id != tenant_id:
            raise CrossTenantWrite(
                f"cannot change {type(obj).__name__} of tenant {obj.tenant_id} in a session of tenant {tenant_id}"
            )


_REFERENCES: dict[Any, list[tuple[str, str, type]]] = {}


def _references(mapper: Any) -> list[tuple[str, str, type]]:
    """(attribute, column, referenced class) of a tenant-owned mapper's references to tenant-owned rows."""
    cached = _REFERENCES.get(mapper)
    if cached is not None:
        return cached
    classes = {m.local_table: m.class_ for m in mapper.registry.mappers if issubclass(m.class_, TenantScoped)}
    found = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            if column.name == "tenant_id":
                continue
            for fk in column.foreign_keys:
                target = classes.get(fk.column.table)
                if target is not None and len(fk.constraint.columns) == 1:
                    found.append((prop.key, column.name, target))
    _REFERENCES[mapper] = found
    return found


def _check_references(session: Session, obj: Any) -> None:
    """Every reference a new or changed row makes names a row of the session's tenant (else ReferenceNotFound)."""
    state = inspect(obj)
    for key, column, target in _references(state.mapper):
        value = getattr(obj, key)
        if value is None:
            continue
        if not state.pending and not state.attrs[key].history.added:
            continue  # unchanged
        with session.no_autoflush:
            found = session.get(target, value)
        if found is None:
            raise ReferenceNotFound(state.mapper.local_table.name, column, value)


def _read_all_tenants(state: ORMExecuteState) -> Any:
    """Run a cross-tenant SELECT; on PostgreSQL with ``app.all_tenants`` on for it alone."""
    connection = state.session.connection(bind_arguments=state.bind_arguments)
    if connection.dialect.name != "postgresql":
        return None  # the statement runs as it is
    connection.execute(_SET_ALL_TENANTS, {"value": "on"})
    result = state.invoke_statement()
    options = state.execution_options
    if not (options.get("stream_results") or options.get("yield_per")):
        # psycopg's client-side cursor holds every row by now
        connection.execute(_SET_ALL_TENANTS, {"value": ""})
    return result


_SET_ALL_TENANTS = text("SELECT set_config('app.all_tenants', :value, true)")
_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true), set_config('app.all_tenants', '', true)")


def _set_pg_tenant(session: Session, connection: Any) -> None:
    """Write the session's tenant into the transaction, and end any cross-tenant reading."""
    if connection.dialect.name != "postgresql":
        return
    tenant_id = session.info.get("tenant_id")
    connection.execute(_SET_TENANT, {"tenant": "" if tenant_id is None else str(tenant_id)})


@event.listens_for(TenantSession, "after_begin")
def _after_begin(session: Session, _transaction: Any, connection: Any) -> None:
    _set_pg_tenant(session, connection)
