"""The audit log: filter by entity, actor, action and date (in the regulator's zone); every
entry shown as a sentence ("supervisor approved plan #3") beside its code."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import get
from litestar.params import QueryParameter
from litestar.response import Template

from audit.api import Offset
from audit.domain.accounts import services as accounts
from audit.domain.auditlog import services
from audit.settings import get_settings
from audit.web.i18n import N_, gettext
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, page_needs

PAGE_SIZE = 50

ENTITIES = {
    "audit_plan": N_("plan"),
    "plan": N_("plan"),
    "inspection": N_("inspection"),
    "evidence": N_("evidence"),
    "notice": N_("notice"),
    "operator": N_("operator"),
    "venue": N_("venue"),
    "user": N_("user"),
    "api_token": N_("API token"),
    "token": N_("API token"),
    "checklist_version": N_("checklist version"),
    "complaint": N_("complaint"),
    "complaint_trigger": N_("complaint trigger"),
    "complaint_import": N_("complaint import"),
    "probe_run": N_("probe run"),
    "campaign": N_("campaign"),
}
VERBS = {
    "create": N_("created"),
    "create_many": N_("created several"),
    "update": N_("changed"),
    "edit": N_("edited"),
    "delete": N_("deleted"),
    "approve": N_("approved"),
    "activate": N_("activated"),
    "complete": N_("completed"),
    "publish": N_("published"),
    "open": N_("opened"),
    "answer": N_("recorded an answer in"),
    "submit": N_("submitted"),
    "upload": N_("uploaded"),
    "seal": N_("sealed"),
    "evidence_attach": N_("attached evidence to"),
    "evidence_detach": N_("detached evidence from"),
    "draft": N_("drafted"),
    "issue": N_("issued"),
    "supersede": N_("superseded"),
    "revoke": N_("revoked"),
    "reopen": N_("reopened"),
    "deliver": N_("delivered"),
    "acknowledge": N_("acknowledged"),
    "status": N_("changed the status of"),
    "escalate": N_("escalated"),
    "withdraw": N_("withdrew"),
    "followup": N_("followed up"),
    "import": N_("imported"),
    "dial": N_("dialled"),
    "error": N_("recorded an error in"),
    "finish": N_("finished"),
    "score_transcript": N_("scored the transcript of"),
    "start": N_("started"),
    "pause": N_("paused"),
    "resume": N_("resumed"),
    "cancel": N_("cancelled"),
    "login": N_("logged in"),
    "logout": N_("logged out"),
}
Short = Annotated[str | None, QueryParameter(max_length=100)]
DateParam = Annotated[dt.date | None, QueryParameter()]


def describe(entry: dict[str, Any]) -> str:
    """The entry as a sentence in the request's language (falls back to the code)."""
    domain, _, verb = entry["action"].partition(".")
    if entry["action"] in ("session.login", "session.logout"):
        return gettext("%(actor)s %(verb)s", actor=entry["actor"], verb=gettext(VERBS[verb]))
    noun = ENTITIES.get(entry["entity"]) or ENTITIES.get(domain)
    if verb not in VERBS or noun is None:
        return gettext("%(actor)s: %(action)s", actor=entry["actor"], action=entry["action"])
    return gettext(
        "%(actor)s %(verb)s %(entity)s #%(id)s",
        actor=entry["actor"],
        verb=gettext(VERBS[verb]),
        entity=gettext(noun),
        id=entry["entity_id"],
    )


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=get_settings().zone)


class AuditLogPages(PageController):
    path = "/ui/audit-log"

    @get("/", guards=[page_needs("auditlog.read")])
    async def index(
        self,
        entity: Short = None,
        entity_id: Short = None,
        action: Short = None,
        actor_id: Annotated[int | None, QueryParameter(gt=0, le=2_147_483_647)] = None,
        since: DateParam = None,
        until: DateParam = None,
        offset: Offset = 0,
    ) -> Template:
        rows = await services.entries(
            entity or None,
            entity_id or None,
            actor_id,
            action or None,
            PAGE_SIZE + 1,  # one more tells whether there is a next page, without counting
            offset,
            since=_local_midnight(since) if since else None,
            until=_local_midnight(until + dt.timedelta(days=1)) if until else None,
        )
        filters = {
            "entity": entity or "",
            "entity_id": entity_id or "",
            "action": action or "",
            "actor_id": actor_id,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        }
        query = urlencode({k: v for k, v in filters.items() if v})
        return Template(
            "auditlog/list.html.j2",
            context={
                "entries": [{**r, "sentence": describe(r)} for r in rows[:PAGE_SIZE]],
                "has_next": len(rows) > PAGE_SIZE,
                "offset": offset,
                "page_size": PAGE_SIZE,
                "filters": filters,
                "base": "/ui/audit-log?" + (query + "&" if query else ""),
                "users": await accounts.list_users(),
                "entities": sorted(
                    {(k, gettext(v)) for k, v in ENTITIES.items() if k not in ("plan", "token")},
                    key=lambda e: e[1],
                ),
            },
        )


ROUTES = [AuditLogPages]
NAV = [NavItem(N_("Audit log"), "/ui/audit-log", "auditlog.read", order=90)]
