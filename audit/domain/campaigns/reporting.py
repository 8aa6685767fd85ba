"""Statistics of a campaign from its stored runs (see ``stats`` for the definitions)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from audit.context import Actor
from audit.domain.campaigns.services import get_campaign
from audit.domain.campaigns.stats import (
    RunResult,
    Summary,
    TimeBands,
    by_target,
    by_time_band,
    summarize,
)
from audit.domain.campaigns.tables import CampaignRun


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


async def campaign_statistics(
    campaign_id: int, actor: Actor, band_edges: tuple[int, ...] | None = None
) -> dict[str, Any]:
    campaign = await get_campaign(campaign_id, actor)
    results = await run_results(campaign_id)
    threshold = float(campaign["service_level_s"])
    tz = str(campaign["spec"].get("timezone") or "Asia/Shanghai")
    bands = TimeBands(edges=band_edges, timezone=tz) if band_edges else TimeBands(timezone=tz)
    names = {str(t["id"]): t for t in campaign["targets"]}
    per_target = by_target(results, service_level_threshold_s=threshold)
    return {
        "campaign_id": campaign_id,
        "service_level_threshold_s": threshold,
        "campaign": _as_dict(summarize(results, service_level_threshold_s=threshold)),
        "targets": [
            {
                "target_id": int(key),
                "venue_id": names[key]["venue"] if key in names else None,
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
    }
