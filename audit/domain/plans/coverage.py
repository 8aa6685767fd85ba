"""Coverage (seed 004 Art. 10): every province should see at least one completed spot check
a year. A plan counts for a province when it was completed (or later published) in that year,
in the regulator's time zone, and a venue of its drawn sample lies in that province.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit.domain.operators import regions
from audit.domain.plans.tables import PlanVenue
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


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # stored in UTC


async def coverage(year: int, only: list[str] | None = None) -> dict[str, Any]:
    return (await coverage_years([year], only))[year]


async def coverage_years(
    years: list[int], only: list[str] | None = None
) -> dict[int, dict[str, Any]]:
    """The report of :func:`coverage` for each of ``years``, from one pass over the plans
    completed between the first and the last (the coverage page shows five years)."""
    zone = get_settings().zone
    start = dt.datetime(min(years), 1, 1, tzinfo=zone)
    end = dt.datetime(max(years) + 1, 1, 1, tzinfo=zone)
    # one joined query: the sampled venues of the plans completed in those years (no list
    # of thousands of plan ids sent back to the database)
    rows = await PlanVenue.select(
        PlanVenue.plan,
        PlanVenue.plan.completed_at.as_alias("completed_at"),
        PlanVenue.venue.region_code.as_alias("region_code"),
    ).where(
        PlanVenue.plan.status.is_in(["completed", "published"])
        & (PlanVenue.plan.completed_at >= start)
        & (PlanVenue.plan.completed_at < end)
        & (PlanVenue.in_sample == True)  # noqa: E712
    )
    by_province: dict[tuple[int, str], set[int]] = {}
    unlocated = dict.fromkeys(years, 0)
    for row in rows:
        year = _aware(row["completed_at"]).astimezone(zone).year
        code = province_of(row["region_code"])
        if code is None:
            unlocated[year] = unlocated.get(year, 0) + 1
            continue
        by_province.setdefault((year, code), set()).add(row["plan"])
    return {year: _report(year, by_province, unlocated.get(year, 0), only) for year in years}


def _report(
    year: int, by_province: dict[tuple[int, str], set[int]], unlocated: int, only: list[str] | None
) -> dict[str, Any]:
    report = []
    for code, name in provinces():
        if only and code not in only:
            continue
        ids = sorted(by_province.get((year, code), set()))
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
