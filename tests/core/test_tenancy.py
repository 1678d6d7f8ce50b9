"""Automatic tenant scoping: filtered reads and writes, stamped inserts, fail-closed, explicit cross-tenant reads."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, update

from mingshi.core import models as m
from mingshi.core.tenancy import CrossTenantWrite, TenancyError, TenantNotSet, all_tenants, bind_tenant


@pytest.fixture
def tenants(sessions):
    """Two tenants, each with two studios and one member."""
    ids = {}
    with sessions() as session:
        for code in ("a", "b"):
            tenant = m.Tenant(code=code, name=code.upper(), jurisdiction="x")
            session.add(tenant)
            session.flush()
            ids[code] = tenant.id
        session.commit()
    for code in ("a", "b"):
        with sessions() as session:
            bind_tenant(session, ids[code])
            person = m.Person(name=f"host {code}")
            s1 = m.Studio(name=f"{code}-1", kind="studio")
            s2 = m.Studio(name=f"{code}-2", kind="workshop")
            session.add_all([person, s1, s2])
            session.flush()
            session.add(m.Membership(studio_id=s1.id, person_id=person.id, role="host", joined=dt.date(2025, 1, 1)))
            session.commit()
    return ids


def _names(session) -> list[str]:
    return sorted(session.scalars(select(m.Studio.name)))


def test_select_sees_only_its_tenant(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        assert _names(session) == ["a-1", "a-2"]
        assert session.scalar(select(func.count()).select_from(m.Studio)) == 2
        grouped = dict(session.execute(select(m.Studio.kind, func.count()).group_by(m.Studio.kind)).all())
        assert grouped == {"studio": 1, "workshop": 1}
        joined = session.scalars(select(m.Person.name).join(m.Membership, m.Membership.person_id == m.Person.id)).all()
        assert joined == ["host a"]


def test_get_by_id_of_another_tenant_is_none(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["b"])
        b_ids = list(session.scalars(select(m.Studio.id)))
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        assert all(session.get(m.Studio, i) is None for i in b_ids)
        assert session.scalars(select(m.Studio).where(m.Studio.id.in_(b_ids))).all() == []


def test_relationship_loads_stay_in_the_tenant(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        studio = session.scalar(select(m.Studio).where(m.Studio.name == "a-1"))
        session.expire(studio)
        assert [ms.person.name for ms in studio.memberships] == ["host a"]
        session.refresh(studio)
        assert studio.name == "a-1"


def test_update_touches_only_its_tenant(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        session.execute(update(m.Studio).values(county="changed"))
        session.commit()
    with sessions() as session:
        counties = dict(
            session.execute(select(m.Studio.name, m.Studio.county).execution_options(**all_tenants("test"))).all()
        )
    assert counties == {"a-1": "changed", "a-2": "changed", "b-1": None, "b-2": None}


def test_delete_touches_only_its_tenant(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        session.execute(delete(m.Membership))
        session.execute(delete(m.Studio))
        session.commit()
    with sessions() as session:
        names = sorted(session.scalars(select(m.Studio.name).execution_options(**all_tenants("test"))))
    assert names == ["b-1", "b-2"]


def test_insert_is_stamped(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["b"])
        studio = m.Studio(name="new", kind="studio")
        session.add(studio)
        session.commit()
        assert studio.tenant_id == tenants["b"]


def test_insert_for_another_tenant_is_refused(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        session.add(m.Studio(name="smuggled", kind="studio", tenant_id=tenants["b"]))
        with pytest.raises(CrossTenantWrite):
            session.flush()


def test_changing_or_deleting_another_tenants_row_is_refused(sessions, tenants) -> None:
    with sessions() as session:
        other = session.scalars(
            select(m.Studio).where(m.Studio.name == "b-1").execution_options(**all_tenants("test"))
        ).one()
        bind_tenant(session, tenants["a"])
        other.name = "hijacked"
        with pytest.raises(CrossTenantWrite):
            session.flush()
        session.rollback()
    with sessions() as session:
        other = session.scalars(
            select(m.Studio).where(m.Studio.name == "b-2").execution_options(**all_tenants("test"))
        ).one()
        bind_tenant(session, tenants["a"])
        session.delete(other)
        with pytest.raises(CrossTenantWrite):
            session.flush()


def test_moving_a_row_to_another_tenant_is_refused(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        studio = session.scalar(select(m.Studio).where(m.Studio.name == "a-1"))
        studio.tenant_id = tenants["b"]
        with pytest.raises(CrossTenantWrite):
            session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        lambda: select(m.Studio),
        lambda: select(func.count()).select_from(m.Studio),
        lambda: select(m.Tenant.name).join(m.Studio, m.Studio.tenant_id == m.Tenant.id),
        lambda: update(m.Studio).values(name="x"),
        lambda: delete(m.Activity),
    ],
    ids=["select", "count", "join", "update", "delete"],
)
def test_no_tenant_fails_closed(sessions, tenants, statement) -> None:
    with sessions() as session, pytest.raises(TenantNotSet):
        session.execute(statement())


def test_no_tenant_refuses_inserts(sessions, tenants) -> None:
    with sessions() as session:
        session.add(m.Studio(name="orphan", kind="studio"))
        with pytest.raises(TenantNotSet):
            session.flush()


def test_global_tables_need_no_tenant(sessions, tenants) -> None:
    with sessions() as session:
        assert sorted(session.scalars(select(m.Tenant.code))) == ["a", "b"]


def test_cross_tenant_read_is_explicit_and_named(sessions, tenants) -> None:
    with sessions() as session:
        names = sorted(session.scalars(select(m.Studio.name).execution_options(**all_tenants("central comparison"))))
        assert names == ["a-1", "a-2", "b-1", "b-2"]
        with pytest.raises(ValueError):
            all_tenants(" ")
        with pytest.raises(TenancyError):
            session.execute(update(m.Studio).values(name="x").execution_options(**all_tenants("no writes")))


def test_a_session_cannot_change_tenant(sessions, tenants) -> None:
    with sessions() as session:
        bind_tenant(session, tenants["a"])
        with pytest.raises(TenancyError):
            bind_tenant(session, tenants["b"])
        with pytest.raises(TypeError):
            bind_tenant(session, "a")  # type: ignore[arg-type]
