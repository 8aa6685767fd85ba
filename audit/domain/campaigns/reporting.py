"""Statistics of a campaign from its stored runs (see ``stats`` and docs/reports.md for the
definitions): the campaign, per venue, per local time band and per ISO week; the time to
answer as a histogram; and for a chat campaign every checklist item's compliance (each
chat's scored items, so a taboo or a late reply is counted, not only the greeting)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from audit.context import Actor
from audit.domain.campaigns.services import campaign_results
from audit.domain.campaigns.stats import (
    Rate,
    RunResult,
    Summary,
    TimeBands,
    by_target,
    by_time_band,
    group_summaries,
    summarize,
)
from audit.domain.campaigns.tables import CampaignRun

# Time-to-answer histogram bins (seconds; the last is open): 5 s is one ring, 15 s three.
ANSWER_BINS = (0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0)


def _as_dict(summary: Summary) -> dict[str, Any]:
    return asdict(summary)


async def run_results(campaign_id: int) -> list[RunResult]:
    rows = (
        await CampaignRun.select(
            CampaignRun.target,
            CampaignRun.scheduled_at,
            CampaignRun.started_at,
            CampaignRun.outcome,
            CampaignRun.answer_seconds,
            CampaignRun.rang,
            CampaignRun.silent_call_verdict,
            CampaignRun.greeting_verdict,
        )
        .where(
            (CampaignRun.campaign == campaign_id)
            & CampaignRun.status.is_in(["done", "failed"])
            & CampaignRun.outcome.is_not_null()
        )
        .order_by(CampaignRun.scheduled_at)
        .run()
    )
    return [
        RunResult(
            target=str(r["target"]),
            campaign=str(campaign_id),
            started_at=r["started_at"] or r["scheduled_at"],
            outcome=r["outcome"],
            answer_seconds=r["answer_seconds"],
            rang=None if r["rang"] is None else r["rang"] == "true",
            silent_call_verdict=r["silent_call_verdict"],
            greeting_verdict=r["greeting_verdict"],
        )
        for r in rows
    ]


def week_of(at: datetime, timezone: str) -> str:
    """The ISO week of ``at`` in the campaign's zone, e.g. ``2026-W11``."""
    year, week, _ = at.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def answer_histogram(results: list[RunResult]) -> list[dict[str, Any]]:
    """Answered runs per time-to-answer bin ``[from_s, to_s)`` (``to_s`` None: and above)."""
    times = [r.answer_seconds for r in results if r.outcome == "answered"]
    out = []
    for i, low in enumerate(ANSWER_BINS):
        high = ANSWER_BINS[i + 1] if i + 1 < len(ANSWER_BINS) else None
        n = sum(1 for t in times if t is not None and t >= low and (high is None or t < high))
        out.append({"from_s": low, "to_s": high, "count": n})
    return out


async def item_compliance(campaign_id: int) -> list[dict[str, Any]]:
    """Per checklist item, over the campaign's scored chats: passes / (passes + fails) with
    the Wilson interval; N/A and unjudged items are counted apart, never in the rate."""
    from audit.domain.probing.tables import ProbeRun

    ids = [
        int(r["probe_run_id"])
        for r in await CampaignRun.select(CampaignRun.probe_run_id).where(
            (CampaignRun.campaign == campaign_id)
            & CampaignRun.status.is_in(["done", "failed"])
            & CampaignRun.probe_run_id.is_not_null()
        )
    ]
    counts: dict[str, dict[str, int]] = {}
    for start in range(0, len(ids), 500):
        rows = await ProbeRun.select(ProbeRun.observations).where(
            ProbeRun.id.is_in(ids[start : start + 500]) & (ProbeRun.status == "completed")
        )
        for row in rows:
            obs = row["observations"]
            obs = json.loads(obs) if isinstance(obs, str) else obs or {}
            for item in obs.get("items") or []:
                c = counts.setdefault(str(item["id"]), {"pass": 0, "fail": 0, "na": 0, "other": 0})
                key = item.get("result")
                c[key if key in ("pass", "fail", "na") else "other"] += 1
    return [
        {
            "item_id": item_id,
            "passed": c["pass"],
            "failed": c["fail"],
            "not_applicable": c["na"],
            "not_judged": c["other"],
            "compliance": asdict(Rate.of(c["pass"], c["pass"] + c["fail"])),
        }
        for item_id, c in sorted(counts.items())
    ]


async def campaign_statistics(
    campaign_id: int, actor: Actor, band_edges: tuple[int, ...] | None = None
) -> dict[str, Any]:
    campaign = await campaign_results(campaign_id, actor)
    results = await run_results(campaign_id)
    threshold = float(campaign["service_level_s"])
    tz = str(campaign["spec"].get("timezone") or "Asia/Shanghai")
    bands = TimeBands(edges=band_edges, timezone=tz) if band_edges else TimeBands(timezone=tz)
    names = {str(t["id"]): t for t in campaign["targets"]}
    per_target = by_target(results, service_level_threshold_s=threshold)
    weeks = group_summaries(
        results, lambda r: week_of(r.started_at, tz), service_level_threshold_s=threshold
    )
    venue_names = await _venue_names([t["venue"] for t in campaign["targets"]])
    return {
        "campaign_id": campaign_id,
        "probe_kind": campaign["probe_kind"],
        "service_level_threshold_s": threshold,
        "campaign": _as_dict(summarize(results, service_level_threshold_s=threshold)),
        "targets": [
            {
                "target_id": int(key),
                "venue_id": names[key]["venue"] if key in names else None,
                "venue_name": venue_names.get(names[key]["venue"]) if key in names else None,
                "number": names[key]["number"] if key in names else None,
                **_as_dict(summary),
            }
            for key, summary in per_target.items()
        ],
        "time_bands": {
            band: _as_dict(summary)
            for band, summary in by_time_band(
                results, bands, service_level_threshold_s=threshold
            ).items()
        },
        "weeks": [{"week": week, **_as_dict(summary)} for week, summary in weeks.items()],
        "answer_histogram": answer_histogram(results),
        "items": await item_compliance(campaign_id)
        if campaign["probe_kind"] == "chat_script"
        else [],
    }


async def _venue_names(venue_ids: list[int]) -> dict[int, str]:
    from audit.domain.operators.tables import Venue

    if not venue_ids:
        return {}
    rows = await Venue.select(Venue.id, Venue.name).where(Venue.id.is_in(venue_ids))
    return {int(r["id"]): str(r["name"]) for r in rows}
