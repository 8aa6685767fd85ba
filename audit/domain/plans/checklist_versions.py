"""Checklist versions in the database: import, edit (new version once used), read."""

from __future__ import annotations

import json
from typing import Any

import structlog

from audit.context import SYSTEM, Actor
from audit.db import engine
from audit.domain.auditlog.services import record
from audit.domain.plans.tables import ChecklistVersion, PlanChecklist
from audit.errors import DomainError, NotFound
from checklists.loader import ChecklistError, checklist_from_data, content_hash, validate_text
from checklists.schema import Checklist

log = structlog.get_logger("audit.plans")

_SUMMARY = (
    ChecklistVersion.id,
    ChecklistVersion.checklist_key,
    ChecklistVersion.version,
    ChecklistVersion.title_zh,
    ChecklistVersion.title_en,
    ChecklistVersion.applies_to,
    ChecklistVersion.content_hash,
    ChecklistVersion.source,
    ChecklistVersion.created_by_name,
    ChecklistVersion.created_at,
)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("applies_to", "content"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


class ChecklistInvalid(DomainError):
    """Checklist YAML with problems; ``problems`` keeps each one (file, line, message)."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__("; ".join(str(p) for p in problems), field="yaml")
        self.problems = problems


def parse_yaml(text: str, name: str = "<upload>") -> Checklist:
    """Validate checklist YAML; problems become one 400 listing ``name:line: message``."""
    from probes.analysis.phrases.check import example_problems

    cl, problems = validate_text(text, name)
    if cl is not None:
        problems = example_problems(cl, text, name)
    if cl is None or problems:
        raise ChecklistInvalid(problems)
    return cl


async def is_used(version_id: int) -> bool:
    """Used by a plan (and so possibly by inspections, which only use pinned versions)."""
    return bool(await PlanChecklist.exists().where(PlanChecklist.checklist_version == version_id))


async def get_version(version_id: int, with_content: bool = True) -> dict[str, Any]:
    fields = (*_SUMMARY, ChecklistVersion.content) if with_content else _SUMMARY
    row = await ChecklistVersion.select(*fields).where(ChecklistVersion.id == version_id).first()
    if row is None:
        raise NotFound(f"checklist version {version_id} not found")
    row = _decode(row)
    row["used"] = await is_used(version_id)
    return row


async def list_versions(key: str | None = None) -> list[dict[str, Any]]:
    query = ChecklistVersion.select(*_SUMMARY).order_by(ChecklistVersion.checklist_key)
    query = query.order_by(ChecklistVersion.version)
    if key is not None:
        query = query.where(ChecklistVersion.checklist_key == key)
    rows = [_decode(r) for r in await query.run()]
    used = {
        r["checklist_version"]
        # DISTINCT: one row per pinned version, not one per plan (10,000 plans ⇒ a handful)
        for r in await PlanChecklist.select(PlanChecklist.checklist_version).distinct().run()
    }
    for row in rows:
        row["used"] = row["id"] in used
    return rows


# Parsed checklists by content hash: a pinned version never changes, and parsing is costly.
_PARSED: dict[str, Checklist] = {}


async def pinned_checklist(version_id: int) -> Checklist:
    """The checklist exactly as pinned (scoring reads this, never the YAML on disk)."""
    summary = await get_version(version_id, with_content=False)
    cached = _PARSED.get(summary["content_hash"])
    if cached is not None:
        return cached
    row = await get_version(version_id)
    try:
        parsed = checklist_from_data(row["content"])
    except ChecklistError as exc:  # stored content is validated on the way in
        raise DomainError(f"stored checklist version {version_id} is invalid: {exc}") from exc
    if len(_PARSED) > 256:
        _PARSED.clear()
    _PARSED[summary["content_hash"]] = parsed
    return parsed


def _as_version(cl: Checklist, version: int) -> Checklist:
    return cl.model_copy(update={"version": version})


async def _latest(key: str) -> dict[str, Any] | None:
    row = (
        await ChecklistVersion.select(*_SUMMARY)
        .where(ChecklistVersion.checklist_key == key)
        .order_by(ChecklistVersion.version, ascending=False)
        .first()
    )
    return _decode(row) if row else None


async def import_checklist(
    cl: Checklist, actor: Actor, source: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Store ``cl`` as a new version unless the latest version has the same content.

    Returns (version row, created). The new version number is the larger of the file's
    declared version and latest + 1, so the shipped ``version: 1`` files become version 1.
    """
    async with engine().transaction():
        latest = await _latest(cl.id)
        if latest and latest["content_hash"] == content_hash(_as_version(cl, latest["version"])):
            return await get_version(latest["id"]), False
        number = max(cl.version, latest["version"] + 1 if latest else 1)
        pinned = _as_version(cl, number)
        rows = (
            await ChecklistVersion.insert(
                ChecklistVersion(
                    checklist_key=cl.id,
                    version=number,
                    title_zh=cl.title.zh,
                    title_en=cl.title.en,
                    applies_to=list(cl.applies_to),
                    content=pinned.canonical(),
                    content_hash=content_hash(pinned),
                    source=(source or "")[:300] or None,
                    created_by_name=actor.name,
                )
            )
            .returning(ChecklistVersion.id)
            .run()
        )
        row = await get_version(rows[0]["id"])
        summary = {k: v for k, v in row.items() if k != "content"}
        await record(
            actor, "checklist_version.create", "checklist_version", row["id"], None, summary
        )
    return row, True


# ``source`` of the checklists shipped in checklists/ (loaded by the demo at every start-up)
SHIPPED = "checklists/"


async def import_shipped(cl: Checklist, file_name: str) -> tuple[dict[str, Any] | None, bool]:
    """A shipped checklist file, read again at every demo start-up: imported once per content.

    Nothing is created when any version of the checklist already holds this content (not only
    the latest: an edit made through the API may be newer), nor when the latest version was
    edited or uploaded through the API — that edit stays the latest, the version new plans and
    follow-up drafts pin. A changed shipped file over an untouched shipped version becomes the
    next version. Returns (the version holding or kept instead of it, created).
    """
    rows = (
        await ChecklistVersion.select(
            ChecklistVersion.id,
            ChecklistVersion.version,
            ChecklistVersion.content_hash,
            ChecklistVersion.source,
        )
        .where(ChecklistVersion.checklist_key == cl.id)
        .order_by(ChecklistVersion.version)
        .run()
    )
    for row in rows:
        if row["content_hash"] == content_hash(_as_version(cl, row["version"])):
            return await get_version(row["id"]), False
    if rows and not (rows[-1]["source"] or "").startswith(SHIPPED):
        log.info(
            "shipped checklist not imported: the latest version was edited through the API",
            checklist=cl.id,
            file=file_name,
            kept_version=rows[-1]["version"],
        )
        return await get_version(rows[-1]["id"]), False
    return await import_checklist(cl, SYSTEM, source=SHIPPED + file_name)


async def edit_version(version_id: int, cl: Checklist, actor: Actor) -> tuple[dict[str, Any], bool]:
    """Edit a version: in place while no plan uses it, else as a new version.

    Returns (row, created_new_version).
    """
    current = await get_version(version_id)
    if cl.id != current["checklist_key"]:
        raise DomainError(
            f"the checklist id is {cl.id!r}; this version belongs to {current['checklist_key']!r}",
            field="yaml",
        )
    if current["used"]:
        # A version that a plan pins is frozen (scores must stay reproducible).
        return await import_checklist(cl, actor, source=f"edit of version {version_id}")
    pinned = _as_version(cl, current["version"])
    async with engine().transaction():
        if await is_used(version_id):  # re-check inside the transaction
            return await import_checklist(cl, actor, source=f"edit of version {version_id}")
        await (
            ChecklistVersion.update(
                {
                    ChecklistVersion.title_zh: cl.title.zh,
                    ChecklistVersion.title_en: cl.title.en,
                    ChecklistVersion.applies_to: list(cl.applies_to),
                    ChecklistVersion.content: pinned.canonical(),
                    ChecklistVersion.content_hash: content_hash(pinned),
                    # no longer the shipped file's content (import_shipped reads this)
                    ChecklistVersion.source: f"edit of version {version_id}",
                }
            )
            .where(ChecklistVersion.id == version_id)
            .run()
        )
        after = await get_version(version_id)
        strip = ("content", "used")
        await record(
            actor,
            "checklist_version.update",
            "checklist_version",
            version_id,
            {k: v for k, v in current.items() if k not in strip},
            {k: v for k, v in after.items() if k not in strip},
        )
    return after, False
