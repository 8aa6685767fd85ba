"""The public quality report: per-operator figures of a period and scope, computed from the
stored probe runs and complaints (figures.py), compared with the previous period and ranked;
and the public notice drafted from them with the queries' inputs as its appendix."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from audit.domain.campaigns.stats import Rate
from audit.domain.operators import regions
from audit.domain.operators.tables import Operator
from audit.domain.reports import figures
from audit.domain.reports.periods import Period, last_complete_quarter, parse
from audit.domain.reports.subscribers import counts_for
from audit.errors import DomainError
from audit.settings import get_settings

NATION = "nation"


def scope_of(value: str | None) -> tuple[str, str | None, str]:
    """(scope as given back, 2-digit province prefix or None, its name in words)."""
    if value is None or value.strip().lower() in ("", NATION):
        return NATION, None, "全国"
    code = value.strip()
    if code.isdigit() and len(code) == 2:
        code += "0000"
    try:
        province = regions.province_of(code)
    except ValueError as exc:
        raise DomainError(
            f"scope must be 'nation' or a province code (e.g. 32 or 320000): {exc}", "scope"
        ) from exc
    return province.code, province.code[:2], province.name


def period_of(value: str | None) -> Period:
    if value is None or not value.strip():
        return last_complete_quarter(dt.datetime.now(get_settings().zone).date())
    return parse(value)


def window(period: Period, province: str | None) -> figures.Window:
    """The period's bounds (and its previous period's start: one pass reads both)."""
    zone = get_settings().zone

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

    prev = period.previous()
    return figures.Window(midnight(period.start), midnight(period.end), period.start,
                          period.end, province, midnight(prev.start), prev.start)  # fmt: skip


def _rate(k: int, n: int) -> dict[str, Any]:
    r = Rate.of(int(k), int(n))
    return {"count": r.count, "n": r.n, "rate": r.rate, "ci_low": r.ci_low, "ci_high": r.ci_high}


def _per_operator(rows: dict[str, list[dict[str, Any]]], subs: dict[int, int]) -> dict[int, dict]:
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    for r in rows["voice"]:
        timed = int(r["timed"] or 0)
        out[r["operator"]].update(
            probes=int(r["attempts"]),
            answer_timed=timed,
            answer_rate=_rate(r["answered"] or 0, r["attempts"]),
            mean_answer_s=(float(r["seconds_sum"]) / timed) if timed else None,
            median_answer_s=None if r.get("median_s") is None else float(r["median_s"]),
            service_level=_rate(r["in_time"] or 0, r["attempts"]),
            silent_call=_rate(r["silent_pass"] or 0, r["silent_n"] or 0),
            greeting=_rate(r["greeting_pass"] or 0, r["greeting_n"] or 0),
        )
    for r in rows.get("median", []):
        out[r["operator"]]["median_answer_s"] = float(r["median_s"])
    for r in rows["chat"]:
        out[r["operator"]].update(
            chats=int(r["chats"]),
            first_response=_rate(r["first_ok"] or 0, r["first_n"] or 0),
            chat_items=_rate(r["items_pass"] or 0, r["items_n"] or 0),
        )
    for r in rows["complaints"]:
        o = out[r["operator"]]
        o.setdefault("complaints_by_category", {})[r["issue"]] = int(r["n"])
    for r in rows["actions"]:
        o = out[r["operator"]]
        o.setdefault("actions", {})[r["notice_type"]] = int(r["n"])
    for op, o in out.items():
        total = sum(o.get("complaints_by_category", {}).values())
        o["complaints"] = total
        o["subscribers"] = subs.get(op)
        o["complaints_per_million"] = (1e6 * total / subs[op]) if subs.get(op) else None
    return out


def _split(rows: dict[str, list[dict[str, Any]]], cur: int) -> dict[str, list[dict[str, Any]]]:
    return {k: [r for r in v if int(r["cur"]) == cur] for k, v in rows.items()}


async def _figures(period: Period, province: str | None) -> tuple[dict, dict, dict]:
    """(this period's figures, the previous period's, the queries' inputs)."""
    rows, inputs = await figures.run_all(window(period, province))
    subs = await counts_for(period.label)
    prev_subs = await counts_for(period.previous().label)
    inputs["subscribers"] = {str(k): v for k, v in sorted(subs.items())}
    inputs["previous_subscribers"] = {str(k): v for k, v in sorted(prev_subs.items())}
    return _per_operator(_split(rows, 1), subs), _per_operator(_split(rows, 0), prev_subs), inputs


def _empty() -> dict[str, Any]:
    zero = _rate(0, 0)
    return {
        "probes": 0, "answer_timed": 0, "answer_rate": zero, "mean_answer_s": None, "median_answer_s": None,
        "service_level": zero, "silent_call": zero, "greeting": zero, "chats": 0,
        "first_response": zero, "chat_items": zero, "complaints_by_category": {},
        "complaints": 0, "subscribers": None, "complaints_per_million": None, "actions": {},
    }  # fmt: skip


POOLED = ("answer_rate", "service_level", "silent_call", "greeting", "first_response",
          "chat_items")  # fmt: skip


def sector(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sector average (Ofcom's comparison line): every operator's probes, chats and
    complaints pooled — each rate is the sector's count over the sector's denominator (not a
    mean of the operators' rates), the mean time to answer is over every timed answer, the
    per-million rate over the operators that have a subscriber count. No median: medians do
    not pool."""
    out: dict[str, Any] = {"probes": sum(r["probes"] for r in rows),
                           "chats": sum(r["chats"] for r in rows)}  # fmt: skip
    for name in POOLED:
        out[name] = _rate(sum(r[name]["count"] for r in rows), sum(r[name]["n"] for r in rows))
    timed = sum(r["answer_timed"] for r in rows)
    seconds = sum(r["mean_answer_s"] * r["answer_timed"] for r in rows if r["answer_timed"])
    out["mean_answer_s"] = seconds / timed if timed else None
    by_cat: dict[str, int] = defaultdict(int)
    for r in rows:
        for cat, n in r["complaints_by_category"].items():
            by_cat[cat] += n
    out["complaints_by_category"] = dict(sorted(by_cat.items()))
    out["complaints"] = sum(r["complaints"] for r in rows)
    counted = [r for r in rows if r["subscribers"]]
    subs = sum(r["subscribers"] for r in counted)
    out["subscribers"] = subs or None
    out["complaints_per_million"] = (
        1e6 * sum(r["complaints"] for r in counted) / subs if subs else None
    )
    return out


def _diff(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def rank(rows: list[dict[str, Any]]) -> None:
    """MIIT ranks by complaints per million users, fewest first; equal rates share a rank
    (1, 2, 2, 4). An operator without a subscriber count has no rate and no rank."""
    rated = sorted(
        (r for r in rows if r["complaints_per_million"] is not None),
        key=lambda r: (r["complaints_per_million"], r["operator"]),
    )
    previous: tuple[float, int] | None = None
    for i, r in enumerate(rated):
        same = previous is not None and previous[0] == r["complaints_per_million"]
        r["rank"] = previous[1] if same and previous else i + 1
        previous = (r["complaints_per_million"], r["rank"])
    for r in rows:
        r.setdefault("rank", None)


async def public_report(period_label: str | None = None, scope: str | None = None) -> dict:
    """The report's figures (see docs/reports.md) and the inputs of every query."""
    period = period_of(period_label)
    scope_code, province, scope_name = scope_of(scope)
    now, before, inputs = await _figures(period, province)
    prev_period = period.previous()
    names = {
        o["id"]: o["name"]
        for o in await Operator.select(Operator.id, Operator.name)
        .where(Operator.id.is_in(list(now) or [-1]))
        .run()
    }
    rows: list[dict[str, Any]] = []
    for op_id in sorted(now, key=lambda i: names.get(i, "")):
        cur = {**_empty(), **now[op_id]}
        old = {**_empty(), **before.get(op_id, {})}
        rows.append(
            {
                "operator_id": op_id,
                "operator": names.get(op_id, str(op_id)),
                **cur,
                "change": {
                    "answer_rate": _diff(cur["answer_rate"]["rate"], old["answer_rate"]["rate"]),
                    "complaints": cur["complaints"] - old["complaints"],
                    "complaints_per_million": _diff(
                        cur["complaints_per_million"], old["complaints_per_million"]
                    ),
                },
                "previous": {
                    "probes": old["probes"],
                    "answer_rate": old["answer_rate"]["rate"],
                    "complaints": old["complaints"],
                    "complaints_per_million": old["complaints_per_million"],
                },
            }
        )
    rank(rows)
    return {
        "period": period.label,
        "period_label": period.zh(),
        "previous_period": prev_period.label,
        "scope": scope_code,
        "scope_label": scope_name,
        "from": period.start.isoformat(),
        "to": period.last_day.isoformat(),
        "service_level_s": figures.SERVICE_LEVEL_S,
        "operators": rows,
        "sector": sector(rows),
        "inputs": {
            "timezone": get_settings().timezone,
            "period": {"from": period.start.isoformat(), "until": period.end.isoformat()},
            "previous_period": {
                "from": prev_period.start.isoformat(),
                "until": prev_period.end.isoformat(),
            },
            "queries": inputs,
        },
    }


__all__ = ["NATION", "public_report", "rank", "scope_of"]
