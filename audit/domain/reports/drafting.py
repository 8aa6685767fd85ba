"""``POST /notices/public-report``: the public service-quality notice drafted from the report's
figures. The draft's ``source`` is its appendix: the figures as computed, every query's SQL and
parameters, the subscriber counts used, and the ids of the runs and complaints counted. Hand
edits before approval go through the notices service, which logs each with before and after."""

from __future__ import annotations

from typing import Any

from audit.context import Actor
from audit.domain.complaints.taxonomy import default_taxonomy
from audit.domain.notices.drafts import create_public_notice_draft
from audit.domain.reports import figures
from audit.domain.reports.periods import parse
from audit.domain.reports.services import public_report, scope_of, window


def _share(rate: dict[str, Any]) -> float | None:
    return rate["rate"]


def notice_row(r: dict[str, Any]) -> dict[str, Any]:
    """One operator's figures as the notice model's row (audit.notices.models.OperatorRow)."""
    answered = r["answer_rate"]
    return {
        "operator": r["operator"],
        "probes": r["probes"],
        "answered": answered["count"],
        "mean_answer_s": r["mean_answer_s"],
        "median_answer_s": r["median_answer_s"],
        "rank": r["rank"],
        "answer_ci_low": answered["ci_low"] if answered["n"] else None,
        "answer_ci_high": answered["ci_high"] if answered["n"] else None,
        "service_level": _share(r["service_level"]),
        "silent_call": _share(r["silent_call"]),
        "greeting": _share(r["greeting"]),
        "chats": r["chats"],
        "first_response": _share(r["first_response"]),
        "chat_items": _share(r["chat_items"]),
        "complaints": r["complaints"],
        "complaints_by_category": r["complaints_by_category"],
        "subscribers": r["subscribers"],
        "complaints_per_million": r["complaints_per_million"],
        "change_answer_rate": r["change"]["answer_rate"],
        "change_per_million": r["change"]["complaints_per_million"],
        "rectification_notices": r["actions"].get("rectification", 0),
        "self_inspection_orders": r["actions"].get("self_inspection", 0),
    }


def categories(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Complaint categories present, in the taxonomy's order (others after), with labels."""
    tax = default_taxonomy()
    seen = {c for r in rows for c in r["complaints_by_category"]}
    ordered = [c for c in tax.codes if c in seen] + sorted(seen - set(tax.codes))
    return {c: (tax.categories[c].zh if c in tax.categories else c) for c in ordered}


async def draft_public_report(
    actor: Actor, period: str | None = None, scope: str | None = None
) -> dict[str, Any]:
    report = await public_report(period, scope)
    _, province, _ = scope_of(report["scope"])
    trace = await figures.trace(window(parse(report["period"]), province))
    content = {
        "period": report["period_label"],
        "scope": report["scope_label"],
        "rows": [notice_row(r) for r in report["operators"]],
        "from_data": True,
        "previous_period": parse(report["previous_period"]).zh(),
        "service_level_s": report["service_level_s"],
        "categories": categories(report["operators"]),
    }
    source = {
        "public_report": {"period": report["period"], "scope": report["scope"]},
        "appendix": {
            "figures": report["operators"],
            "inputs": report["inputs"],
            "trace": {str(k): v for k, v in sorted(trace.items())},
        },
    }
    return await create_public_notice_draft(
        actor, content["period"], content["scope"], content["rows"], source, extra=content
    )
