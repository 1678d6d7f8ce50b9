"""The cross-tenant opt-in is for sessions bound to no tenant, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import TenancyError, all_tenants, bind_tenant


def test_a_tenant_session_cannot_read_across_tenants(sessions) -> None:
    for code in ("a", "b"):
        with sessions() as session:
            tenant = m.Tenant(code=code, name=code, jurisdiction="x")
            session.add(tenant)
            session.flush()
            bind_tenant(session, tenant.id)
            session.add(m.School(name=f"{code} school", rural=False))
            session.commit()
    with sessions() as session:
        names = sorted(session.scalars(select(m.School.name).execution_options(**all_tenants("test"))))
        assert names == ["a school", "b school"]
        bind_tenant(session, session.scalar(select(m.Tenant.id).where(m.Tenant.code == "a")))
        with pytest.raises(TenancyError, match="cannot read across tenants"):
            session.scalars(select(m.School.name).execution_options(**all_tenants("test")))
        assert list(session.scalars(select(m.School.name))) == ["a school"]
