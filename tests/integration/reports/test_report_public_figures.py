"""The public quality report: every figure equals the figure computed here, in Python, from the
test's own runs and complaints; the notice drafted from it carries them, the queries' inputs and
the ids counted, and renders through the notice renderer; hand edits are logged before/after."""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from typing import Any

from audit.context import SYSTEM

Q3 = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)  # inside 2026Q3 in Shanghai from +8 h
Q2 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    z = statistics.NormalDist().inv_cdf(0.975)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (0.0 if k == 0 else c - h), (1.0 if k == n else c + h)


async def _venue(op: int, kind: str, region: str, **kw: Any) -> int:
    from audit.domain.operators.schemas import VenueIn
    from audit.domain.operators.services import create_venue

    v = await create_venue(op, VenueIn(kind=kind, name=f"{kind}-{region}-{op}", region=region,
                                       **kw), SYSTEM)  # fmt: skip
    return int(v["id"])


async def _run(op: int, venue: int, kind: str, at: dt.datetime, **fields: Any) -> int:
    from audit.domain.probing.tables import ProbeRun

    rows = await ProbeRun.insert(
        ProbeRun(
            kind=kind, operator=op, venue=venue, target="x", started_at=at, created_at=at, **fields
        )
    ).returning(ProbeRun.id)
    return int(rows[0]["id"])


def voice(rnd: random.Random) -> dict[str, Any]:
    outcome = rnd.choice(["answered", "answered", "answered", "busy", "no_answer"])
    if outcome != "answered":
        return {"status": "completed", "outcome": outcome, "measures": {"outcome": outcome}}
    secs = round(rnd.uniform(2, 40), 1)
    m: dict[str, Any] = {"outcome": outcome, "answered": True, "answer_seconds": secs}
    v = rnd.choice(["pass", "fail", None])
    m["silent_call"] = {"verdict": v, "inconclusive": v is None}
    m["greeting"] = {"verdict": rnd.choice(["pass", "fail"])}
    return {"status": "completed", "outcome": outcome, "measures": m}


async def _world(cast: Any) -> dict[str, Any]:
    """Runs and complaints of two operators, in and out of the period and the province."""
    from audit.domain.complaints.schemas import ComplaintIn
    from audit.domain.complaints.services import add_complaint

    rnd = random.Random(20)
    a, b = cast.operator_a["id"], cast.operator_b["id"]
    nj = {op: await _venue(op, "hotline", "320100") for op in (a, b)}
    hz = await _venue(a, "hotline", "330100")
    chat_nj = await _venue(a, "web_chat", "320100", sessions_per_day=400)  # 60 s rule
    chat_b = await _venue(b, "web_chat", "320200")
    runs: list[dict[str, Any]] = []
    for i in range(60):
        op = (a, b)[i % 2]
        for venue, region, at in ((nj[op], "32", Q3), (hz, "33", Q3), (nj[op], "32", Q2)):
            if venue == hz and op != a:
                continue
            f = voice(rnd)
            when = at + dt.timedelta(hours=rnd.randint(0, 24 * 80))
            rid = await _run(op, venue, "voice", when, **f)
            runs.append({"id": rid, "op": op, "kind": "voice", "province": region, "at": when, **f})
    # runs that count nowhere: a probe error, and a run still queued
    await _run(a, nj[a], "voice", Q3, status="probe_error", outcome=None)
    await _run(a, nj[a], "voice", Q3, status="queued")
    for i in range(12):
        op, venue, spd = (a, chat_nj, 400) if i % 2 else (b, chat_b, None)
        frs = rnd.choice([20.0, 50.0, 70.0, None])
        items = [{"id": f"i{j}", "result": rnd.choice(["pass", "fail", "na"])} for j in range(4)]
        at = Q3 + dt.timedelta(days=i)
        f = {"status": "completed", "outcome": "completed",
             "measures": {"first_response_seconds": frs}, "observations": {"items": items}}  # fmt: skip
        rid = await _run(op, venue, "chat", at, **f)
        runs.append({"id": rid, "op": op, "kind": "chat", "province": "32", "at": at,
                     "spd": spd, **f})  # fmt: skip
    complaints: list[dict[str, Any]] = []
    for i in range(40):
        op = (a, b)[i % 2]
        region = rnd.choice(["320100", "320200", "330100"])
        issue = rnd.choice(["billing", "network", "attitude"])
        day = dt.date(2026, rnd.choice([5, 7, 8, 9]), rnd.randint(1, 28))
        c = await add_complaint(
            ComplaintIn(
                external_id=f"C{i}",
                operator=_name(cast, op),
                region=region,
                issue=issue,
                received_at=day.isoformat(),
            ),
            SYSTEM,
            followups=False,
        )
        complaints.append({"id": c["id"], "op": op, "region": region, "issue": issue, "on": day})
    return {"runs": runs, "complaints": complaints, "a": a, "b": b}


def _name(cast: Any, op: int) -> str:
    return cast.operator_a["name"] if op == cast.operator_a["id"] else cast.operator_b["name"]


def expected(w: dict[str, Any], op: int, province: str | None, quarter: int) -> dict[str, Any]:
    """The figures computed directly from the test's lists (docs/reports.md definitions)."""
    lo, hi = dt.date(2026, 3 * quarter - 2, 1), dt.date(2026, 3 * quarter + 1, 1)
    zone = dt.timezone(dt.timedelta(hours=8))

    def inside(r: dict[str, Any]) -> bool:
        local = r["at"].astimezone(zone).date()
        return r["op"] == op and lo <= local < hi and province in (None, r["province"])

    v = [r for r in w["runs"] if r["kind"] == "voice" and inside(r)]
    ans = [r for r in v if r["outcome"] == "answered"]
    secs = [r["measures"]["answer_seconds"] for r in ans]
    silent = [r["measures"]["silent_call"]["verdict"] for r in ans]
    greet = [r["measures"]["greeting"]["verdict"] for r in ans]
    chats = [r for r in w["runs"] if r["kind"] == "chat" and inside(r)]
    frs = [(r["measures"]["first_response_seconds"], r["spd"]) for r in chats]
    timed = [(s, spd) for s, spd in frs if s is not None]
    items = [i["result"] for r in chats for i in r["observations"]["items"]]
    cs = [
        c for c in w["complaints"]
        if c["op"] == op and lo <= c["on"] < hi and province in (None, c["region"][:2])
    ]  # fmt: skip
    by_cat: dict[str, int] = {}
    for c in cs:
        by_cat[c["issue"]] = by_cat.get(c["issue"], 0) + 1
    return {
        "probes": len(v),
        "answered": len(ans),
        "answer_ci": wilson(len(ans), len(v)),
        "mean": sum(secs) / len(secs) if secs else None,
        "median": statistics.median(secs) if secs else None,
        "in_time": sum(1 for s in secs if s <= 15),
        "silent": (silent.count("pass"), silent.count("pass") + silent.count("fail")),
        "greeting": (greet.count("pass"), len(greet)),
        "chats": len(chats),
        "first": (sum(1 for s, spd in timed if s <= (60 if (spd or 0) > 300 else 45)), len(timed)),
        "items": (items.count("pass"), items.count("pass") + items.count("fail")),
        "complaints": len(cs),
        "by_cat": by_cat,
        "complaint_ids": sorted(c["id"] for c in cs),
        "run_ids": sorted(r["id"] for r in v + chats),
    }


def check(row: dict[str, Any], e: dict[str, Any], subscribers: int | None) -> None:
    approx = 1e-9
    assert row["probes"] == e["probes"]
    ar = row["answer_rate"]
    assert (ar["count"], ar["n"]) == (e["answered"], e["probes"])
    assert abs(ar["ci_low"] - e["answer_ci"][0]) < approx
    assert abs(ar["ci_high"] - e["answer_ci"][1]) < approx
    assert (row["mean_answer_s"] is None) == (e["mean"] is None)
    if e["mean"] is not None:
        assert abs(row["mean_answer_s"] - e["mean"]) < 1e-6
        assert abs(row["median_answer_s"] - e["median"]) < 1e-6
    assert (row["service_level"]["count"], row["service_level"]["n"]) == (e["in_time"], e["probes"])
    assert (row["silent_call"]["count"], row["silent_call"]["n"]) == e["silent"]
    assert (row["greeting"]["count"], row["greeting"]["n"]) == e["greeting"]
    assert row["chats"] == e["chats"]
    assert (row["first_response"]["count"], row["first_response"]["n"]) == e["first"]
    assert (row["chat_items"]["count"], row["chat_items"]["n"]) == e["items"]
    assert row["complaints"] == e["complaints"]
    assert row["complaints_by_category"] == e["by_cat"]
    if subscribers:
        assert abs(row["complaints_per_million"] - 1e6 * e["complaints"] / subscribers) < 1e-6
    else:
        assert row["complaints_per_million"] is None and row["rank"] is None


async def test_figures_equal_direct_computation(client: Any, cast: Any) -> None:
    w = await _world(cast)
    a, b = w["a"], w["b"]
    sup = cast.headers("supervisor")
    r = await client.post("/subscriber-counts", headers=sup, json={
        "operator": _name(cast, a), "period": "2026Q3", "subscribers": 2_500_000})  # fmt: skip
    assert r.status_code == 200, r.text
    csv = f"operator,period,subscribers\n{b},2026Q3,1000000\n{b},2026Q2,900000\n".encode()
    r = await client.post("/subscriber-counts/import", content=csv, headers={
        **sup, "Content-Type": "text/csv"})  # fmt: skip
    assert r.status_code == 200 and r.json() == {"stored": 2}, r.text
    subs = {(a, "2026Q3"): 2_500_000, (b, "2026Q3"): 1_000_000, (b, "2026Q2"): 900_000}

    for scope, province in (("32", "32"), ("nation", None)):
        r = await client.get("/reports/public", params={"period": "2026Q3", "scope": scope},
                             headers=cast.headers("analyst"))  # fmt: skip
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["previous_period"] == "2026Q2"
        rows = {x["operator_id"]: x for x in report["operators"]}
        assert set(rows) == {a, b}
        for op in (a, b):
            e = expected(w, op, province, 3)
            check(rows[op], e, subs.get((op, "2026Q3")))
            before = expected(w, op, province, 2)
            assert rows[op]["previous"]["complaints"] == before["complaints"]
            assert rows[op]["change"]["complaints"] == e["complaints"] - before["complaints"]
            prev_rate = before["answered"] / before["probes"] if before["probes"] else None
            assert rows[op]["previous"]["answer_rate"] == prev_rate
        pm = {op: rows[op]["complaints_per_million"] for op in (a, b)}
        assert [rows[op]["rank"] for op in sorted(pm, key=lambda o: pm[o])] == [1, 2]
        b_prev = expected(w, b, province, 2)["complaints"] * 1e6 / 900_000
        assert abs(rows[b]["change"]["complaints_per_million"] - (pm[b] - b_prev)) < 1e-6
        assert rows[a]["change"]["complaints_per_million"] is None  # no Q2 count for A

    # the draft: figures, queries' inputs and the ids behind them; then rendered and issued
    r = await client.post("/notices/public-report", json={"period": "2026Q3", "scope": "32"},
                          headers=cast.headers("inspector1"))  # fmt: skip
    assert r.status_code == 201, r.text
    draft = r.json()
    assert draft["notice_type"] == "public_notice" and draft["missing"] == []
    assert draft["invalid"] == []
    content, appendix = draft["content"], draft["source"]["appendix"]
    assert content["from_data"] is True and content["period"] == "2026年第三季度"
    for row in content["rows"]:
        op = a if row["operator"] == _name(cast, a) else b
        e = expected(w, op, "32", 3)
        assert (row["probes"], row["answered"], row["complaints"]) == (
            e["probes"], e["answered"], e["complaints"])  # fmt: skip
        trace = appendix["trace"][str(op)]
        assert sorted(trace["probe_run_ids"]) == e["run_ids"]
        assert sorted(trace["complaint_ids"]) == e["complaint_ids"]
    queries = appendix["inputs"]["queries"]
    assert {"voice", "chat", "complaints", "actions"} <= set(queries)
    assert "32%" in queries["complaints"]["params"]
    assert appendix["inputs"]["queries"]["subscribers"] == {str(a): 2_500_000, str(b): 1_000_000}

    # a hand edit before approval: logged with before and after
    edited = dict(content, summary="本季度总体平稳。")
    r = await client.patch(f"/notices/{draft['id']}", json={"content": edited},
                           headers=cast.headers("inspector1"))  # fmt: skip
    assert r.status_code == 200, r.text
    from audit.domain.auditlog.services import entries

    (edit,) = await entries("notice", str(draft["id"]), action="notice.edit")
    assert edit["before"] == {"content": {}}  # no summary before
    assert edit["after"] == {"content": {"summary": "本季度总体平稳。"}}
    row = content["rows"][0]
    fixed = dict(edited, rows=[dict(row, probes=row["probes"] + 1), *content["rows"][1:]])
    r = await client.patch(f"/notices/{draft['id']}", json={"content": fixed},
                           headers=cast.headers("inspector1"))  # fmt: skip
    assert r.status_code == 200, r.text
    second = (await entries("notice", str(draft["id"]), action="notice.edit"))[0]
    assert second["before"] == {"content": {"rows[0].probes": row["probes"]}}
    assert second["after"] == {"content": {"rows[0].probes": row["probes"] + 1}}
    r = await client.patch(f"/notices/{draft['id']}", json={"content": edited},
                           headers=cast.headers("inspector1"))  # fmt: skip

    r = await client.post(f"/notices/{draft['id']}/approve", headers=sup)
    assert r.status_code == 200, r.text
    r = await client.post(f"/notices/{draft['id']}/issue", headers=sup)
    assert r.status_code == 200, r.text
    pdf = await client.get(f"/notices/{draft['id']}/pdf", headers=sup)
    text = _pdf_text(pdf.content)
    assert "百万用户申诉率" in text and "本季度总体平稳" in text
    assert _name(cast, a) in text


def _pdf_text(pdf: bytes) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace(" ", "").replace("\n", "")


async def test_bad_period_and_scope_name_the_field(client: Any, cast: Any) -> None:
    h = cast.headers("analyst")
    r = await client.get("/reports/public", params={"period": "2026Q5"}, headers=h)
    assert r.status_code == 400 and r.json()["field"] == "period"
    r = await client.get("/reports/public", params={"scope": "99"}, headers=h)
    assert r.status_code == 400 and r.json()["field"] == "scope"
    r = await client.get("/reports/public", headers=cast.headers("op_a"))
    assert r.status_code == 403
    r = await client.post("/subscriber-counts/import", headers={
        **cast.headers("supervisor"), "Content-Type": "text/csv"},
        content="operator,period,subscribers\n无此企业,2026Q3,5\n甲通信有限公司,2026Q9,5\n".encode())  # fmt: skip
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "line 2: operator" in detail and "line 3: period" in detail
