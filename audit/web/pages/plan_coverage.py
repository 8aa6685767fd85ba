"""Coverage (seed 004 Art. 10): completed spot checks per province, for a year and the four
before it, as a table and a bar chart drawn on the server as SVG (no script, no chart library).
The counts are ``plans.coverage.coverage`` — the report ``GET /plans/coverage`` answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import get
from litestar.params import QueryParameter
from litestar.response import Template

from audit.domain.plans import coverage
from audit.settings import get_settings
from audit.web.i18n import N_
from audit.web.nav import NavItem
from audit.web.pages.base import PageController, page_needs

YEARS_SHOWN = 5
Year = Annotated[int | None, QueryParameter(ge=2000, le=2100)]

# Chart geometry in SVG user units; the SVG scales to the width it is given (a phone's too).
LABEL_W, BAR_X, BAR_W, ROW_H, TOP, WIDTH = 112, 116, 220, 16, 8, 380


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: float
    covered: bool

    @property
    def text_y(self) -> float:
        return self.y + ROW_H * 0.7


def bars(provinces: list[dict[str, Any]]) -> tuple[list[Bar], int, int]:
    """One horizontal bar per province (length ∝ completed plans); the chart's height and the
    count the full bar stands for."""
    top = max([p["completed_plans"] for p in provinces] + [1])
    out = [
        Bar(
            label=p["province_name"],
            count=p["completed_plans"],
            y=TOP + i * ROW_H,
            width=round(BAR_W * p["completed_plans"] / top, 1),
            covered=p["covered"],
        )
        for i, p in enumerate(provinces)
    ]
    return out, TOP * 2 + len(provinces) * ROW_H + 12, top


class CoveragePages(PageController):
    path = "/ui/coverage"

    @get("/", guards=[page_needs("coverage.read")])
    async def index(self, year: Year = None) -> Template:
        this_year = dt.datetime.now(get_settings().zone).year
        year = year or this_year
        years = [y for y in range(year - YEARS_SHOWN + 1, year + 1) if y >= 2000]
        reports = await coverage.coverage_years(years)
        report = reports[year]
        chart, height, top = bars(report["provinces"])
        counts = {
            p["province_code"]: {y: 0 for y in years} for p in report["provinces"]
        }  # province → year → completed plans
        for y, r in reports.items():
            for p in r["provinces"]:
                counts[p["province_code"]][y] = p["completed_plans"]
        return Template(
            "plans/coverage.html.j2",
            context={
                "year": year,
                "years": years,
                "choices": list(range(this_year + 1, max(this_year - 10, 2000) - 1, -1)),
                "report": report,
                "counts": counts,
                "covered_per_year": {
                    y: sum(1 for p in r["provinces"] if p["covered"]) for y, r in reports.items()
                },
                "chart": chart,
                "chart_height": height,
                "chart_top": top,
                "geometry": {
                    "label_w": LABEL_W,
                    "bar_x": BAR_X,
                    "bar_w": BAR_W,
                    "row_h": ROW_H,
                    "width": WIDTH,
                },
            },
        )


ROUTES = [CoveragePages]
NAV = [NavItem(N_("Coverage"), "/ui/coverage", "coverage.read", order=41)]
