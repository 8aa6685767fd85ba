"""Drafts made from other domains' data: the hooks other helpers call.

* ``create_rectification_draft(inspection_id, actor)`` — findings of a submitted inspection
  (``audit.domain.inspections``); rectification text and deadline are left for the editor,
  so the draft lists them as missing until filled (issue 8, "Bad input and faults").
* ``create_self_inspection_draft(trigger, actor)`` — a complaint trigger dict as
  ``audit.domain.complaints`` returns it (seed 004 Art. 10).
* ``create_public_notice_draft(actor, period, scope, rows)`` — per-operator statistics.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from audit.context import Actor
from audit.domain.notices.services import create_draft
from audit.domain.plans.confidentiality import check_sees_plans
from audit.errors import DomainError, NotFound
from audit.notices import measured
from audit.notices.layout import cn_date
from audit.notices.models import NoticeType
from audit.settings import get_settings
from checklists.citations import cite_for


def _json(value: Any) -> Any:
    # JSON columns come back as text on SQLite
    return json.loads(value) if isinstance(value, str) else value


def _rule_text(source: Any) -> str:
    """A checklist item's legal basis as printed: its human citation (``source.cite``).

    Never the seed file or section (those are ours); when no citation is known the rule stays
    blank, so the draft lists it as missing and the editor writes it.
    """
    return cite_for(_json(source)) or ""


def _zone_date(when: dt.datetime | None) -> str:
    """A stored UTC instant as the calendar date in the regulator's zone (as printed)."""
    if when is None:
        return ""
    if when.tzinfo is None:  # stored instants are UTC
        when = when.replace(tzinfo=dt.UTC)
    return cn_date(when.astimezone(get_settings().zone).date())


def _measured(note: str, measures: Any) -> str:
    parts = [note.strip()] if note and note.strip() else []
    return ";".join(parts + measured.describe(measures))


async def create_rectification_draft(
    inspection_id: int,
    actor: Actor,
    *,
    deadline: dt.date | None = None,
    override: str | None = None,
) -> dict[str, Any]:
    """Draft a rectification notice from the findings of inspection ``inspection_id``."""
    from audit.domain.inspections.tables import Finding, Inspection, ItemResult

    insp = (
        await Inspection.select(
            Inspection.id,
            Inspection.plan.as_alias("plan_id"),
            Inspection.status,
            Inspection.started_at,
            Inspection.submitted_at,
        )
        .where(Inspection.id == inspection_id)
        .first()
        .run()
    )
    if insp is None:
        raise NotFound(f"inspection {inspection_id} not found")
    await check_sees_plans(actor, [insp["plan_id"]], "inspection_id")  # before any detail
    findings = (
        await Finding.select().where(Finding.inspection == inspection_id).order_by(Finding.id).run()
    )
    if not findings:
        raise DomainError(f"inspection {inspection_id} has no findings", field="inspection_id")
    measures = {
        r["item_id"]: _json(r["measures"])
        for r in await ItemResult.select(ItemResult.item_id, ItemResult.measures)
        .where(ItemResult.inspection == inspection_id)
        .run()
    }
    when = insp["submitted_at"] or insp["started_at"]
    content: dict[str, Any] = {
        "inspection_ref": f"PLAN-{insp['plan_id']} / INS-{inspection_id}",
        "inspected_on": _zone_date(when),
        "findings": [
            {
                "item": f["text_zh"],  # words, not the item code
                "severity": f["severity"],
                "evidence_refs": [f"EV-{e}" for e in (_json(f["evidence_ids"]) or [])],
                "measured": _measured(f["note"], measures.get(f["item_id"])) or "见证据材料",
                "rule": _rule_text(f["source"]),
                "rectification": "",  # the inspector writes what is required
            }
            for f in findings
        ],
    }
    if deadline is not None:
        content["deadline"] = deadline.isoformat()
    source = {
        "inspection_id": inspection_id,
        "plan_id": insp["plan_id"],
        "finding_ids": [f["id"] for f in findings],
    }
    return await create_draft(
        actor,
        NoticeType.rectification,
        findings[0]["operator"],
        content,
        source,
        override=override,
        source_field="inspection_id",
    )


async def create_self_inspection_draft(
    trigger: dict[str, Any], actor: Actor, *, deadline: dt.date | None = None
) -> dict[str, Any]:
    """Draft a self-inspection order from a complaint trigger (complaints domain shape)."""
    from audit.domain.complaints.tables import Complaint

    ids = [int(i) for i in trigger.get("complaint_ids") or []]
    rows = (
        await Complaint.select(Complaint.external_id, Complaint.received_on)
        .where(Complaint._meta.primary_key.is_in(ids))
        .order_by(Complaint.received_on)
        .run()
        if ids
        else []
    )
    content: dict[str, Any] = {
        "trigger_ref": f"TRG-{trigger['id']}",
        "region": _region_label(trigger),
        "issue": _issue_label(str(trigger.get("issue") or "")),
        "complaints": [
            {"id": r["external_id"], "date": r["received_on"].isoformat()} for r in rows
        ],
    }
    if deadline is not None:
        content["deadline"] = deadline.isoformat()
    source = {"trigger_id": trigger["id"], "complaint_ids": ids}
    return await create_draft(
        actor, NoticeType.self_inspection, int(trigger["operator"]), content, source
    )


def _region_label(trigger: dict[str, Any]) -> str:
    key = str(trigger.get("region_key") or "")
    try:
        from audit.domain.operators import regions

        found = regions.lookup(key)
    except (ImportError, ValueError):
        found = None
    if found is not None:
        return f"{found.name}(行政区划代码 {found.code})"
    return str(trigger.get("region_given") or key)


def _issue_label(code: str) -> str:
    try:
        from audit.domain.complaints.taxonomy import default_taxonomy

        cat = default_taxonomy().categories.get(code)
    except (ImportError, ValueError):
        cat = None
    return cat.zh if cat is not None else code


async def create_public_notice_draft(
    actor: Actor,
    period: str,
    scope: str,
    rows: list[dict[str, Any]],
    source: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Draft a public service-quality notice; rows: operator, probes, answered,
    mean_answer_s, compliant, score (campaign statistics) — or the public report's figures
    (``extra``: the report's other content fields, audit.domain.reports.drafting)."""
    content = {**(extra or {}), "period": period, "scope": scope, "rows": rows}
    return await create_draft(actor, NoticeType.public_notice, None, content, source or {})


async def create_findings_report_draft(
    inspection_id: int, actor: Actor, *, override: str | None = None
) -> dict[str, Any]:
    """Draft a findings report: every item's result and score, compliance per section, and
    answer statistics when the items carry probe measures (answered / answer_seconds)."""
    from audit.domain.inspections.tables import Inspection, ItemResult
    from audit.domain.plans.tables import AuditPlan, ChecklistVersion

    insp = (
        await Inspection.select(
            Inspection.plan.as_alias("plan_id"),
            Inspection.checklist_version.as_alias("cv"),
            Inspection.status,
            Inspection.score,
            Inspection.started_at,
            Inspection.submitted_at,
        )
        .where(Inspection._meta.primary_key == inspection_id)
        .first()
        .run()
    )
    if insp is None:
        raise NotFound(f"inspection {inspection_id} not found")
    await check_sees_plans(actor, [insp["plan_id"]], "inspection_id")  # before any detail
    if insp["status"] != "submitted":
        raise DomainError(f"inspection {inspection_id} is not submitted", field="inspection_id")
    plan = (
        await AuditPlan.select().where(AuditPlan._meta.primary_key == insp["plan_id"]).first().run()
    )
    cv = (
        await ChecklistVersion.select(ChecklistVersion.content)
        .where(ChecklistVersion._meta.primary_key == insp["cv"])
        .first()
        .run()
    )
    answers = {
        r["item_id"]: r
        for r in await ItemResult.select(
            ItemResult.item_id, ItemResult.result, ItemResult.note, ItemResult.measures
        )
        .where(ItemResult.inspection == inspection_id)
        .run()
    }
    items: list[dict[str, Any]] = []
    compliance: list[dict[str, Any]] = []
    answered = total_calls = 0
    seconds: list[float] = []
    for section in (_json(cv["content"]) if cv else {}).get("sections", []):
        passed = counted = 0
        for item in section.get("items", []):
            a = answers.get(item["id"], {})
            result = a.get("result") or "na"
            full = float(item.get("deduction") or 0)
            score = None if result == "na" else (full if result == "pass" else 0.0)
            items.append(
                {
                    "code": item["id"],
                    "title": item["text"]["zh"],
                    "basis": _rule_text(item.get("source")),
                    "result": result,
                    "score": score,
                    "max_score": full,
                    "note": a.get("note") or "",
                }
            )
            if result != "na":
                counted += 1
                passed += result == "pass"
            m = _json(a.get("measures")) or {}
            if isinstance(m, dict) and "answered" in m:
                total_calls += 1
                answered += bool(m["answered"])
                if isinstance(m.get("answer_seconds"), int | float):
                    seconds.append(float(m["answer_seconds"]))
        if counted:
            compliance.append({"label": section["title"]["zh"], "passed": passed, "total": counted})
    when = insp["submitted_at"] or insp["started_at"]
    content: dict[str, Any] = {
        "plan_ref": f"PLAN-{insp['plan_id']}",
        "period": _zone_date(when),
        "method": "暗访" if plan and plan.get("method") == "covert" else "明查",
        "items": items,
        "compliance": compliance,
        "answer_seconds": seconds,
    }
    if insp["score"] is not None:
        content["total_score"] = float(insp["score"])
    if total_calls:
        content["answer_rates"] = [{"label": "拨测接通", "passed": answered, "total": total_calls}]
    operator_id = plan["operator"] if plan else None
    source = {"inspection_id": inspection_id, "plan_id": insp["plan_id"]}
    return await create_draft(
        actor,
        NoticeType.findings_report,
        operator_id,
        content,
        source,
        override=override,
        source_field="inspection_id",
    )
