"""Notice drafts and reads: create, edit, approve, list — with the audit log on every write.

Issuing (numbering, render, sign, store), delivery, supersession and revocation are in
``issuing.py``; the verification registry in ``registry.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import string
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from audit.context import Actor
from audit.db import engine
from audit.domain.accounts import four_eyes
from audit.domain.accounts import roles as matrix
from audit.domain.auditlog.services import record
from audit.domain.notices.tables import ISSUED_STATUSES, Notice
from audit.domain.operators.tables import Operator
from audit.domain.plans import confidentiality
from audit.errors import DomainError, Forbidden, InvalidTransition, NotFound
from audit.notices.models import NoticeType, check_content

# Public verification ids: letters and digits only (24 of 62 ≈ 143 bits). A "-" or "_" read
# as a hyphenation or line-break point when the URL is printed or extracted (pdftotext joins a
# line ending in "-"); tokens issued before keep verifying (the path accepts both).
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 24


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


DRAFTERS = "notices.draft"  # role-matrix permissions (audit/domain/accounts/roles.py)
APPROVERS = "notices.approve"
PUBLIC_ADDRESSEE = "各电信业务经营者"


def write_tx() -> Any:
    """A write transaction; on SQLite BEGIN IMMEDIATE so concurrent writers queue up front
    instead of failing when a deferred reader tries to upgrade its lock."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def require_role(actor: Actor, permission: str, what: str) -> None:
    """The role matrix decides (the system actor may do everything)."""
    if not matrix.can(actor.role, permission):
        raise Forbidden(f"role {actor.role!r} may not {what}")


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("content", "source"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def with_missing(row: dict[str, Any]) -> dict[str, Any]:
    """Attach what is still missing/invalid in the content (empty once complete)."""
    check = check_content(row["notice_type"], row["content"] or {})
    row["missing"] = check.missing
    row["invalid"] = check.invalid
    return row


_FIELDS = [c for c in Notice._meta.columns if c._meta.name != "operator"]


async def load(notice_id: int) -> dict[str, Any]:
    row = (
        await Notice.select(*_FIELDS, Notice.operator.as_alias("operator_id"))
        .where(Notice.id == notice_id)
        .first()
        .run()
    )
    if row is None:
        raise NotFound(f"notice {notice_id} not found")
    return with_missing(_decode(row))


def visible_to(actor: Actor, row: dict[str, Any]) -> bool:
    """Operator users see only their own operator's issued notices (never drafts); see
    :func:`may_read` for the whole rule."""
    if not actor.is_operator:
        return True
    return row["operator_id"] == actor.operator_id and row["status"] in ISSUED_STATUSES


async def may_read(actor: Actor, row: dict[str, Any]) -> bool:
    """:func:`visible_to`, and for operator users the confidentiality rule: never a notice
    drawing on a covert plan that is not published (unless a supervisor's override is kept
    with it)."""
    if not visible_to(actor, row):
        return False
    return not actor.is_operator or await confidentiality.notice_released(row)


async def get_notice(notice_id: int, actor: Actor) -> dict[str, Any]:
    row = await load(notice_id)
    if not await may_read(actor, row):  # not theirs, not issued, withheld: 404 as missing
        raise NotFound(f"notice {notice_id} not found")
    return row


async def list_notices(
    actor: Actor,
    *,
    status: str | None = None,
    notice_type: str | None = None,
    operator_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    query = Notice.select(*_FIELDS, Notice.operator.as_alias("operator_id")).order_by(
        Notice.id, ascending=False
    )
    if actor.is_operator:
        query = query.where(
            (Notice.operator == actor.operator_id) & Notice.status.is_in(list(ISSUED_STATUSES))
        )
    if status:
        query = query.where(Notice.status == status)
    if notice_type:
        query = query.where(Notice.notice_type == notice_type)
    if operator_id is not None:
        query = query.where(Notice.operator == operator_id)
    rows = [with_missing(_decode(r)) for r in await query.limit(limit).offset(offset).run()]
    if actor.is_operator:
        rows = [r for r in rows if await confidentiality.notice_released(r)]
    return rows


async def _addressee(operator_id: int | None, notice_type: NoticeType) -> str:
    if operator_id is None:
        if notice_type != NoticeType.public_notice:
            raise DomainError("operator_id is required for this notice type", field="operator_id")
        return PUBLIC_ADDRESSEE
    op = (
        await Operator.select(Operator.name)
        .where(Operator._meta.primary_key == operator_id)
        .first()
        .run()
    )
    if op is None:
        raise DomainError(f"operator {operator_id} not found", field="operator_id")
    return str(op["name"])


async def create_draft(
    actor: Actor,
    notice_type: NoticeType | str,
    operator_id: int | None,
    content: dict[str, Any],
    source: dict[str, Any] | None = None,
    *,
    supersedes: int | None = None,
    token: str | None = None,
    override: str | None = None,
    source_field: str = "source",
) -> dict[str, Any]:
    """A new draft; content may be incomplete (``missing`` lists what approval still needs).

    ``token`` (the public verification id) is drawn at random unless given (tests seed it).
    A draft addressed to an operator that draws on a covert plan's work needs the plan
    published, or ``override`` (a supervisor's reason; confidentiality rule 4).
    """
    require_role(actor, DRAFTERS, "draft notices")
    try:
        ntype = NoticeType(notice_type)
    except ValueError as exc:
        raise DomainError(f"unknown notice type {notice_type!r}", field="notice_type") from exc
    addressee = await _addressee(operator_id, ntype)
    source = dict(source or {})
    # an inspector off a plan learns nothing of it, not even that it is withheld: 404 first
    referenced = await confidentiality.plans_referenced(source, content)
    await confidentiality.check_sees_plans(actor, referenced, source_field)
    async with write_tx():
        granted = await confidentiality.check_may_address(
            actor, operator_id, source, content, override=override, field=source_field
        )
        if granted is not None:
            source[confidentiality.OVERRIDE_KEY] = granted
        rows = (
            await Notice.insert(
                Notice(
                    token=token or new_token(),
                    notice_type=ntype.value,
                    status="draft",
                    operator=operator_id,
                    addressee=addressee,
                    content=content,
                    source=source,
                    supersedes=supersedes,
                    created_by=actor.id,
                )
            )
            .returning(Notice.id)
            .run()
        )
        row = await load(rows[0]["id"])
        await record(actor, "notice.draft", "notice", row["id"], None, _snapshot(row))
    return row


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "status",
        "notice_type",
        "operator_id",
        "number",
        "sha256",
        "content",
        "source",
        "supersedes",
        "superseded_by",
        "revoke_reason",
    )
    return {k: row.get(k) for k in keep}


TYPED_RANKING = (
    "a public quality notice's ranking and figures are computed from the data, not typed:"
    " draft it with POST /notices/public-report {period, scope} (its figures can then be"
    " edited before approval, every edit logged with before and after)"
)
# content fields of a public notice that only the public report may fill
COMPUTED_FIELDS = ("rows", "from_data")


def _given(value: Any) -> bool:
    return value not in (None, "", [], {}, False)


def refuse_typed_ranking(notice_type: str, content: dict[str, Any]) -> None:
    """POST /notices: a public notice may not bring its own ranking rows (issue 20)."""
    if notice_type != NoticeType.public_notice.value:
        return
    for name in COMPUTED_FIELDS:
        if _given(content.get(name)):
            raise DomainError(f"content.{name}: {TYPED_RANKING}", field=f"content.{name}")


def computed_from_data(row: dict[str, Any]) -> bool:
    """A public notice drafted by the public report (its source names the report)."""
    source = row.get("source") or {}
    return isinstance(source, dict) and isinstance(source.get("public_report"), dict)


def _refuse_typed_edit(before: dict[str, Any], content: dict[str, Any]) -> None:
    """A public notice not computed from data cannot gain ranking rows by an edit either."""
    if before["notice_type"] != NoticeType.public_notice.value or computed_from_data(before):
        return
    old = before["content"] or {}
    for name in COMPUTED_FIELDS:
        if _given(content.get(name)) and content.get(name) != old.get(name):
            raise DomainError(f"content.{name}: {TYPED_RANKING}", field=f"content.{name}")


async def update_draft(
    notice_id: int, actor: Actor, content: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Replace the editable content of a draft. Approved or issued notices are not editable."""
    require_role(actor, DRAFTERS, "edit notices")
    before = await load(notice_id)
    if before["status"] != "draft":
        raise InvalidTransition(
            f"notice {notice_id} is {before['status']}: only drafts can be edited", field="status"
        )
    if content is None:
        return before
    _refuse_typed_edit(before, content)
    async with write_tx():
        n = await (
            Notice.update({Notice.content: content})
            .where((Notice.id == notice_id) & (Notice.status == "draft"))
            .returning(Notice.id)
            .run()
        )
        if not n:
            raise InvalidTransition(f"notice {notice_id} is no longer a draft", field="status")
        after = await load(notice_id)
        old, new = content_changes(before["content"] or {}, after["content"] or {})
        await record(actor, "notice.edit", "notice", notice_id, {"content": old}, {"content": new})
    return after


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}[{i}]"))
        return out
    return {path: value}


def content_changes(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The edited fields only, by path (``rows[1].probes``), before and after. The whole
    content would be cut by the audit log's size bound on a long notice (a public report
    with its figures), losing exactly what the entry is for."""
    old, new = _leaves(before), _leaves(after)
    changed = sorted(k for k in old.keys() | new.keys() if old.get(k, _GONE) != new.get(k, _GONE))
    return (
        {k: old[k] for k in changed if k in old},
        {k: new[k] for k in changed if k in new},
    )


_GONE = object()


async def transition(
    notice_id: int,
    actor: Actor,
    frm: tuple[str, ...],
    to: str,
    action: str,
    extra: dict[Any, Any] | None = None,
    *,
    event: str | None = None,
    note: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Move a notice between statuses (audit-logged); ``event``: the notice hook to emit
    inside the same transaction; ``note``: extra facts for the audit entry (a comment)."""
    before = await load(notice_id)
    if before["status"] not in frm:
        raise InvalidTransition(
            f"notice {notice_id} is {before['status']}; {action} needs {' or '.join(frm)}",
            field="status",
        )
    async with write_tx():
        changes: dict[Any, Any] = {Notice.status: to, **(extra or {})}
        n = await (
            Notice.update(changes)
            .where((Notice.id == notice_id) & Notice.status.is_in(list(frm)))
            .returning(Notice.id)
            .run()
        )
        if not n:  # someone else moved it between our read and our write
            raise InvalidTransition(f"notice {notice_id} changed meanwhile", field="status")
        after = await load(notice_id)
        await record(
            actor,
            f"notice.{action}",
            "notice",
            notice_id,
            _snapshot(before),
            {**_snapshot(after), **(note or {})},
        )
        if event is not None:
            from audit.domain.notices import hooks

            await hooks.emit(event, after, actor)
    return after


async def approve(notice_id: int, actor: Actor) -> dict[str, Any]:
    """draft → approved, by a supervisor; refused while required data is missing."""
    require_role(actor, APPROVERS, "approve notices")
    row = await load(notice_id)
    if row["status"] == "draft" and (row["missing"] or row["invalid"]):
        detail = "; ".join(
            ([f"missing: {', '.join(row['missing'])}"] if row["missing"] else [])
            + ([f"invalid: {', '.join(row['invalid'])}"] if row["invalid"] else [])
        )
        raise DomainError(f"notice {notice_id} stays a draft — {detail}", field="content")
    async with write_tx():  # the waiver (one-person office) is logged with the approval
        await four_eyes.check(
            actor,
            entity="notice",
            entity_id=notice_id,
            action="approve",
            created_by=row["created_by"],
            edits="notice.edit",
        )
        return await transition(
            notice_id,
            actor,
            ("draft",),
            "approved",
            "approve",
            {Notice.approved_by: actor.id, Notice.approved_at: _now()},
        )


async def reopen(notice_id: int, actor: Actor) -> dict[str, Any]:
    """approved → draft, to edit again before issuing."""
    require_role(actor, APPROVERS, "reopen notices")
    return await transition(
        notice_id,
        actor,
        ("approved",),
        "draft",
        "reopen",
        {Notice.approved_by: None, Notice.approved_at: None},
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def create_self_inspection_draft(trigger: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Hook for the complaints domain (``audit.domain.complaints.followup.ORDER_HOOK``)."""
    from audit.domain.notices.drafts import create_self_inspection_draft as make

    return await make(trigger, actor)


async def withdraw_draft(notice_id: int, reason: str, actor: Actor) -> dict[str, Any]:
    """draft|approved → withdrawn, never issued (e.g. the complaint trigger that drafted a
    self-inspection order was superseded); the reason is in the audit entry."""
    return await transition(
        notice_id, actor, ("draft", "approved"), "withdrawn", "withdraw", note={"reason": reason}
    )


async def create_rectification_draft(inspection_id: int, actor: Actor) -> dict[str, Any]:
    """Hook for the plans/inspections domain."""
    from audit.domain.notices.drafts import create_rectification_draft as make

    return await make(inspection_id, actor)
