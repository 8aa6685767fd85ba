"""The role matrix: ONE table of what each role may do.

Route guards (:func:`audit.domain.accounts.guards.require`), page guards
(:func:`audit.web.pages.base.page_for`), the navigation, services that check a role, the
table in docs/security.md (``python -m audit.domain.accounts.roles`` prints it) and the
access-matrix test all read this table; a test fails when the docs and this table differ.

Record scope is not here: which operator's records, which plans (assignment, covert
confidentiality) is decided by the services (``audit/domain/plans/access.py``,
``audit/domain/plans/confidentiality.py``).

Decisions: *admin* may do everything staff may do (user administration included), so admin
also approves plans and notices; four eyes still applies. *analyst* is read-only: no write at
all (complaints, CSV imports, subscriber counts included); analysts may run the pure scoring
endpoints, which store nothing. Subscriber counts (the denominators of the public report) are
kept by admins and supervisors (``reports.subscribers``). Only *operator* users act for an
operator (acknowledge, rectify, dispute).

Use: API routes ``guards=[require("plans.approve")]`` (``audit/domain/accounts/guards.py``),
pages ``guards=[page_needs("plans.manage")]``, navigation ``NavItem(label, href, permission)``,
services ``roles.can(actor.role, "notices.approve")``.
"""

from __future__ import annotations

ROLES = ("admin", "supervisor", "inspector", "analyst", "operator")
STAFF = ("admin", "supervisor", "inspector", "analyst")  # the regulator's people
ALL = ROLES

_A, _S, _I, _N, _O = ROLES
_PLANNERS = (_A, _S)
_FIELD = (_A, _S, _I)  # who works in the field: records, probes, drafts

# permission → (what it allows, roles). Order = the order of the docs table.
MATRIX: dict[str, tuple[str, tuple[str, ...]]] = {
    "users.read": ("read user accounts", (_A, _S)),
    "users.manage": ("create users, change roles, passwords, deactivate", (_A,)),
    "account.own": ("own session and personal API tokens", ALL),
    "registry.read": ("read operators, venues, regions (operator users: their own)", ALL),
    "registry.write": ("create and edit operators and venues", _PLANNERS),
    "checklists.read": ("read checklist versions", STAFF),
    "checklists.write": ("import and edit checklists", _PLANNERS),
    "plans.read": ("read plans (scope: assignment, confidentiality)", ALL),
    "plans.manage": ("create, edit, activate, complete, publish plans", _PLANNERS),
    "plans.approve": ("approve plans (four eyes)", _PLANNERS),
    "coverage.read": ("read coverage and sampling views", STAFF),
    "inspections.read": ("read inspections and findings (scope as plans)", ALL),
    "inspections.record": ("open inspections, record answers and evidence, submit", _FIELD),
    "inspections.confirm": ("confirm a second inspector's submission", (_I,)),
    "evidence.read": ("read and download evidence (scope as plans)", STAFF),
    "evidence.seal": ("seal evidence (scope as plans)", _FIELD),
    "probes.read": ("read probe runs (scope as plans)", ALL),
    "probes.run": ("start probe calls and chats, upload recordings, reconcile", _FIELD),
    "probes.analyse": ("score a transcript or a recording (computes, stores nothing)", STAFF),
    "campaigns.read": ("read campaigns (operator users: no schedule, seed or caller IDs)", ALL),
    "campaigns.manage": ("create, schedule, pause, cancel campaigns", _FIELD),
    "campaigns.runs": ("read a campaign's planned runs (times, caller IDs)", STAFF),
    "complaints.read": ("read complaints and triggers", STAFF),
    "complaints.write": ("add complaints, import CSV (fires triggers)", _FIELD),
    "complaints.decide": ("decide on triggers", _PLANNERS),
    "notices.read": ("read notices (operator users: their own issued ones)", ALL),
    "notices.draft": ("draft and edit notices, record delivery", _FIELD),
    "notices.approve": ("approve, issue, revoke, correct notices (four eyes)", _PLANNERS),
    "confidentiality.override": ("address a covert plan's findings before publication", _PLANNERS),
    "portal.read": ("read notices, findings, rectifications (scope: own operator)", ALL),
    "portal.respond": ("the operator portal: acknowledge, rectify, dispute, webhooks", (_O,)),
    "portal.decide": ("verify and close findings, decide disputes, resend", _PLANNERS),
    "portal.staff": ("staff views of findings, disputes, deliveries", STAFF),
    "webhooks.read": ("read an operator's webhooks", (_A, _S, _O)),
    "webhooks.manage": ("register and disable an operator's webhooks", (_A, _O)),
    "auditlog.read": ("read the audit log", (_A, _S)),
    "reports.read": ("read the public report's figures and subscriber counts", STAFF),
    "reports.subscribers": ("set and import subscriber counts", _PLANNERS),
    "workbench": ("the staff web pages and a plan's lifecycle actions (scope as the API)", STAFF),
    "dashboard": ("the dashboard", ALL),
}


def roles_for(permission: str) -> tuple[str, ...]:
    try:
        return MATRIX[permission][1]
    except KeyError:
        raise KeyError(
            f"unknown permission {permission!r} (audit/domain/accounts/roles.py)"
        ) from None


def can(role: str, permission: str) -> bool:
    """May ``role`` do ``permission``? The system actor (CLI, jobs) may do everything."""
    return role == "system" or role in roles_for(permission)


def markdown() -> str:
    """The matrix as the Markdown table in docs/security.md."""
    head = "| permission | what | " + " | ".join(ROLES) + " |"
    rule = "|---|---|" + "---|" * len(ROLES)
    rows = [
        f"| `{name}` | {what} | "
        + " | ".join("✓" if role in roles else "" for role in ROLES)
        + " |"
        for name, (what, roles) in MATRIX.items()
    ]
    return "\n".join([head, rule, *rows])


DOC_BEGIN = (
    "<!-- role matrix: generated by `python -m audit.domain.accounts.roles`; do not edit -->"
)
DOC_END = "<!-- end of role matrix -->"


def docs_section() -> str:
    return f"{DOC_BEGIN}\n{markdown()}\n{DOC_END}"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import re
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "docs" / "security.md"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(DOC_BEGIN) + r".*?" + re.escape(DOC_END), re.S)
    if not pattern.search(text):
        sys.exit(f"{path}: no role matrix markers")
    path.write_text(pattern.sub(lambda _: docs_section(), text), encoding="utf-8")
    print(f"wrote the role matrix to {path}")
