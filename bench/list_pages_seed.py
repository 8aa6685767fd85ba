"""Seed data for bench/list_pages.py: a PostgreSQL database at issue 15's scale — 10,000 plans
and inspections, 100,000 probe runs, 1,000,000 complaints (with their trigger keys), and an
audit log of 1,000,000 entries — written with COPY (minutes, not hours). Deterministic
(seeded random draws). Only tables and columns as the migrations made them; no app code runs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
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


@dataclass
class Seeded:
    users: dict[str, int]
    operator_ids: list[int]
    venue_ids: list[int]
    plan_ids: list[int]
    checklist_version_id: int


def _ts(rnd: random.Random, days: int = 365) -> dt.datetime:
    return START + dt.timedelta(seconds=rnd.randrange(days * 86400))


async def _copy(conn: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=columns)


async def seed(conn: Any, scale: dict[str, int] | None = None) -> Seeded:
    """Fill the (migrated, empty) database behind ``conn`` (asyncpg)."""
    s = {**SCALE, **(scale or {})}
    rnd = random.Random(15)
    from audit.domain.accounts.passwords import hash_password

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

    await _copy(
        conn,
        "operator",
        ["name", "contacts", "created_at"],
        [(f"基准通信{i:03d}有限公司", "[]", START) for i in range(s["operators"])],
    )
    operator_ids = [r["id"] for r in await conn.fetch("SELECT id FROM operator ORDER BY id")]
    venue_rows = []
    for op in operator_ids:
        for j in range(s["venues_per_operator"]):
            venue_rows.append(
                (
                    op,
                    "hotline" if j % 2 else "business_hall",
                    f"网点{op}-{j}",
                    "320100",
                    json.dumps([f"+86258400{op:02d}{j:02d}"]),
                    "[]",
                    "[]",
                    "{}",
                    True,
                )
            )
    await _copy(
        conn,
        "venue",
        [
            "operator",
            "kind",
            "name",
            "region_code",
            "phones",
            "service_numbers",
            "urls",
            "profile",
            "active",
        ],
        venue_rows,
    )
    venue_ids = [r["id"] for r in await conn.fetch("SELECT id FROM venue ORDER BY id")]

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

    statuses = ("draft", "approved", "active", "completed", "published")
    plan_rows = []
    for i in range(s["plans"]):
        start = _ts(rnd, 700)
        plan_rows.append(
            (
                f"基准计划{i:05d}",
                "",
                rnd.choice(operator_ids),
                rnd.choice(("open", "covert")),
                "comprehensive",
                i % 3 == 0,
                start,
                start + dt.timedelta(days=rnd.randint(3, 60)),
                statuses[i % len(statuses)],
                users["supervisor"],
                start,
                # completed plans count for coverage (Art. 10) in the year they were completed
                start + dt.timedelta(days=2) if i % len(statuses) >= 3 else None,
            )
        )
    await _copy(
        conn,
        "audit_plan",
        [
            "name",
            "description",
            "operator",
            "method",
            "sampling",
            "on_site",
            "window_start",
            "window_end",
            "status",
            "created_by",
            "created_at",
            "completed_at",
        ],
        plan_rows,
    )
    plan_ids = [r["id"] for r in await conn.fetch("SELECT id FROM audit_plan ORDER BY id")]
    await _copy(conn, "plan_checklist", ["plan", "checklist_version"], [(p, cv) for p in plan_ids])
    await _copy(
        conn,
        "plan_inspector",
        ["plan", "inspector"],
        [(p, users["inspector1" if p % 2 else "inspector2"]) for p in plan_ids]
        + [(p, users["inspector2" if p % 2 else "inspector1"]) for p in plan_ids if p % 3 == 0],
    )
    await _copy(
        conn,
        "plan_venue",
        ["plan", "venue", "in_sample", "position"],
        [(p, rnd.choice(venue_ids), True, 0) for p in plan_ids],
    )

    insp_rows = []
    for i in range(s["inspections"]):
        started = _ts(rnd)
        submitted = i % 2 == 0
        insp_rows.append(
            (
                plan_ids[i % len(plan_ids)],
                rnd.choice(venue_ids),
                cv,
                "submitted" if submitted else "open",
                users["inspector1"],
                started,
                users["inspector1"] if submitted else None,
                started + dt.timedelta(hours=2) if submitted else None,
                f"{rnd.uniform(40, 100):.2f}" if submitted else None,
                (rnd.random() > 0.3) if submitted else None,
            )
        )
    await _copy(
        conn,
        "inspection",
        [
            "plan",
            "venue",
            "checklist_version",
            "status",
            "started_by",
            "started_at",
            "submitted_by",
            "submitted_at",
            "score",
            "passed",
        ],
        insp_rows,
    )

    run_rows = []
    for i in range(s["probe_runs"]):
        created = _ts(rnd)
        run_rows.append(
            (
                "voice",
                rnd.choice(("completed", "completed", "completed", "probe_error", "queued")),
                rnd.choice(venue_ids),
                rnd.choice(operator_ids),
                rnd.choice(plan_ids),
                f"+8625840{i % 100000:05d}",
                i % 2 == 0,
                "twilio",
                rnd.choice(("answered", "busy", "no_answer")),
                "{}",
                "[]",
                "[]",
                "[]",
                created,
                created,
            )
        )
    await _copy(
        conn,
        "probe_run",
        [
            "kind",
            "status",
            "venue",
            "operator",
            "plan",
            "target",
            "covert",
            "provider",
            "outcome",
            "params",
            "events",
            "item_results",
            "evidence_ids",
            "created_at",
            "updated_at",
        ],
        run_rows,
    )

    key_rows = []
    for k in range(s["trigger_keys"]):
        op = operator_ids[k % len(operator_ids)]
        key_rows.append(
            (
                op,
                f"op{op}",
                f"{320100 + k // len(operator_ids)}",
                f"{320100 + k}",
                True,
                ISSUES[k % len(ISSUES)],
                True,
            )
        )
    await _copy(
        conn,
        "trigger_key",
        [
            "operator",
            "operator_given",
            "region_key",
            "region_given",
            "region_resolved",
            "issue",
            "issue_mapped",
        ],
        key_rows,
    )
    keys = await conn.fetch("SELECT id, operator, region_key, issue FROM trigger_key ORDER BY id")
    batch: list[tuple[Any, ...]] = []
    columns = [
        "source",
        "external_id",
        "key",
        "operator",
        "region",
        "region_resolved",
        "issue",
        "issue_mapped",
        "classified",
        "classified_by",
        "received_at",
        "received_on",
        "channel",
        "summary",
        "text",
        "created_at",
    ]
    for i in range(s["complaints"]):
        key = keys[rnd.randrange(len(keys))]
        at = _ts(rnd)
        batch.append(
            (
                "bench",
                f"B{i:08d}",
                key["id"],
                key["operator"],
                key["region_key"],
                True,
                key["issue"],
                True,
                False,
                "",
                at,
                at.date(),
                "hotline",
                "基准申诉",
                "",
                at,
            )
        )
        if len(batch) == 100_000:
            await _copy(conn, "complaint", columns, batch)
            batch = []
    if batch:
        await _copy(conn, "complaint", columns, batch)
    await _copy(
        conn,
        "complaint_trigger",
        [
            "key",
            "operator",
            "fired_on",
            "complaint_ids",
            "external_ids",
            "count_at_firing",
            "joined_count",
            "status",
            "followup_note",
            "created_at",
            "updated_at",
        ],
        [
            (
                key["id"],
                key["operator"],
                _ts(rnd).date(),
                "[]",
                "[]",
                3,
                0,
                rnd.choice(("new", "closed", "order_issued")),
                "",
                START,
                START,
            )
            for key in (keys[rnd.randrange(len(keys))] for _ in range(s["triggers"]))
        ],
    )

    actions = [
        ("complaint.create", "complaint"),
        ("probe_run.finish", "probe_run"),
        ("inspection.answer", "inspection"),
        ("plan.update", "audit_plan"),
        ("notice.draft", "notice"),
        ("session.login", "user"),
    ]
    batch = []
    cols = [
        "at",
        "actor_id",
        "actor",
        "action",
        "entity",
        "entity_id",
        "before",
        "after",
        "request_id",
    ]
    for i in range(s["audit_entries"]):
        action, entity = actions[i % len(actions)]
        batch.append(
            (
                START + dt.timedelta(seconds=i * 30),
                users["supervisor"],
                "supervisor",
                action,
                entity,
                str(i % 50_000),
                None,
                '{"n": 1}',
                None,
            )
        )
        if len(batch) == 100_000:
            await _copy(conn, "audit_entry", cols, batch)
            batch = []
    if batch:
        await _copy(conn, "audit_entry", cols, batch)
    await conn.execute("ANALYZE")
    return Seeded(users, operator_ids, venue_ids, plan_ids, cv)
