"""The reminder pass over every synthetic tenant, after giving every studio's host an account.

    mingshi db upgrade && mingshi synth --studios 800 --years 2 --activities 12   # DATABASE_URL set
    python bench/remind_pass.py "$DATABASE_URL"

Prints, per tenant, the wall time, the statements and the distinct actors asked, for a first pass
(writes the reminders) and a second (the daily run: nothing new).
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import event, select

from mingshi.core import models as m
from mingshi.core.db import make_engine, make_session_factory
from mingshi.core.plugins import Jurisdictions
from mingshi.core.services import accounts, tenants
from mingshi.core.services import notifications as service
from mingshi.core.synth import SYNTH_TODAY
from mingshi.core.tenancy import bind_tenant

url = sys.argv[1]
engine = make_engine(url)
factory = make_session_factory(engine)
jur = Jurisdictions.load()
with factory() as s:
    ids = list(s.scalars(select(m.Tenant.id).order_by(m.Tenant.id)))
for tid in ids:
    with factory() as s:
        bind_tenant(s, tid)
        tenant = s.get(m.Tenant, tid)
        have = set(s.scalars(select(m.User.person_id).where(m.User.person_id.is_not(None))))
        for pid, sid in s.execute(
            select(m.Membership.person_id, m.Membership.studio_id).where(
                m.Membership.role == "host", m.Membership.left.is_(None)
            )
        ).all():
            if pid in have:
                continue
            have.add(pid)
            accounts.create_user(
                s,
                tenants.OPERATOR,
                username=f"h{tid}-{pid}",
                display_name=f"h{pid}",
                tenant=tenant,
                roles=[("host", sid)],
                person_id=pid,
                password_hash="x",
            )
        s.commit()
count = [0]
event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
for run in ("first", "again"):
    for tid in ids:
        with factory() as s:
            bind_tenant(s, tid)
            code = s.get(m.Tenant, tid).code
            count[0] = 0
            t = time.perf_counter()
            r = service.remind_tenant(s, jur, SYNTH_TODAY)
            s.commit()
            print(
                f"{run} {code}: {time.perf_counter() - t:.2f} s, {count[0]} statements,"
                f" {r.actors} actors, {r.created} created"
            )
