"""A campaign's statistics as CSV and XLSX (openpyxl), from the very dictionary the
statistics API returns, so a spreadsheet's figures are the API's figures.

One table per part: the campaign, its venues, ISO weeks, local time bands, the time-to-answer
histogram and (chat campaigns) every checklist item. Rates are fractions (0.8, not 80 %)
with their Wilson 95 % bounds beside them; an empty cell is "no observation".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

SUMMARY_COLUMNS = (
    ("runs", "runs"),
    ("attempts", "attempts"),
    ("probe_failures", "probe_failures"),
    ("answered", "answered"),
    ("busy", "busy"),
    ("no_answer", "no_answer"),
    ("answer_rate", "answer_rate.rate"),
    ("answer_rate_ci_low", "answer_rate.ci_low"),
    ("answer_rate_ci_high", "answer_rate.ci_high"),
    ("service_level", "service_level.rate"),
    ("service_level_ci_low", "service_level.ci_low"),
    ("service_level_ci_high", "service_level.ci_high"),
    ("mean_answer_s", "mean_answer_s"),
    ("p90_answer_s", "p90_answer_s"),
    ("abandonment", "abandonment.rate"),
    ("silent_call_compliance", "silent_call_compliance.rate"),
    ("silent_call_n", "silent_call_compliance.n"),
    ("silent_call_inconclusive", "silent_call_inconclusive"),
    ("greeting_compliance", "greeting_compliance.rate"),
    ("greeting_n", "greeting_compliance.n"),
)


def _get(row: dict[str, Any], dotted: str) -> Any:
    value: Any = row
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def tables(stats: dict[str, Any]) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """(name, header, rows) of each part of the statistics."""
    head = [name for name, _ in SUMMARY_COLUMNS]
    yield (
        "campaign",
        ["campaign_id", *head],
        [[stats["campaign_id"], *(_get(stats["campaign"], p) for _, p in SUMMARY_COLUMNS)]],
    )
    yield "venues", ["target_id", "venue_id", "venue_name", "number", *head], [
        [t["target_id"], t["venue_id"], t.get("venue_name"), t["number"],
         *(_get(t, p) for _, p in SUMMARY_COLUMNS)]
        for t in stats["targets"]
    ]  # fmt: skip
    yield (
        "weeks",
        ["week", *head],
        [[w["week"], *(_get(w, p) for _, p in SUMMARY_COLUMNS)] for w in stats["weeks"]],
    )
    yield (
        "time_bands",
        ["band", *head],
        [
            [band, *(_get(s, p) for _, p in SUMMARY_COLUMNS)]
            for band, s in stats["time_bands"].items()
        ],
    )
    yield (
        "answer_times",
        ["from_s", "to_s", "answered"],
        [[b["from_s"], b["to_s"], b["count"]] for b in stats["answer_histogram"]],
    )
    if stats.get("items"):
        yield "items", [
            "item_id", "passed", "failed", "not_applicable", "not_judged",
            "compliance", "compliance_ci_low", "compliance_ci_high",
        ], [
            [i["item_id"], i["passed"], i["failed"], i["not_applicable"], i["not_judged"],
             i["compliance"]["rate"], i["compliance"]["ci_low"], i["compliance"]["ci_high"]]
            for i in stats["items"]
        ]  # fmt: skip


def to_csv(stats: dict[str, Any]) -> bytes:
    """Every table one after the other, each under a ``# name`` line, UTF-8 with a BOM (so
    spreadsheet programs read the Chinese venue names right)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, (name, header, rows) in enumerate(tables(stats)):
        if i:
            writer.writerow([])
        writer.writerow([f"# {name}"])
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(stats: dict[str, Any]) -> bytes:
    """One sheet per table; numbers stay numbers (rates as fractions), no observation is an
    empty cell."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, header, rows in tables(stats):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
