"""Fact revisions: which studios' facts a transaction changed, raised when it commits.

The rules are pure functions of a studio's facts (``core/services/facts.py``), the parameters and the
day. A result computed from them may therefore be kept and served again for as long as none of those
changed (``core/cache.py``). This module is how a writer says that they changed, without any writer
having to remember to: every flush of a :class:`~mingshi.core.tenancy.TenantSession` is inspected,
and each new, changed or deleted row is classified by its table —

* a row of a studio's record (it has ``studio_id``, or belongs to an activity or an output) raises
  that studio's ``facts_rev``;
* a table that never feeds the rules (:data:`NOT_FACTS`: the audit log, jobs, files, summaries …)
  raises nothing;
* **any other table** — people, schools, parameters, and any table added later and not classified —
  raises the tenant's ``facts_rev``, which every cached result of the tenant is kept under as well. An
  unknown table therefore costs cache hits, never a stale answer (fails closed).

Statements run through the session (``session.execute(update(…))``, :class:`~mingshi.core.bulk.BulkWriter`)
raise the tenant's revision unless they touch only :data:`NOT_FACTS`. The counters are raised once per
transaction, just before it commits (``before_commit``), studios in id order then the tenant, so that
concurrent writers take these row locks in one order; the new values are copied onto the rows the
session holds (``RETURNING``), so that the writing request itself reads the new revision.

A session whose transaction has written facts that are not committed yet (:func:`dirty`) must not use
the cache: its own uncommitted rows would be read under the old revision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import set_committed_value

from mingshi.core import models as m
from mingshi.core.tenancy import TenantScoped, TenantSession

#: tables whose rows the rules never read: a write to them leaves every revision as it is
NOT_FACTS = frozenset(
    {
        "audit_log",
        "evidence",
        "jobs",
        "notifications",
        "sign_in_failures",
        "studio_year_summaries",
        "summary_refreshes",
        "tenants",
        "users",
        "user_roles",
    }
)

_PENDING = "mingshi_fact_bumps"
#: execution option of the statements this module runs itself
_OWN = "mingshi_fact_revision"


class _Pending:
    __slots__ = ("studios", "tenant")

    def __init__(self) -> None:
        self.studios: set[int] = set()
        self.tenant = False

    def __bool__(self) -> bool:
        return self.tenant or bool(self.studios)


def _pending(session: Session) -> _Pending:
    found = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = _Pending()
    return found


def dirty(session: Session) -> bool:
    """Whether the session's transaction has changed facts it has not committed (flushed or not)."""
    if session.info.get(_PENDING):
        return True
    return any(_table(obj) not in NOT_FACTS for obj in (*session.new, *session.dirty, *session.deleted))


def mark_tenant(session: Session) -> None:
    """Say that what the tenant's studios share changed (for writers that bypass the session's rows)."""
    _pending(session).tenant = True


def _table(obj: Any) -> str:
    return getattr(type(obj), "__tablename__", "")


def _studio_of(session: Session, obj: Any, parents: dict[tuple[type, int], int | None]) -> int | None:
    """The studio a row belongs to, or None where it is not one studio's."""
    if isinstance(obj, m.Studio):
        return obj.id
    studio_id = getattr(obj, "studio_id", None)
    if studio_id is not None:
        return studio_id
    for attribute, model in (("activity_id", m.Activity), ("output_id", m.Output)):
        parent_id = getattr(obj, attribute, None)
        if parent_id is None:
            continue
        key = (model, parent_id)
        if key not in parents:
            with session.no_autoflush:
                parent = session.get(model, parent_id)
            parents[key] = None if parent is None else parent.studio_id
        return parents[key]
    return None


@event.listens_for(TenantSession, "before_flush")
def _collect(session: Session, _context: Any, _instances: Any) -> None:
    pending = _pending(session)
    parents: dict[tuple[type, int], int | None] = {}
    changed = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *changed, *session.deleted):
        if _table(obj) in NOT_FACTS or not isinstance(obj, TenantScoped):
            continue
        studio_id = _studio_of(session, obj, parents)
        if studio_id is None:
            pending.tenant = True
        else:
            pending.studios.add(studio_id)


@event.listens_for(TenantSession, "do_orm_execute")
def _statements(state: ORMExecuteState) -> None:
    if state.is_select or state.execution_options.get(_OWN):
        return
    tables = {getattr(t, "name", "") for t in _dml_tables(state)}
    if tables - NOT_FACTS:
        _pending(state.session).tenant = True


def _dml_tables(state: ORMExecuteState) -> list[Any]:
    table = getattr(state.statement, "table", None)
    if table is not None:
        return [table]
    return [mapper.local_table for mapper in state.all_mappers]


@event.listens_for(TenantSession, "before_commit")
def _raise(session: Session) -> None:
    tenant_id = session.info.get("tenant_id")
    if tenant_id is None:
        # a session bound to no tenant cannot write a tenant's rows (core/tenancy.py)
        session.info.pop(_PENDING, None)
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the commit would flush, collected before the counters are raised
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if pending.studios:
        rows = session.execute(
            update(m.Studio)
            .where(m.Studio.id.in_(sorted(pending.studios)))
            .values(facts_rev=m.Studio.facts_rev + 1)
            .returning(m.Studio.id, m.Studio.facts_rev)
            .execution_options(synchronize_session=False, **{_OWN: True}),
        ).all()
        for studio_id, rev in rows:
            held = session.identity_map.get(session.identity_key(m.Studio, studio_id))
            if held is not None:
                set_committed_value(held, "facts_rev", rev)
    if pending.tenant:
        rev = session.execute(
            update(m.Tenant)
            .where(m.Tenant.id == tenant_id)
            .values(facts_rev=m.Tenant.facts_rev + 1)
            .returning(m.Tenant.facts_rev)
            .execution_options(synchronize_session=False, **{_OWN: True}),
        ).scalar_one()
        held = session.identity_map.get(session.identity_key(m.Tenant, tenant_id))
        if held is not None:
            set_committed_value(held, "facts_rev", rev)


@event.listens_for(TenantSession, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
