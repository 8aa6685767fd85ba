"""Four eyes: whoever approves a notice or a plan must not be the one who wrote it.

"Wrote" means created it or edited its content (edits are in the audit log, which is
append-only, so the authors can't be rewritten). A one-person office turns the rule off with
``AUDIT_FOUR_EYES=false``; then every approval that the rule would have refused is allowed and
logged as ``<entity>.four_eyes_waived`` in the same transaction as the approval.
"""

from __future__ import annotations

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.auditlog.tables import AuditEntry
from audit.errors import Forbidden
from audit.settings import Settings, get_settings


async def authors(entity: str, entity_id: int, created_by: int | None, edits: str) -> set[int]:
    """The users who created the record or made an ``edits`` audit entry on it."""
    rows = await AuditEntry.select(AuditEntry.actor_id).where(
        (AuditEntry.entity == entity)
        & (AuditEntry.entity_id == str(entity_id))
        & (AuditEntry.action == edits)
    )
    found = {int(r["actor_id"]) for r in rows if r["actor_id"] is not None}
    return found | ({created_by} if created_by is not None else set())


async def reason(
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: str,
    created_by: int | None,
    edits: str,
    settings: Settings | None = None,
) -> str | None:
    """Why ``actor`` may not ``action`` the record (they wrote it), or None. With the rule
    waived (``AUDIT_FOUR_EYES=false``) always None: see :func:`check` for the log entry."""
    if actor.id is None or not (settings or get_settings()).four_eyes:
        return None
    wrote = await authors(entity, entity_id, created_by, edits)
    if actor.id not in wrote:
        return None
    role = "drafted" if actor.id == created_by else "edited"
    return (
        f"four eyes: you {role} {_noun(entity)} {entity_id}; another user must {action} it "
        "(a one-person office sets AUDIT_FOUR_EYES=false)"
    )


async def check(
    actor: Actor,
    *,
    entity: str,
    entity_id: int,
    action: str,
    created_by: int | None,
    edits: str,
    settings: Settings | None = None,
) -> None:
    """Refuse (403) ``actor`` approving what they wrote, or log the waiver when the office
    runs with one person. Call inside the approval's transaction."""
    if actor.id is None:  # the system actor (CLI, jobs) approves nothing of its own
        return
    settings = settings or get_settings()
    why = await reason(
        actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        created_by=created_by,
        edits=edits,
        settings=settings,
    )
    if why is not None:
        raise Forbidden(why, field="four_eyes")
    if settings.four_eyes:
        return
    wrote = await authors(entity, entity_id, created_by, edits)
    if actor.id in wrote:
        after = {
            "action": action,
            "approver": actor.id,
            "authors": sorted(wrote),
            "setting": "AUDIT_FOUR_EYES=false",
        }
        await record(actor, f"{_noun(entity)}.four_eyes_waived", entity, entity_id, None, after)


def _noun(entity: str) -> str:
    return entity.removeprefix("audit_")
