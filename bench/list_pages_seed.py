"""Seed data for bench/list_pages.py: a PostgreSQL database at issue 15's scale — 10,000 plans
and inspections, 100,000 probe runs, 1,000,000 complaints (with their trigger keys), and an
audit log of 1,000,000 entries. Set-based: every large table is one ``INSERT … SELECT … FROM
generate_series`` run inside PostgreSQL (no row crosses the wire), so the full scale seeds in
about a minute. Deterministic: the "random" draws are ``hashint8extended(row number, salt)``,
the same on every run. Only tables and columns as the migrations made them; no app code runs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

SCALE = {
    "operators": 30,
    "venues_per_operator": 20,
    "plans": 10_000,
    "inspections": 10_000,
    "probe_runs": 100_000,
    "complaints": 1_000_000,
    "trigger_keys": 30 * 340,
    "triggers": 20_000,
    "audit_entries": 1_000_000,
    "campaigns": 2_000,
    "runs_per_campaign": 50,
}
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ISSUES = (
    "network",
    "billing",
    "attitude",
    "hotline",
    "marketing",
    "privacy",
    "portability",
    "other",
)
# a deterministic draw in [0, n) for row i and a salt (one salt per column drawn)
_FUNCS = """
CREATE OR REPLACE FUNCTION pg_temp.draw(i bigint, salt bigint, n bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashint8extended(i, salt)) % n $$;
CREATE OR REPLACE FUNCTION pg_temp.pick(arr int[], i bigint, salt bigint) RETURNS int
  LANGUAGE sql IMMUTABLE AS $$ SELECT arr[1 + abs(hashint8extended(i, salt)) % cardinality(arr)] $$;
"""


@dataclass
class Seeded:
    users: dict[str, int]
    operator_ids: list[int]
    venue_ids: list[int]
    plan_ids: list[int]
    checklist_version_id: int


async def seed(conn: Any, scale: dict[str, int] | None = None) -> Seeded:
    """Fill the (migrated, empty) database behind ``conn`` (asyncpg)."""
    s = {**SCALE, **(scale or {})}
    from audit.domain.accounts.passwords import hash_password

    await conn.execute(_FUNCS)
    pw = hash_password("bench-password")
    users = {}
    for name, role in (
        ("admin", "admin"),
        ("supervisor", "supervisor"),
        ("inspector1", "inspector"),
        ("inspector2", "inspector"),
        ("analyst", "analyst"),
    ):
        users[name] = await conn.fetchval(
            "INSERT INTO app_user (username, display_name, role, password_hash, active, created_at,"
            " language) VALUES ($1, $1, $2, $3, true, now(), 'zh-CN') RETURNING id",
            name,
            role,
            pw,
        )

    await conn.execute(
        "INSERT INTO operator (name, contacts, created_at)"
        " SELECT format('基准通信%s有限公司', lpad(i::text, 3, '0')), '[]', $1"
        " FROM generate_series(0, $2 - 1) i",
        START,
        s["operators"],
    )
    await conn.execute(
        "INSERT INTO venue (operator, kind, name, region_code, phones, service_numbers, urls,"
        " profile, active)"
        " SELECT o.id, CASE WHEN j % 2 = 1 THEN 'hotline' ELSE 'business_hall' END,"
        " format('网点%s-%s', o.id, j), '320100',"
        " json_build_array(format('+86258400%s%s', lpad(o.id::text, 2, '0'),"
        " lpad(j::text, 2, '0'))), '[]', '[]', '{}', true"
        " FROM operator o CROSS JOIN generate_series(0, $1 - 1) j ORDER BY o.id, j",
        s["venues_per_operator"],
    )

    from checklists.loader import CHECKLIST_DIR, content_hash, load_checklist

    cl = load_checklist(CHECKLIST_DIR / "business_hall.yaml")
    cv = await conn.fetchval(
        "INSERT INTO checklist_version (checklist_key, version, title_zh, title_en, applies_to,"
        " content, content_hash, source, created_by_name, created_at) VALUES"
        " ($1, 1, $2, $3, $4, $5, $6, 'bench', 'system', now()) RETURNING id",
        cl.id,
        cl.title.zh,
        cl.title.en,
        json.dumps(list(cl.applies_to)),
        json.dumps(cl.canonical(), ensure_ascii=False),
        content_hash(cl),
    )

    def ids(table: str, name: str) -> str:  # a FROM item: one row, column ``name`` = the ids
        return f"(SELECT array_agg(id ORDER BY id) AS {name} FROM {table}) {name}_t"

    # plans: statuses in turn; completed plans count for coverage (Art. 10) in the year
    # they were completed
    await conn.execute(
        "INSERT INTO audit_plan (name, description, operator, method, sampling, on_site,"
        " window_start, window_end, status, created_by, created_at, completed_at)"
        " SELECT format('基准计划%s', lpad(i::text, 5, '0')), '', pg_temp.pick(ops, i, 1),"
        " CASE WHEN pg_temp.draw(i, 2, 2) = 0 THEN 'open' ELSE 'covert' END, 'comprehensive',"
        " i % 3 = 0, st, st + make_interval(days => 3 + pg_temp.draw(i, 4, 58)::int),"
        " (ARRAY['draft','approved','active','completed','published'])[1 + i % 5], $2, st,"
        " CASE WHEN i % 5 >= 3 THEN st + interval '2 days' END"
        " FROM (SELECT i, $1::timestamptz + make_interval(secs => pg_temp.draw(i, 3, 700 * 86400))"
        " AS st FROM generate_series(0, $3 - 1) i) g, " + ids("operator", "ops") + " ORDER BY i",
        START,
        users["supervisor"],
        s["plans"],
    )
    await conn.execute(
        "INSERT INTO plan_checklist (plan, checklist_version) SELECT id, $1 FROM audit_plan",
        cv,
    )
    # every plan has one inspector (alternating), every third a second one
    await conn.execute(
        "INSERT INTO plan_inspector (plan, inspector)"
        " SELECT id, CASE WHEN id % 2 = 1 THEN $1::int ELSE $2::int END FROM audit_plan"
        " UNION ALL SELECT id, CASE WHEN id % 2 = 1 THEN $2::int ELSE $1::int END FROM audit_plan"
        " WHERE id % 3 = 0",
        users["inspector1"],
        users["inspector2"],
    )
    await conn.execute(
        "INSERT INTO plan_venue (plan, venue, in_sample, position)"
        " SELECT p.id, pg_temp.pick(v, p.id, 5), true, 0 FROM audit_plan p, " + ids("venue", "v")
    )
    await conn.execute(
        "INSERT INTO inspection (plan, venue, checklist_version, status, started_by, started_at,"
        " submitted_by, submitted_at, score, passed)"
        " SELECT p[1 + i % cardinality(p)], pg_temp.pick(v, i, 6), $1::int,"
        " CASE WHEN sub THEN 'submitted' ELSE 'open' END, $2::int, st,"
        " CASE WHEN sub THEN $2::int END, CASE WHEN sub THEN st + interval '2 hours' END,"
        " CASE WHEN sub THEN round(40 + pg_temp.draw(i, 7, 6000) / 100.0, 2)::text END,"
        " CASE WHEN sub THEN pg_temp.draw(i, 8, 10) >= 3 END"
        " FROM (SELECT i, i % 2 = 0 AS sub,"
        " $3::timestamptz + make_interval(secs => pg_temp.draw(i, 9, 365 * 86400)) AS st"
        " FROM generate_series(0, $4 - 1) i) g, "
        + ids("audit_plan", "p")
        + ", "
        + ids("venue", "v")
        + " ORDER BY i",
        cv,
        users["inspector1"],
        START,
        s["inspections"],
    )
    await conn.execute(
        "INSERT INTO probe_run (kind, status, venue, operator, plan, target, covert, provider,"
        " outcome, params, events, item_results, evidence_ids, created_at, updated_at)"
        " SELECT 'voice', (ARRAY['completed','completed','completed','probe_error','queued'])"
        "[1 + pg_temp.draw(i, 10, 5)], pg_temp.pick(v, i, 11), pg_temp.pick(o, i, 12),"
        " pg_temp.pick(p, i, 13), format('+8625840%s', lpad((i % 100000)::text, 5, '0')),"
        " i % 2 = 0, 'twilio', (ARRAY['answered','busy','no_answer'])[1 + pg_temp.draw(i, 14, 3)],"
        " '{}', '[]', '[]', '[]', at, at"
        " FROM (SELECT i, $1::timestamptz + make_interval(secs => pg_temp.draw(i, 15, 365 * 86400))"
        " AS at FROM generate_series(0, $2 - 1) i) g, "
        + ", ".join((ids("venue", "v"), ids("operator", "o"), ids("audit_plan", "p")))
        + " ORDER BY i",
        START,
        s["probe_runs"],
    )
    await conn.execute(
        "INSERT INTO trigger_key (operator, operator_given, region_key, region_given,"
        " region_resolved, issue, issue_mapped)"
        " SELECT o[1 + k % cardinality(o)], 'op' || o[1 + k % cardinality(o)],"
        " (320100 + k / cardinality(o))::text, (320100 + k)::text, true,"
        " ($1::text[])[1 + (k / cardinality(o)) % cardinality($1::text[])], true"
        " FROM generate_series(0, $2 - 1) k, " + ids("operator", "o") + " ORDER BY k",
        list(ISSUES),
        s["trigger_keys"],
    )
    # complaints take their operator, region and issue from a drawn key
    await conn.execute(
        "INSERT INTO complaint (source, external_id, key, operator, region, region_resolved,"
        " issue, issue_mapped, classified, classified_by, received_at, received_on, channel,"
        " summary, text, created_at)"
        " SELECT 'bench', format('B%s', lpad(g.i::text, 8, '0')), k.id, k.operator,"
        " k.region_key, true, k.issue, true, false, '', g.at, (g.at AT TIME ZONE 'UTC')::date,"
        " 'hotline', '基准申诉', '', g.at"
        " FROM (SELECT i, (SELECT min(id) FROM trigger_key) + pg_temp.draw(i, 16, $2) AS kid,"
        " $1::timestamptz + make_interval(secs => pg_temp.draw(i, 17, 365 * 86400)) AS at"
        " FROM generate_series(0, $3 - 1) i) g JOIN trigger_key k ON k.id = g.kid ORDER BY g.i",
        START,
        s["trigger_keys"],
        s["complaints"],
    )
    # followed up already (a note): the start-up follow-up sweep
    # (complaints.followup_sweep) would otherwise draft orders for thousands of them while
    # the bench measures
    await conn.execute(
        "INSERT INTO complaint_trigger (key, operator, fired_on, complaint_ids, external_ids,"
        " count_at_firing, joined_count, status, followup_note, created_at, updated_at)"
        " SELECT k.id, k.operator, ($1::timestamptz + make_interval(days =>"
        " pg_temp.draw(g.i, 18, 365)::int))::date, '[]', '[]', 3, 0,"
        " (ARRAY['new','closed','order_issued'])[1 + pg_temp.draw(g.i, 19, 3)],"
        " '基准数据：已跟进', $1, $1"
        " FROM (SELECT i, (SELECT min(id) FROM trigger_key) + pg_temp.draw(i, 20, $2) AS kid"
        " FROM generate_series(0, $3 - 1) i) g JOIN trigger_key k ON k.id = g.kid ORDER BY g.i",
        START,
        s["trigger_keys"],
        s["triggers"],
    )
    await conn.execute(
        "INSERT INTO audit_entry (at, actor_id, actor, action, entity, entity_id, before, after,"
        " request_id)"
        " SELECT $1::timestamptz + make_interval(secs => i * 30), $2, 'supervisor',"
        " a[1 + i % 6], e[1 + i % 6], (i % 50000)::text, NULL, '{\"n\": 1}', NULL"
        " FROM generate_series(0, $3 - 1) i,"
        " (SELECT ARRAY['complaint.create','probe_run.finish','inspection.answer','plan.update',"
        "'notice.draft','session.login'] AS a, ARRAY['complaint','probe_run','inspection',"
        "'audit_plan','notice','user'] AS e) x ORDER BY i",
        START,
        users["supervisor"],
        s["audit_entries"],
    )
    # probe campaigns on every fifth plan, one target each (a sampled venue's number) and
    # their planned/finished calls
    await conn.execute(
        "INSERT INTO probe_campaign (plan, operator, name, probe_kind, status, spec, account,"
        " listen_s, max_attempts, retry_delay_s, service_level_s, created_by, created_at)"
        " SELECT p.id, p.operator, format('基准拨测%s', lpad(g.i::text, 5, '0')),"
        " 'voice_silent_call', (ARRAY['draft','scheduled','running','paused','finished'])"
        "[1 + g.i % 5], '{}', 'default', 40, 3, 60, 15.0, $1, p.created_at"
        " FROM generate_series(0, $2 - 1) g(i)"
        " JOIN audit_plan p ON p.id = (SELECT min(id) FROM audit_plan) + (g.i * 5) % $3"
        " ORDER BY g.i",
        users["supervisor"],
        s["campaigns"],
        s["plans"],
    )
    await conn.execute(
        "INSERT INTO campaign_target (campaign, venue, number, company_name)"
        " SELECT c.id, pv.venue, '+862584000000', NULL FROM probe_campaign c"
        " JOIN plan_venue pv ON pv.plan = c.plan"
    )
    await conn.execute(
        "INSERT INTO campaign_run (campaign, target, sequence, scheduled_at, caller_id, status,"
        " attempts, outcome, history)"
        " SELECT t.campaign, t.id, n, $1::timestamptz + make_interval(mins => n * 37),"
        " '+8610000000', CASE WHEN n % 3 = 0 THEN 'planned' ELSE 'done' END,"
        " CASE WHEN n % 3 = 0 THEN 0 ELSE 1 END,"
        " CASE WHEN n % 3 = 0 THEN NULL"
        " ELSE (ARRAY['answered','answered','busy','no_answer'])[1 + pg_temp.draw(t.id * 100 + n,"
        " 21, 4)] END, '[]'"
        " FROM campaign_target t CROSS JOIN generate_series(0, $2 - 1) n ORDER BY t.id, n",
        START,
        s["runs_per_campaign"],
    )
    await conn.execute("ANALYZE")

    async def _ids(table: str) -> list[int]:
        return [r["id"] for r in await conn.fetch(f"SELECT id FROM {table} ORDER BY id")]

    return Seeded(users, await _ids("operator"), await _ids("venue"), await _ids("audit_plan"), cv)
