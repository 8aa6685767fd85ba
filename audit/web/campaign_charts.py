"""The charts of a campaign's statistics page, from the statistics API's dictionary: answer
rate with its 95 % interval per venue and per week, the time-to-answer histogram, service
level and silent-call / greeting compliance, and every checklist item of a chat campaign."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from audit.web.charts.bars import RateRow, histogram, interval_chart
from audit.web.i18n import gettext


def _row(label: str, rate: dict[str, Any]) -> RateRow:
    return RateRow(label, rate["rate"], rate["ci_low"], rate["ci_high"], rate["count"], rate["n"])


def _bin_label(b: dict[str, Any]) -> str:
    low = f"{b['from_s']:g}"
    return f"≥{low}" if b["to_s"] is None else f"{low}–{b['to_s']:g}"


def charts(stats: dict[str, Any]) -> dict[str, Markup]:
    no_data = gettext("no observation")
    c = stats["campaign"]
    out = {
        "venues": interval_chart(
            [_row(t.get("venue_name") or t["number"] or str(t["target_id"]), t["answer_rate"])
             for t in stats["targets"]],
            title=gettext("Answer rate per venue"),
            desc=gettext("Answered calls out of attempts, with the 95 percent Wilson interval."),
            key="ch-venues", no_data=no_data,
        ),
        "weeks": interval_chart(
            [_row(w["week"], w["answer_rate"]) for w in stats["weeks"]],
            title=gettext("Answer rate per week"),
            desc=gettext("Answered calls out of attempts per ISO week, with the 95 percent interval."),
            key="ch-weeks", no_data=no_data,
        ),
        "histogram": histogram(
            [(_bin_label(b), int(b["count"])) for b in stats["answer_histogram"]],
            title=gettext("Time to answer (seconds)"),
            desc=gettext("Answered calls per time-to-answer band."),
            key="ch-answer",
        ),
        "compliance": interval_chart(
            [
                _row(gettext("Answer rate"), c["answer_rate"]),
                _row(gettext("Service level (≤ %(s)s s)", s=f"{stats['service_level_threshold_s']:g}"),
                     c["service_level"]),
                _row(gettext("Silent-call compliance"), c["silent_call_compliance"]),
                _row(gettext("Greeting compliance"), c["greeting_compliance"]),
            ],
            title=gettext("Campaign figures"),
            desc=gettext("Each figure with its 95 percent Wilson interval and its count out of n."),
            key="ch-figures", no_data=no_data,
        ),
    }  # fmt: skip
    if stats.get("items"):
        out["items"] = interval_chart(
            [_row(i["item_id"], i["compliance"]) for i in stats["items"]],
            title=gettext("Checklist items"),
            desc=gettext(
                "Chats that passed each item out of those judged, with the 95 percent interval."
            ),
            key="ch-items",
            no_data=no_data,
        )
    return out
