"""Run in a subprocess by test_fifth_jurisdiction.py: sign in to the scaffolded jurisdiction's demo
tenant and walk the dashboard, a studio, its progress and its assessment (prints one line a page)."""

from __future__ import annotations

import re
import sys

from sqlalchemy import select

from mingshi.core import models as m
from mingshi.core.tenancy import bind_tenant
from mingshi.web import create_app

code = sys.argv[1]
app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True})
client = app.test_client()


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


login = client.get("/login").get_data(as_text=True)
response = client.post(
    "/login", data={"username": f"{code}-admin", "password": "mingshi-demo", "csrf_token": token(login)}
)
assert response.status_code in (302, 303), response.status_code
with app.extensions["mingshi"]["sessions"]() as session:
    tenant = session.scalar(select(m.Tenant).where(m.Tenant.code == code))
    bind_tenant(session, tenant.id)
    studio = session.scalars(select(m.Studio).where(m.Studio.status == "active").order_by(m.Studio.id)).first()
    studio_id = studio.id
    year = studio.cycle_start.year
for path, must in [
    (f"/{code}/", "第五市"),
    (f"/{code}/studios", "工作室"),
    (f"/{code}/studios/{studio_id}", "工作室"),
    (f"/{code}/studios/{studio_id}/progress", f"{code}.activities"),
    (f"/{code}/studios/{studio_id}/assessment?kind=annual&year={year}", "第二条"),
    (f"/{code}/studios/{studio_id}/funds", "第三条"),
]:
    page = client.get(path, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200, (path, page.status_code)
    assert must in text, (path, must)
    print(f"{page.status_code} {path}")
