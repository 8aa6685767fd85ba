"""The regulator's decisions on findings: dispute review (uphold / overturn / adjust, with the
re-score and the corrected notice that supersedes the old one), closing with a written reason,
and the closing letter once every finding of a notice is closed."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from audit import clock
from audit.context import SYSTEM, Actor
from audit.domain.accounts import roles as matrix
from audit.domain.auditlog.services import record
from audit.domain.notices import issuing
from audit.domain.notices.services import approve, create_draft, update_draft, write_tx
from audit.domain.notices.services import load as load_notice
from audit.domain.portal import items, notify, states
from audit.domain.portal.operator_side import get_dispute
from audit.domain.portal.tables import Dispute, FindingItem, Rectification
from audit.errors import DomainError, Forbidden, InvalidTransition

Decision = Literal["uphold", "overturn", "adjust"]
_STATUS = {"uphold": "upheld", "overturn": "overturned", "adjust": "adjusted"}
# drafts the system makes from decided data; a supervisor approves and issues them
DRAFTER = Actor(id=None, name="system (portal)", role="system")


def _require(actor: Actor, what: str) -> None:
    if not matrix.can(actor.role, "portal.decide"):
        raise Forbidden(f"role {actor.role!r} may not {what}")


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("a written reason is required", field=field)
    if len(reason) > 5000 or "\x00" in reason:
        raise DomainError("reason: at most 5000 characters, no NUL", field=field)
    return reason


def corrected_content(
    notice: dict[str, Any], item: dict[str, Any], result: str, note: str, score: str | None
) -> dict[str, Any] | None:
    """The notice's content with the decided finding changed; None when nothing would remain
    of a rectification notice (it is revoked instead)."""
    content = dict(notice["content"])
    if notice["notice_type"] == "rectification":
        findings = []
        for f in content["findings"]:
            if f["item"] == item["title"]:
                if result != "fail":
                    continue  # withdrawn (overturned, or adjusted to not applicable)
                f = {**f, "measured": note or f["measured"]}
            findings.append(f)
        if not findings:
            return None
        content["findings"] = findings
    elif notice["notice_type"] == "findings_report":
        code = item["item_code"]
        rows = []
        for x in content["items"]:
            if x["code"] == code or f"{x['code']} {x['title']}" == item["title"]:
                full = x.get("max_score")
                x = {
                    **x,
                    "result": result,
                    "note": note or x.get("note", ""),
                    "score": None if result == "na" else (full if result == "pass" else 0.0),
                }
            rows.append(x)
        content["items"] = rows
        if score is not None:
            content["total_score"] = float(score)
    return content


async def decide_dispute(
    dispute_id: int,
    actor: Actor,
    decision: Decision,
    reason: str,
    result: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Decide a pending dispute. Overturn (result → pass) and adjust (result → na, or fail with
    a corrected description) amend the inspection's stored answer, re-score it, and issue a
    corrected notice that supersedes the old one; the operator is told either way."""
    _require(actor, "decide disputes")
    reason = _reason(reason)
    dispute = await get_dispute(dispute_id)
    if dispute["status"] != "pending":
        raise InvalidTransition(f"dispute {dispute_id} is already {dispute['status']}", "status")
    item = await items.load(dispute["item_id"])
    if item["recorded_by"] is not None and item["recorded_by"] == actor.id:
        raise Forbidden("the inspector who recorded the finding may not decide its dispute")
    if decision == "overturn":
        result = "pass"
    elif decision == "adjust":
        if result not in ("na", "fail"):
            raise DomainError("adjust sets the result to na or fail", field="result")
        if result == "fail" and not note.strip():
            raise DomainError("adjusting to fail needs the corrected description", field="note")
    else:
        result = None
    status = _STATUS[decision]
    notice = await load_notice(item["notice_id"])
    draft: dict[str, Any] | None = None
    async with write_tx():
        n = (
            await Dispute.update(
                {
                    Dispute.status: status,
                    Dispute.decided_by: actor.id,
                    Dispute.decided_by_name: actor.name,
                    Dispute.decided_at: clock.now(),
                    Dispute.decision_reason: reason,
                    Dispute.adjusted_result: result,
                    Dispute.adjusted_note: note or None,
                }
            )
            .where((Dispute.id == dispute_id) & (Dispute.status == "pending"))
            .returning(Dispute.id)
        )
        if not n:
            raise InvalidTransition(f"dispute {dispute_id} was decided meanwhile", "status")
        changes: dict[Any, Any] = {FindingItem.result: result} if result else {}
        if result == "fail" and note:
            changes[FindingItem.measured] = note
        item = await items.move(
            item["id"], decision, actor, changes, {"dispute_id": dispute_id, "reason": reason}
        )
        score = None
        if result is not None and item["inspection_id"] and item["item_code"]:
            from audit.domain.inspections.amend import amend_submitted_answer

            amended = await amend_submitted_answer(
                item["inspection_id"],
                item["item_code"],
                result,
                f"申辩复核(dispute {dispute_id}):{reason}",
                actor,
            )
            score = amended["score"]
        if result is not None:
            content = corrected_content(notice, item, result, note, score)
            if content is None:
                await issuing.revoke(notice["id"], actor, f"申辩复核撤销全部问题:{reason}")
            else:
                draft = await issuing.create_correction(notice["id"], DRAFTER)
                draft = await update_draft(draft["id"], DRAFTER, content)
                await Dispute.update({Dispute.corrected_notice_id: draft["id"]}).where(
                    Dispute.id == dispute_id
                )
        after = await get_dispute(dispute_id)
        await record(actor, f"dispute.{decision}", "dispute", dispute_id, dispute, after)
    corrected = None
    if draft is not None:
        await approve(draft["id"], actor)
        corrected = await issuing.issue(draft["id"], actor)
    item = await items.load(item["id"])
    async with write_tx():
        await notify.dispute_decided(item, after, corrected)
    return after


async def close_item(
    item_id: int, actor: Actor, reason: str, *, basis: str = "supervisor", action: str = "close"
) -> dict[str, Any]:
    """Close with a written reason (a supervisor's, or the verification's result)."""
    if action == "close":
        _require(actor, "close findings")
    reason = _reason(reason)
    async with write_tx():
        after = await items.move(
            item_id,
            action,
            actor,
            {
                FindingItem.close_reason: reason,
                FindingItem.closed_by: actor.id,
                FindingItem.closed_at: clock.now(),
            },
            {"reason": reason, "basis": basis},
        )
        await Rectification.update({Rectification.status: "accepted"}).where(
            (Rectification.item == item_id) & Rectification.status.is_in(["reported", "verifying"])
        )
        await notify.closed(after, reason)
    return after


def _outcome(item: dict[str, Any], dispute: dict[str, Any] | None) -> tuple[str, str, dt.date]:
    from audit.settings import get_settings

    zone = get_settings().zone
    when = item["closed_at"] or item["updated_at"]
    day = when.astimezone(zone).date()
    if item["state"] == "overturned":
        return "经申辩复核,撤销该问题", "申辩复核", day
    if item["state"] == "adjusted":
        return "经申辩复核,调整为不适用", "申辩复核", day
    v = item.get("verification") or {}
    result = v.get("result") or {}
    if v.get("kind") == "reprobe" and result.get("passed"):
        return (
            "整改完成,复查合格",
            f"暗访复测 {result.get('judged')} 次,合格 {result.get('passed_runs')} 次",
            day,
        )
    if v.get("kind") == "reinspection" and result.get("passed"):
        return "整改完成,复查合格", "现场复查", day
    return "整改完成,予以销号", f"审核整改报告:{item['close_reason'] or ''}", day


async def issue_closing_letter(notice_id: int, actor: Actor) -> dict[str, Any]:
    """整改复查意见书 for a notice whose findings are all closed, drafted from the data by the
    system, approved and issued by ``actor`` (signed like every notice)."""
    _require(actor, "issue closing letters")
    notice = await load_notice(notice_id)
    if notice["status"] not in issuing.LIVE:
        raise InvalidTransition(f"notice {notice_id} is {notice['status']}", field="status")
    found = await items.list_items(notice_id=notice_id)
    if not found:
        raise DomainError(f"notice {notice_id} has no tracked findings", field="notice_id")
    open_items = [i for i in found if not states.resolved(i)]
    if open_items:
        listed = ", ".join(f"{i['position']} ({i['state']})" for i in open_items)
        raise InvalidTransition(f"findings not closed yet: {listed}", field="findings")
    if await existing_closing_letter(notice_id) is not None:
        raise InvalidTransition(f"notice {notice_id} already has a closing letter", "notice_id")
    first = await load_notice(found[0]["first_notice"])
    rows = []
    for item in sorted(found, key=lambda i: i["position"]):
        outcome, basis, day = _outcome(item, None)
        rows.append(
            {
                "item": item["title"],
                "outcome": outcome,
                "closed_on": day.isoformat(),
                "basis": basis,
            }
        )
    content = {
        "notice_ref": first["number"],
        "notice_date": str(first["issue_date"]),
        "findings": rows,
    }
    draft = await create_draft(
        DRAFTER,
        "closing_letter",
        notice["operator_id"],
        content,
        {"closes_notice_id": notice_id, "first_notice_id": first["id"]},
    )
    await approve(draft["id"], actor)
    return await issuing.issue(draft["id"], actor)


async def existing_closing_letter(notice_id: int) -> dict[str, Any] | None:
    from audit.domain.notices.services import list_notices

    for row in await list_notices(SYSTEM, notice_type="closing_letter", limit=1000):
        if (row["source"] or {}).get("closes_notice_id") == notice_id and row[
            "status"
        ] != "revoked":
            return row
    return None
