"""Coverage (seed 004 Art. 10): every province should see at least one completed spot check
a year. A plan counts for a province when it was completed (or later published) in that year,
in the regulator's time zone, and a venue of its drawn sample lies in that province.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.domain.operators import regions
from audit.domain.plans.tables import AuditPlan, PlanVenue
from audit.settings import get_settings

# Provincial communications administrations exist for the 31 mainland provinces; Taiwan, Hong
# Kong and Macau are outside this supervision regime.
OUTSIDE_REGIME = frozenset({"710000", "810000", "820000"})


def provinces() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for record in regions.load_regions():
        if record.province_code not in OUTSIDE_REGIME:
            seen.setdefault(record.province_code, record.province_name)
    return sorted(seen.items())


def province_of(region_code: str | None) -> str | None:
    if not region_code or len(region_code) != 6 or not region_code.isdigit():
        return None
    return region_code[:2] + "0000"


async def coverage(year: int, only: list[str] | None = None) -> dict[str, Any]:
    zone = get_settings().zone
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    plans = await AuditPlan.select(AuditPlan.id).where(
        AuditPlan.status.is_in(["completed", "published"])
        & (AuditPlan.completed_at >= start)
        & (AuditPlan.completed_at < end)
    )
    plan_ids = [p["id"] for p in plans]
    by_province: dict[str, set[int]] = {}
    unlocated = 0
    if plan_ids:
        rows = await PlanVenue.select(
            PlanVenue.plan, PlanVenue.venue.region_code.as_alias("region_code")
        ).where(PlanVenue.plan.is_in(plan_ids) & (PlanVenue.in_sample == True))  # noqa: E712
        for row in rows:
            code = province_of(row["region_code"])
            if code is None:
                unlocated += 1
                continue
            by_province.setdefault(code, set()).add(row["plan"])
    report = []
    for code, name in provinces():
        if only and code not in only:
            continue
        ids = sorted(by_province.get(code, set()))
        report.append(
            {
                "province_code": code,
                "province_name": name,
                "completed_plans": len(ids),
                "plan_ids": ids,
                "covered": bool(ids),
            }
        )
    return {
        "year": year,
        "provinces": report,
        "gaps": [p["province_name"] for p in report if not p["covered"]],
        "venues_without_region": unlocated,
    }
