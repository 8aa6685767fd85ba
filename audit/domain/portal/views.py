"""Shaping findings and notices for the portal: the operator's view (what the notice printed,
states, dates, their own files, a history in words) and the staff view (everything)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit import clock
from audit.context import Actor
from audit.domain.accounts.tables import User
from audit.domain.auditlog.services import entries
from audit.domain.evidence.services import get_many
from audit.domain.notices.services import list_notices, may_read
from audit.domain.notices.services import load as load_notice
from audit.domain.portal import items, operator_side, states
from audit.domain.portal.config import get_portal_settings
from audit.errors import NotFound
from audit.notices.models import TITLES, NoticeType

# action -> (zh, en); None: staff only (verification facts stay covert)
LABELS: dict[str, tuple[str, str] | None] = {
    "finding.create": ("问题登记", "Finding recorded"),
    "finding.carry": ("转入更正文书", "Carried to the corrected notice"),
    "finding.report_rectification": ("报告整改情况", "Rectification reported"),
    "finding.start_verification": ("开始复查", "Verification started"),
    "finding.verification_passed": ("复查合格,销号", "Verified and closed"),
    "finding.verification_failed": ("复查不合格,重新打开", "Verification failed, reopened"),
    "finding.verification_inconclusive": ("复查未得出结论,待再次复查", "Verification inconclusive"),
    "finding.dispute": ("提出申辩", "Dispute filed"),
    "finding.uphold": ("申辩未获支持,维持原结论", "Dispute decided: upheld"),
    "finding.overturn": ("申辩成立,撤销该问题", "Dispute decided: overturned"),
    "finding.adjust": ("申辩复核,调整结论", "Dispute decided: adjusted"),
    "finding.mark_overdue": ("逾期未整改", "Overdue"),
    "finding.reminder": ("整改期限提醒", "Deadline reminder sent"),
    "finding.close": ("销号", "Closed"),
    "finding.withdraw": ("文书撤销,问题终结", "Ended with the revoked notice"),
    "finding.verification_proposed": None,
    "finding.verification_result": None,
}
REGULATOR = "监管部门 / Regulator"
PUBLIC_NOTES = ("reason",)  # detail keys an operator may read (decision and close reasons)


async def _operator_user_ids(ids: set[int]) -> set[int]:
    if not ids:
        return set()
    rows = await User.select(User.id).where(User.id.is_in(list(ids)) & (User.role == "operator"))
    return {r["id"] for r in rows}


async def history(item_id: int, staff: bool) -> list[dict[str, Any]]:
    rows = list(reversed(await entries(entity="finding_item", entity_id=str(item_id), limit=1000)))
    operators = await _operator_user_ids({r["actor_id"] for r in rows if r["actor_id"]})
    out = []
    for r in rows:
        label = LABELS.get(r["action"], (r["action"], r["action"]))
        if label is None and not staff:
            continue
        after = r["after"] or {}
        zh, en = label or (r["action"], r["action"])
        by = r["actor"] if staff or r["actor_id"] in operators else REGULATOR
        note = next((str(after[k]) for k in PUBLIC_NOTES if after.get(k)), None)
        out.append({"at": r["at"], "action": r["action"], "label": f"{zh} / {en}", "by": by,
                    "state": after.get("state"), "note": note})  # fmt: skip
    return out


def _files(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: r[k] for k in ("id", "kind", "media_type", "size", "sha256", "original_name",
                               "uploaded_at")} for r in rows]  # fmt: skip


async def _rectifications(item_id: int) -> list[dict[str, Any]]:
    out = []
    for r in await operator_side.rectifications_of(item_id):
        out.append({
            "id": r["id"], "finding_id": item_id, "description": r["description"],
            "done_on": r["done_on"], "status": r["status"], "late": bool(r["late"]),
            "reported_by": r["reported_by_name"], "reported_at": r["reported_at"],
            "amended_at": r["amended_at"], "revisions": len(r["revisions"]),
            "files": _files(await get_many(list(r["evidence_ids"]))),
        })  # fmt: skip
    return out


async def _disputes(item_id: int) -> list[dict[str, Any]]:
    out = []
    for d in await operator_side.disputes_of(item_id):
        out.append({
            "id": d["id"], "finding_id": item_id, "reason": d["reason"],
            "proposed_outcome": d["proposed_outcome"], "status": d["status"],
            "filed_by": d["filed_by_name"], "filed_at": d["filed_at"],
            "window_closes_on": d["window_closes_on"], "decided_at": d["decided_at"],
            "decision_reason": d["decision_reason"], "adjusted_result": d["adjusted_result"],
            "corrected_notice_id": d["corrected_notice_id"],
            "files": _files(await get_many(list(d["evidence_ids"]))),
        })  # fmt: skip
    return out


def _today() -> dt.date:
    from audit.settings import get_settings

    return clock.today(get_settings().zone)


async def finding_view(item: dict[str, Any], actor: Actor, *, full: bool = True,
                       notice: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    notice = notice or await load_notice(item["notice_id"])
    closes = items.dispute_closes_on(notice)
    today = _today()
    disputes = await _disputes(item["id"]) if full else []
    out: dict[str, Any] = {
        **{k: item[k] for k in ("id", "notice_id", "position", "title", "severity", "measured",
                                "rule", "required", "result", "state", "deadline",
                                "close_reason", "closed_at")},
        "dispute_closes_on": closes,
        "can_dispute": states.allowed("dispute", item) and (closes is None or today <= closes)
        and not (full and disputes) and actor.is_operator,
        "can_report": states.allowed("report_rectification", item) and actor.is_operator,
    }  # fmt: skip
    if full:
        out |= {
            "history": await history(item["id"], staff=not actor.is_operator),
            "rectifications": await _rectifications(item["id"]),
            "disputes": disputes,
        }
    if not actor.is_operator:
        out["inspection_finding_id"] = item["finding"]
        out |= {k: item[k] for k in ("operator_id", "origin", "probe_kind", "inspection_id",
                                     "plan_id", "venue_id", "item_code", "recorded_by",
                                     "overdue_at", "escalated_at", "followup_notice_id",
                                     "verification")}  # fmt: skip
    return out


async def get_finding(item_id: int, actor: Actor) -> dict[str, Any]:
    """One finding for ``actor``: operator users only their own operator's (else 404)."""
    item = await items.load(item_id)
    if actor.is_operator and (
        item["operator_id"] != actor.operator_id
        or not await may_read(actor, await load_notice(item["notice_id"]))
    ):
        raise NotFound(f"finding {item_id} not found")
    return await finding_view(item, actor)


async def list_findings(actor: Actor, *, notice_id: int | None = None, state: str | None = None,
                        operator_id: int | None = None, limit: int = 200,
                        offset: int = 0) -> list[dict[str, Any]]:  # fmt: skip
    if actor.is_operator:
        operator_id = actor.operator_id
    rows = await items.list_items(notice_id=notice_id, operator_id=operator_id,
                                  states_in=[state] if state else None, limit=limit,
                                  offset=offset)  # fmt: skip
    notices: dict[int, dict[str, Any]] = {}
    out = []
    for item in rows:
        notice = notices.get(item["notice_id"]) or await load_notice(item["notice_id"])
        notices[item["notice_id"]] = notice
        if actor.is_operator and not await may_read(actor, notice):
            continue
        out.append(await finding_view(item, actor, full=False, notice=notice))
    return out


def _category(notice: dict[str, Any], found: list[dict[str, Any]]) -> str:
    owing = [i for i in found if not states.resolved(i)]
    if found and not owing:
        return "closed"
    if any(i["state"] == "overdue" for i in owing):
        return "overdue"
    soon = _today() + dt.timedelta(days=max(get_portal_settings().reminders, default=3))
    if any(i["deadline"] and i["deadline"] <= soon and states.owes_rectification(i) for i in owing):
        return "due_soon"
    if notice["acknowledged_at"] is None:
        return "new"
    return "open"


def _notice_out(notice: dict[str, Any], found: list[dict[str, Any]]) -> dict[str, Any]:
    from audit.settings import get_settings

    base = get_settings().public_base_url.rstrip("/")
    deadline = (notice["content"] or {}).get("deadline")
    return {
        "id": notice["id"], "number": notice["number"], "notice_type": notice["notice_type"],
        "title": TITLES[NoticeType(notice["notice_type"])], "status": notice["status"],
        "issue_date": notice["issue_date"],
        "deadline": dt.date.fromisoformat(deadline) if isinstance(deadline, str) else deadline,
        "category": _category(notice, found), "findings": len(found),
        "open_findings": sum(1 for i in found if not states.resolved(i)),
        "acknowledged_at": notice["acknowledged_at"], "pdf_url": f"/notices/{notice['id']}/pdf",
        "verify_url": f"{base}/verify/{notice['token']}", "supersedes": notice["supersedes"],
        "superseded_by": notice["superseded_by"],
    }  # fmt: skip


async def inbox(actor: Actor, operator_id: int | None = None,
                include_ended: bool = False) -> list[dict[str, Any]]:  # fmt: skip
    """Notices addressed to the operator, newest first, each with its findings' summary."""
    if actor.is_operator:
        operator_id = actor.operator_id
    rows = await list_notices(actor, operator_id=operator_id, limit=1000)
    out = []
    for notice in rows:
        if notice["status"] not in ("issued", "delivered", "acknowledged", "superseded",
                                    "revoked"):  # fmt: skip
            continue
        if not include_ended and notice["status"] in ("superseded", "revoked"):
            continue
        found = await items.list_items(notice_id=notice["id"])
        out.append(_notice_out(notice, found))
    return out


async def notice_detail(notice_id: int, actor: Actor) -> dict[str, Any]:
    notice = await load_notice(notice_id)
    if not await may_read(actor, notice) or notice["status"] in ("draft", "approved"):
        raise NotFound(f"notice {notice_id} not found")
    found = await items.list_items(notice_id=notice_id)
    from audit.domain.delivery.outbox import viewed

    await viewed(notice_id, actor)  # the operator's read receipt
    return {
        **_notice_out(notice, found),
        "dispute_closes_on": items.dispute_closes_on(notice),
        "items": [await finding_view(i, actor, full=False, notice=notice) for i in found],
    }


async def list_disputes(status: str) -> list[dict[str, Any]]:
    from audit.domain.portal.tables import Dispute

    query = Dispute.select(Dispute.id, Dispute.item).order_by(Dispute.id)
    if status != "all":
        query = query.where(Dispute.status == status)
    out = []
    for row in await query:
        out += [d for d in await _disputes(row["item"]) if d["id"] == row["id"]]
    return out
