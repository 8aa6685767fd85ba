"""The role matrix (``audit/domain/accounts/roles.py:MATRIX``) is the one table of what each role
may do (issue 16 item 8):

- every route of the app is public (listed here) or guarded by exactly one permission of the
  table — an API route by ``require``, a page by ``page_needs`` — never by a list of roles;
- a representative request per permission, as every role, is let through the guard exactly
  when the table says so (403 naming the permission otherwise; 401 / the login anonymously);
- analysts are read-only: the writes they could make before (a complaint, a CSV import that
  fires triggers and drafts plans, subscriber counts) are refused and change nothing;
- admins approve plans (four eyes still applies);
- docs/security.md carries the table as the code prints it.

Record scope (which operator's records, 404 for operator users) is tested in
``test_access_matrix.py`` and the domains' own tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from audit.domain.accounts import roles
from tests.conftest import CAST_ROLES

ROOT = Path(__file__).resolve().parents[3]
WHO = {"admin": "admin", "supervisor": "supervisor", "inspector": "inspector1",
       "analyst": "analyst", "operator": "op_a"}  # fmt: skip
NO = 999_999  # an id that does not exist: allowed callers get past the guard and find nothing

# (method, path) of the routes anyone may call; everything else needs one permission
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/static/{name:path}"),
    ("POST", "/language"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/public/notices"),
    ("GET", "/public/notices/{notice_id:int}/pdf"),
    ("POST", "/auth/login"),
    ("GET", "/notices/verify/{token:str}"),
    ("GET", "/verify/{token:str}"),
    ("POST", "/notices/verify"),
    # provider callbacks: authenticated by their signature, not by a user
    ("POST", "/webhooks/twilio/status"),
    ("POST", "/webhooks/twilio/transcription"),
    ("POST", "/webhooks/twilio/sms/status"),
    ("POST", "/webhooks/twilio/sms/inbound"),
    ("POST", "/webhooks/chat/{run_id:int}"),
}
PUBLIC_PREFIXES = ("/schema",)  # the OpenAPI document and its viewers

# permission -> one API request (method, path, JSON body) that its guard decides
API: dict[str, tuple[str, str, Any]] = {
    "users.read": ("get", "/users", None),
    "users.manage": ("patch", f"/users/{NO}", {"display_name": "x"}),
    "account.own": ("get", "/auth/me", None),
    "registry.read": ("get", "/regions/110000", None),
    "registry.write": ("patch", f"/operators/{NO}", {"contacts": []}),
    "checklists.read": ("get", f"/checklists/versions/{NO}", None),
    "checklists.write": ("post", "/checklists", {}),
    "plans.read": ("get", f"/plans/{NO}", None),
    "plans.manage": ("patch", f"/plans/{NO}", {"name": "x"}),
    "plans.approve": ("post", f"/plans/{NO}/approve", None),
    "coverage.read": ("get", "/plans/coverage", None),
    "inspections.read": ("get", f"/inspections/{NO}", None),
    "inspections.record": ("post", f"/inspections/{NO}/submit", None),
    "inspections.confirm": ("post", f"/inspections/{NO}/confirm", None),
    "evidence.read": ("get", f"/evidence/{NO}", None),
    "evidence.seal": ("post", f"/evidence/{NO}/seal", None),
    "probes.read": ("get", f"/probe-runs/{NO}", None),
    "probes.run": ("post", f"/probe-runs/{NO}/reconcile", None),
    "probes.analyse": ("post", "/probe-analysis/greeting", {}),
    "campaigns.read": ("get", f"/campaigns/{NO}", None),
    "campaigns.manage": ("post", f"/campaigns/{NO}/transitions", {"action": "pause"}),
    "campaigns.runs": ("get", f"/campaigns/{NO}/runs", None),
    "complaints.read": ("get", f"/complaints/triggers/{NO}", None),
    "complaints.write": ("post", "/complaints", {}),
    "complaints.decide": ("post", f"/complaints/triggers/{NO}/status", {}),
    "notices.read": ("get", f"/notices/{NO}", None),
    "notices.draft": ("post", f"/notices/{NO}/deliver", None),
    "notices.approve": ("post", f"/notices/{NO}/approve", None),
    "portal.read": ("get", f"/findings/{NO}", None),
    "portal.respond": ("post", f"/notices/{NO}/acknowledge", None),
    "portal.decide": ("post", f"/findings/{NO}/close", {}),
    "portal.staff": ("get", "/disputes", None),
    "webhooks.read": ("get", f"/operators/{NO}/webhooks", None),
    "webhooks.manage": ("post", f"/webhooks/{NO}/disable", None),
    "auditlog.read": ("get", "/audit-log", None),
    "reports.read": ("get", "/subscriber-counts", None),
    "reports.subscribers": ("post", "/subscriber-counts", {}),
    "workbench": ("get", f"/plans/{NO}/actions", None),
}
# permission -> one page (GET) whose guard decides; allowed roles see it (200)
PAGES: dict[str, str] = {
    "dashboard": "/",
    "workbench": "/ui/plans",
    "registry.write": "/ui/operators/new",
    "plans.manage": "/ui/plans/new",
    "checklists.read": "/ui/checklists",
    "checklists.write": "/ui/checklists/import",
    "coverage.read": "/ui/coverage",
    "complaints.read": "/ui/complaints",
    "complaints.write": "/ui/complaints/import",
    "campaigns.manage": "/ui/campaigns/new",
    "probes.run": "/ui/probe-runs/recordings/new",
    "portal.staff": "/ui/findings",
    "portal.respond": "/ui/portal",
    "auditlog.read": "/ui/audit-log",
}
# permissions no route guards: a service asks roles.can() for them
SERVICE_ONLY = {"confidentiality.override"}


def _handlers(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path, handler) of every route of the app (OPTIONS answered by Litestar)."""
    out = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                out.append((method, route.path, handler))
    return out


def _guards(handler: Any) -> list[Any]:
    """Every guard that applies (app, router, controller, handler), unwrapped."""
    return [getattr(g, "func", g) for g in handler.resolve_guards()]


def _public(method: str, path: str) -> bool:
    return (method, path) in PUBLIC or path.startswith(PUBLIC_PREFIXES)


async def test_every_route_is_public_or_guarded_by_one_permission(app: Any) -> None:
    problems = []
    seen_public = set()
    for method, path, handler in _handlers(app):
        guards = _guards(handler)
        if _public(method, path):
            if (method, path) in PUBLIC:
                seen_public.add((method, path))
            if guards:
                problems.append(f"{method} {path}: listed as public but guarded")
            continue
        permissions = [getattr(g, "permission", None) for g in guards]
        factory = "page_needs" if handler.opt.get("page") else "require"
        if len(guards) != 1 or permissions[0] not in roles.MATRIX:
            problems.append(f"{method} {path}: guards {guards!r}, want one {factory}(permission)")
        elif not guards[0].__name__.startswith(factory):
            problems.append(f"{method} {path}: guarded by {guards[0].__name__}, want {factory}")
    assert not problems, "\n".join(problems)
    assert seen_public == PUBLIC, f"public routes that no longer exist: {PUBLIC - seen_public}"


async def test_every_permission_is_used_and_has_a_request_here(app: Any) -> None:
    used = {
        getattr(g, "permission", None) for _, _, handler in _handlers(app) for g in _guards(handler)
    }
    assert set(roles.MATRIX) - used == SERVICE_ONLY, "permissions no route guards"
    assert used - {None} <= set(API) | set(PAGES), "a permission without a request in this file"
    # the representative request really is guarded by its permission
    paths = {
        (m.lower(), re.sub(r"\{[^}:]+:int\}", str(NO), re.sub(r"\{code:str\}", "110000", p))): h
        for m, p, h in _handlers(app)
    }
    for permission, (method, path, _) in API.items():
        handler = paths[(method, path)]
        assert [g.permission for g in _guards(handler)] == [permission], path


@pytest.mark.parametrize("role", [*roles.ROLES, "anonymous"])
async def test_each_role_gets_past_exactly_the_guards_the_matrix_gives_it(
    client: Any, cast: Any, role: str
) -> None:
    headers = {} if role == "anonymous" else cast.headers(WHO[role])
    failures = []
    for permission, (method, path, body) in API.items():
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        r = await getattr(client, method)(path, **kwargs)
        refused_here = r.status_code == 403 and f"permission {permission!r}" in r.text
        if role == "anonymous":
            ok = r.status_code == 401
        elif role in roles.roles_for(permission):
            ok = r.status_code not in (401, 500) and not refused_here
        else:
            ok = refused_here
        if not ok:
            failures.append(
                f"{permission}: {method.upper()} {path} → {r.status_code} {r.text[:100]}"
            )
    for permission, path in PAGES.items():
        r = await client.get(path, headers=headers, follow_redirects=False)
        if role == "anonymous":
            ok = r.status_code == 303 and r.headers["location"].startswith("/login")
        elif role in roles.roles_for(permission):
            ok = r.status_code == 200
        else:  # operator users never learn that a staff page exists
            ok = r.status_code == (404 if role == "operator" else 403)
        if not ok:
            failures.append(f"page {permission}: GET {path} → {r.status_code}")
    assert not failures, "\n".join(failures)


COMPLAINT = {
    "external_id": "W1",
    "operator": "甲通信有限公司",
    "region": "320100",
    "issue": "billing",
    "received_at": "2026-03-02",
    "channel": "web",
    "summary": "多扣费",
}
CSV = "external_id,operator,region,issue,received_at,channel,summary\n" + "".join(
    f"C{i},甲通信有限公司,320100,billing,2026-03-0{i},web,多扣费{i}\n" for i in range(1, 5)
)


async def test_analysts_cannot_write_complaints_imports_or_subscriber_counts(
    client: Any, cast: Any
) -> None:
    """Before: 201/200 for an analyst — and the import fired a trigger that drafts plans."""
    from audit.domain.complaints.tables import Complaint
    from audit.domain.reports.tables import SubscriberCount

    analyst = cast.headers("analyst")
    r = await client.post("/complaints", json=COMPLAINT, headers=analyst)
    assert r.status_code == 403 and "complaints.write" in r.json()["detail"]
    csv_headers = {**analyst, "Content-Type": "text/csv"}
    r = await client.post("/complaints/import", content=CSV.encode(), headers=csv_headers)
    assert r.status_code == 403 and "complaints.write" in r.json()["detail"]
    counts = "operator,period,subscribers\n甲通信有限公司,2026Q1,1000\n".encode()
    r = await client.post("/subscriber-counts/import", content=counts, headers=csv_headers)
    assert r.status_code == 403 and "reports.subscribers" in r.json()["detail"]
    body = {"operator": cast.operator_a["name"], "period": "2026Q1", "subscribers": 1000}
    r = await client.post("/subscriber-counts", json=body, headers=analyst)
    assert r.status_code == 403
    # the web form too (session cookie, CSRF token and all)
    from tests.web import form_login, post_form

    await form_login(client, "analyst")
    assert (await client.get("/ui/complaints/import")).status_code == 403
    r = await post_form(client, "/ui/complaints/import", {}, follow_redirects=False)
    assert r.status_code == 403
    page = await client.get("/ui/complaints")
    assert page.status_code == 200 and "/ui/complaints/import" not in page.text
    assert await Complaint.count() == 0 and await SubscriberCount.count() == 0

    # those who may write still do
    inspector = cast.headers("inspector1")
    assert (await client.post("/complaints", json=COMPLAINT, headers=inspector)).status_code == 201
    r = await client.post(
        "/complaints/import",
        content=CSV.encode(),
        headers={**inspector, "Content-Type": "text/csv"},
    )
    assert r.status_code == 200 and r.json()["imported"] == 4, r.text
    r = await client.post("/subscriber-counts", json=body, headers=cast.headers("supervisor"))
    assert r.status_code == 200, r.text


async def test_admins_approve_plans_but_not_their_own(client: Any, cast: Any) -> None:
    """Before: 403 for every admin ("only a supervisor may approve")."""
    from tests.integration.plans.world import build_world

    world = await build_world(cast)
    sup, admin = cast.headers("supervisor"), cast.headers("admin")
    theirs = (await client.post("/plans", json=world.plan_body(), headers=sup)).json()["id"]
    own = (await client.post("/plans", json=world.plan_body(), headers=admin)).json()["id"]
    r = await client.post(f"/plans/{theirs}/approve", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    r = await client.post(f"/plans/{own}/approve", headers=admin)
    assert r.status_code == 403 and r.json()["field"] == "four_eyes"  # four eyes still holds
    r = await client.post(f"/plans/{own}/approve", headers=cast.headers("inspector1"))
    assert r.status_code == 403 and "plans.approve" in r.json()["detail"]


def test_the_docs_table_is_the_matrix() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    begin, end = text.find(roles.DOC_BEGIN), text.find(roles.DOC_END)
    assert begin >= 0 and end > begin, "docs/security.md has no role matrix markers"
    assert text[begin : end + len(roles.DOC_END)] == roles.docs_section(), (
        "docs/security.md differs from audit/domain/accounts/roles.py: "
        "run `python -m audit.domain.accounts.roles`"
    )


def test_role_names_are_defined_once() -> None:
    from audit.domain.accounts.schemas import Role
    from audit.web.templating import ROLE_LABELS

    assert get_args(Role) == roles.ROLES
    assert tuple(ROLE_LABELS) == roles.ROLES
    assert set(CAST_ROLES.values()) == set(roles.ROLES)
    assert set(roles.STAFF) == set(roles.ROLES) - {"operator"}
    for permission, (what, allowed) in roles.MATRIX.items():
        assert what and allowed and set(allowed) <= set(roles.ROLES), permission
