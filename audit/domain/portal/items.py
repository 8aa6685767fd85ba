"""Finding items: made from an issued notice's findings, moved by the state machine (every
move audit-logged with who and when), read back for the portal and for staff."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from audit import clock
from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.portal import states
from audit.domain.portal.config import get_portal_settings
from audit.domain.portal.tables import FindingItem
from audit.domain.portal.workdays import add_working_days
from audit.errors import InvalidTransition, NotFound

TRACKED_TYPES = ("rectification", "findings_report", "self_inspection")
CHAT_KINDS = ("web_chat", "chat_api")
ON_SITE_KINDS = ("business_hall", "agency_point")

_FIELDS = [c for c in FindingItem._meta.columns if c._meta.name not in ("notice", "operator")]


def _decode_json(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    # JSON columns come back as text on SQLite
    for key in keys:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return _decode_json(row, "reminders", "verification")


async def load(item_id: int) -> dict[str, Any]:
    row = await (
        FindingItem.select(
            *_FIELDS,
            FindingItem.notice.as_alias("notice_id"),
            FindingItem.operator.as_alias("operator_id"),
        )
        .where(FindingItem.id == item_id)
        .first()
    )
    if row is None:
        raise NotFound(f"finding {item_id} not found")
    return _decode(row)


async def list_items(
    *,
    notice_id: int | None = None,
    operator_id: int | None = None,
    states_in: list[str] | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[dict[str, Any]]:
    query = FindingItem.select(
        *_FIELDS,
        FindingItem.notice.as_alias("notice_id"),
        FindingItem.operator.as_alias("operator_id"),
    ).order_by(FindingItem.id)
    if notice_id is not None:
        query = query.where(FindingItem.notice == notice_id)
    if operator_id is not None:
        query = query.where(FindingItem.operator == operator_id)
    if states_in:
        query = query.where(FindingItem.state.is_in(states_in))
    return [_decode(r) for r in await query.limit(limit).offset(offset)]


def snapshot(row: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "state",
        "result",
        "deadline",
        "notice_id",
        "close_reason",
        "followup_notice_id",
        "reminders",
        "verification",
    )
    return {k: row.get(k) for k in keep}


async def move(
    item_id: int,
    action: str,
    actor: Actor,
    changes: dict[Any, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply ``action`` (``states.TRANSITIONS``) with extra column ``changes``; call inside the
    caller's write transaction. Refused (409) when the state does not allow it."""
    before = await load(item_id)
    if not states.allowed(action, before):
        frm, _ = states.TRANSITIONS[action]
        raise InvalidTransition(
            f"finding {item_id} is {before['state']}; {action.replace('_', ' ')} needs "
            f"{' or '.join(frm)}",
            field="state",
        )
    values: dict[Any, Any] = {
        FindingItem.state: states.target(action),
        FindingItem.version: before["version"] + 1,
        FindingItem.updated_at: clock.now(),
        **(changes or {}),
    }
    n = (
        await FindingItem.update(values)
        .where((FindingItem.id == item_id) & (FindingItem.version == before["version"]))
        .returning(FindingItem.id)
    )
    if not n:
        raise InvalidTransition(f"finding {item_id} changed meanwhile; retry", field="state")
    after = await load(item_id)
    await record(
        actor,
        f"finding.{action}",
        "finding_item",
        item_id,
        snapshot(before),
        {**snapshot(after), **(detail or {})},
    )
    return after


async def update_fields(
    item_id: int,
    actor: Actor,
    action: str,
    changes: dict[Any, Any],
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A change that is not a state transition (reminder sent, deadline moved, verification
    facts), still versioned and audit-logged."""
    before = await load(item_id)
    n = (
        await FindingItem.update(
            {
                FindingItem.version: before["version"] + 1,
                FindingItem.updated_at: clock.now(),
                **changes,
            }
        )
        .where((FindingItem.id == item_id) & (FindingItem.version == before["version"]))
        .returning(FindingItem.id)
    )
    if not n:
        raise InvalidTransition(f"finding {item_id} changed meanwhile; retry", field="state")
    after = await load(item_id)
    await record(
        actor,
        f"finding.{action}",
        "finding_item",
        item_id,
        snapshot(before),
        {**snapshot(after), **(detail or {})},
    )
    return after


# ---- dispute window -----------------------------------------------------------------------


def delivered_on(notice: dict[str, Any]) -> dt.date | None:
    """The local date the dispute window counts from: delivery, else issue."""
    from audit.settings import get_settings

    zone = get_settings().zone
    at = notice.get("delivered_at") or notice.get("issued_at")
    if at is None:
        return None
    return at.astimezone(zone).date() if isinstance(at, dt.datetime) else None


def dispute_closes_on(notice: dict[str, Any]) -> dt.date | None:
    start = delivered_on(notice)
    if start is None:
        return None
    return add_working_days(start, get_portal_settings().dispute_working_days)


# ---- making items from a notice ----------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


async def _origin(finding_id: int | None) -> dict[str, Any]:
    """Where a finding came from: inspection, item, venue, who recorded it, probe or not."""
    if finding_id is None:
        return {"origin": "manual"}
    from audit.domain.inspections.tables import Finding, ItemResult

    f = (
        await Finding.select(
            Finding.id,
            Finding.inspection,
            Finding.plan,
            Finding.venue,
            Finding.item_id,
            Finding.checklist_version,
            Finding.inspector,
            Finding.venue.kind.as_alias("venue_kind"),
        )
        .where(Finding.id == finding_id)
        .first()
    )
    if f is None:
        return {"origin": "manual"}
    answer = (
        await ItemResult.select(ItemResult.source)
        .where((ItemResult.inspection == f["inspection"]) & (ItemResult.item_id == f["item_id"]))
        .first()
    )
    probe = answer is not None and answer["source"] == "probe"
    kind = f["venue_kind"]
    return {
        "finding": f["id"],
        "inspection_id": f["inspection"],
        "plan_id": f["plan"],
        "venue_id": f["venue"],
        "checklist_version_id": f["checklist_version"],
        "item_code": f["item_id"],
        "recorded_by": f["inspector"],
        "origin": "probe" if probe else ("on_site" if kind in ON_SITE_KINDS else "manual"),
        "probe_kind": ("chat_script" if kind in CHAT_KINDS else "voice_silent_call")
        if probe
        else None,
    }


async def _finding_id_for_code(inspection_id: Any, code: str) -> int | None:
    if inspection_id is None:
        return None
    from audit.domain.inspections.tables import Finding

    row = (
        await Finding.select(Finding.id)
        .where((Finding.inspection == int(inspection_id)) & (Finding.item_id == code))
        .first()
    )
    return int(row["id"]) if row else None


async def _specs(notice: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per finding the notice prints, with its deadline and origin."""
    content, source = notice["content"] or {}, notice["source"] or {}
    ntype = notice["notice_type"]
    default_deadline = _date(content.get("deadline"))
    out: list[dict[str, Any]] = []
    if ntype == "rectification":
        ids = list(source.get("finding_ids") or [])
        for i, f in enumerate(content.get("findings", [])):
            finding_id = int(ids[i]) if i < len(ids) else None
            out.append(
                {
                    "title": f["item"],
                    "severity": f.get("severity", ""),
                    "measured": f.get("measured", ""),
                    "rule": f.get("rule", ""),
                    "required": f.get("rectification", ""),
                    "deadline": _date(f.get("deadline")) or default_deadline,
                    **await _origin(finding_id),
                }
            )
    elif ntype == "findings_report":
        for x in content.get("items", []):
            if x.get("result") != "fail":
                continue
            finding_id = await _finding_id_for_code(source.get("inspection_id"), x["code"])
            out.append(
                {
                    "title": f"{x['code']} {x['title']}",
                    "severity": "",
                    "measured": x.get("note", ""),
                    "rule": "",
                    "required": "",
                    "deadline": default_deadline,
                    **await _origin(finding_id),
                }
            )
    elif ntype == "self_inspection":
        out.append(
            {
                "title": f"{content.get('region', '')}:{content.get('issue', '')}",
                "severity": "",
                "measured": f"用户申诉 {len(content.get('complaints', []))} 件",
                "rule": "《电信服务质量监督抽查规定》第十条",
                "required": "开展自查并报送自查报告",
                "deadline": default_deadline,
                "origin": "order",
            }
        )
    return out


async def create_for_notice(notice: dict[str, Any], actor: Actor) -> list[int]:
    """Items for every finding of a newly issued notice (inside the issuing transaction).

    A corrected notice (``supersedes``) carries the items of the notice it replaces: they move
    to it, take its text and deadlines where the finding is still printed, and findings new in
    the correction become new items."""
    if notice["notice_type"] not in TRACKED_TYPES or notice["operator_id"] is None:
        return []
    specs = await _specs(notice)
    now = clock.now()
    carried: list[dict[str, Any]] = []
    if notice.get("supersedes"):
        carried = await list_items(notice_id=notice["supersedes"])
    by_title = {s["title"]: s for s in specs}
    created: list[int] = []
    for item in carried:
        spec = by_title.pop(item["title"], None)
        changes: dict[Any, Any] = {FindingItem.notice: notice["id"]}
        if spec is not None:
            changes |= {
                FindingItem.measured: spec["measured"],
                FindingItem.required: spec["required"],
                FindingItem.deadline: spec["deadline"],
            }
        await update_fields(
            item["id"], actor, "carry", changes, {"from_notice": notice["supersedes"]}
        )
    first = carried[0]["first_notice"] if carried else notice["id"]
    position = max((i["position"] for i in carried), default=0)
    for spec in specs:
        if spec["title"] not in by_title:
            continue  # carried
        position += 1
        rows = await FindingItem.insert(
            FindingItem(
                notice=notice["id"],
                first_notice=first,
                operator=notice["operator_id"],
                position=position,
                notice_type=notice["notice_type"],
                state="open",
                created_at=now,
                updated_at=now,
                **spec,
            )
        ).returning(FindingItem.id)
        item_id = rows[0]["id"]
        created.append(item_id)
        await record(
            actor,
            "finding.create",
            "finding_item",
            item_id,
            None,
            {
                "notice_id": notice["id"],
                "position": position,
                "state": "open",
                "deadline": spec["deadline"],
                "origin": spec["origin"],
            },
        )
    return created


async def withdraw_all(notice: dict[str, Any], actor: Actor) -> None:
    """A revoked notice ends its unresolved items (closed, with the revocation as reason)."""
    reason = f"文书已撤销 / notice revoked: {notice.get('revoke_reason') or ''}".strip()
    for item in await list_items(notice_id=notice["id"]):
        if not states.resolved(item):
            await move(
                item["id"],
                "withdraw",
                actor,
                {
                    FindingItem.close_reason: reason,
                    FindingItem.closed_at: clock.now(),
                    FindingItem.closed_by: actor.id,
                },
                {"reason": reason},
            )
