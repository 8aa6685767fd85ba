"""Issuing: number (gap-free), render, sign, store — one transaction; then the status trail.

The number is allocated inside the transaction that renders, signs and records the notice:
a failure anywhere rolls the counter back, so numbers never skip; the counter row is locked
until commit, so concurrent issuers never share a number.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from pyhanko.sign.timestamps import TimestampRequestError

from audit.context import Actor
from audit.domain.auditlog.services import record
from audit.domain.notices import config, hooks
from audit.domain.notices.services import (
    APPROVERS,
    _now,
    _snapshot,
    load,
    require_role,
    write_tx,
)
from audit.domain.notices.tables import Notice, NoticeCounter
from audit.domain.plans import confidentiality
from audit.errors import DomainError, InvalidTransition, NotFound
from audit.notices import sign
from audit.notices.models import NoticeMeta, NoticeType, check_content, format_number
from audit.notices.render import render_notice
from audit.settings import Settings, get_settings

LIVE = ("issued", "delivered", "acknowledged")


async def allocate_number(notice_type: str, year: int) -> int:
    """Next number for (type, year). Call inside the issuing transaction only."""
    key = f"{notice_type}:{year}"
    rows = await NoticeCounter.raw(
        'INSERT INTO notice_counter ("key", "last") VALUES ({}, 1) '
        'ON CONFLICT ("key") DO UPDATE SET "last" = notice_counter."last" + 1 '
        'RETURNING "last"',
        key,
    ).run()
    return int(rows[0]["last"])


def store_pdf(pdf: bytes, settings: Settings) -> tuple[str, str]:
    """Write the issued PDF content-addressed and read-only; return (relative path, sha256)."""
    digest = hashlib.sha256(pdf).hexdigest()
    rel = f"{digest[:2]}/{digest}.pdf"
    path = config.notices_dir(settings) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pdf)
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    return rel, digest


def pdf_file(row: dict[str, Any], settings: Settings | None = None) -> Path:
    if not row.get("pdf_path"):
        raise NotFound(f"notice {row['id']} has no PDF (not issued)")
    return config.notices_dir(settings) / row["pdf_path"]


def _render_and_sign(
    ntype: NoticeType,
    meta: NoticeMeta,
    content: Any,
    signer: sign.NoticeSigner,
    zone: dt.tzinfo | None = None,
) -> bytes:
    rendered = render_notice(ntype, meta, content)
    return signer.sign(
        rendered.pdf,
        rendered.sig_page,
        rendered.sig_box,
        reason=f"{meta.number}",
        location=meta.authority,
        zone=zone,
    )


async def issue(
    notice_id: int,
    actor: Actor,
    settings: Settings | None = None,
    *,
    override: str | None = None,
) -> dict[str, Any]:
    """approved → issued: allocate the number, render, sign, store with SHA-256, record.

    Confidentiality rule 4 is checked again here (a plan's status or the draft's text may have
    changed since drafting): ``override`` is a supervisor's reason to issue anyway."""
    require_role(actor, APPROVERS, "issue notices")
    settings = settings or get_settings()
    try:
        signer = config.get_signer(settings)  # a bad key fails here, before any write
    except sign.SigningKeyError as exc:
        raise DomainError(str(exc), field="signing_key") from exc
    row = await load(notice_id)
    if row["status"] != "approved":
        raise InvalidTransition(
            f"notice {notice_id} is {row['status']}; issuing needs approved", field="status"
        )
    ntype = NoticeType(row["notice_type"])
    check = check_content(ntype, row["content"])
    if not check.ok:
        raise DomainError(
            f"notice {notice_id} content incomplete: {check.missing + check.invalid}",
            field="content",
        )
    today = dt.datetime.now(settings.zone).date()
    written: Path | None = None
    try:
        async with write_tx():
            claimed = await (
                Notice.update({Notice.status: "issued"})
                .where((Notice.id == notice_id) & (Notice.status == "approved"))
                .returning(Notice.id)
                .run()
            )
            if not claimed:  # a concurrent issue of the same notice won
                raise InvalidTransition(
                    f"notice {notice_id} is being issued or was issued", field="status"
                )
            granted = await confidentiality.check_may_address(
                actor, row["operator_id"], row["source"], row["content"], override=override
            )
            if granted is not None and confidentiality.OVERRIDE_KEY not in row["source"]:
                source = {**row["source"], confidentiality.OVERRIDE_KEY: granted}
                await Notice.update({Notice.source: source}).where(Notice.id == notice_id)
            old = await _check_superseded_target(row)
            seq = await allocate_number(ntype.value, today.year)
            number = format_number(ntype, today.year, seq)
            meta = NoticeMeta(
                authority=settings.authority_name,
                letterhead=settings.authority_name,
                number=number,
                addressee=row["addressee"],
                issue_date=today,
                verify_url=f"{settings.public_base_url.rstrip('/')}/verify/{row['token']}",
                token=row["token"],
                signer_name=signer.signer_name,
                test_key=signer.is_test,
                replaces=old["number"] if old is not None else None,
            )
            try:
                pdf = await asyncio.to_thread(
                    _render_and_sign, ntype, meta, check.model, signer, settings.zone
                )
            except TimestampRequestError as exc:  # B-T: no timestamp, no notice (rolled back)
                raise DomainError(f"timestamp authority failed: {exc}", field="tsa_url") from exc
            rel, digest = store_pdf(pdf, settings)
            written = config.notices_dir(settings) / rel
            await (
                Notice.update(
                    {
                        Notice.year: today.year,
                        Notice.seq: seq,
                        Notice.number: number,
                        Notice.issue_date: today,
                        Notice.pdf_path: rel,
                        Notice.sha256: digest,
                        Notice.signer: signer.signer_name,
                        Notice.signature_level: signer.level,
                        Notice.test_signature: signer.is_test,
                        Notice.issued_by: actor.id,
                        Notice.issued_at: _now(),
                    }
                )
                .where(Notice.id == notice_id)
                .run()
            )
            after = await load(notice_id)
            await record(
                actor, "notice.issue", "notice", notice_id, _snapshot(row), _snapshot(after)
            )
            if old is not None:
                await _mark_superseded(old, after, actor)
            await hooks.emit("issued", after, actor)
    except BaseException:
        if written is not None and written.exists():
            # rolled back: the file would be an orphan (content-addressed, so only ours)
            written.unlink(missing_ok=True)
        raise
    return after


async def _check_superseded_target(row: dict[str, Any]) -> dict[str, Any] | None:
    if row.get("supersedes") is None:
        return None
    old = await load(row["supersedes"])
    if old["status"] not in LIVE:
        raise InvalidTransition(
            f"notice {old['id']} is {old['status']}: it can no longer be superseded",
            field="supersedes",
        )
    return old


async def _mark_superseded(old: dict[str, Any], new: dict[str, Any], actor: Actor) -> None:
    n = await (
        Notice.update(
            {Notice.status: "superseded", Notice.superseded_by: new["id"], Notice.ended_at: _now()}
        )
        .where((Notice.id == old["id"]) & Notice.status.is_in(list(LIVE)))
        .returning(Notice.id)
        .run()
    )
    if not n:
        raise InvalidTransition(f"notice {old['id']} changed meanwhile", field="supersedes")
    after = await load(old["id"])
    await record(actor, "notice.supersede", "notice", old["id"], _snapshot(old), _snapshot(after))
    await hooks.emit("superseded", after, actor, superseded_by=new["id"])


async def create_correction(notice_id: int, actor: Actor) -> dict[str, Any]:
    """A new draft that will supersede ``notice_id`` when issued (content copied to edit)."""
    from audit.domain.notices.services import create_draft

    require_role(actor, APPROVERS, "correct notices")
    old = await load(notice_id)
    if old["status"] not in LIVE:
        raise InvalidTransition(
            f"notice {notice_id} is {old['status']}; only issued notices can be corrected",
            field="status",
        )
    source = {**old["source"], "corrects": old["number"]}
    return await create_draft(
        actor, old["notice_type"], old["operator_id"], old["content"], source, supersedes=notice_id
    )


async def revoke(notice_id: int, actor: Actor, reason: str) -> dict[str, Any]:
    require_role(actor, APPROVERS, "revoke notices")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("a reason is required to revoke a notice", field="reason")
    return await _trail(
        notice_id,
        actor,
        LIVE,
        "revoked",
        "revoke",
        {Notice.revoke_reason: reason, Notice.ended_at: _now()},
        event="revoked",
    )


async def mark_delivered(notice_id: int, actor: Actor) -> dict[str, Any]:
    """issued → delivered (the operator fetched it, or staff served it)."""
    return await _trail(
        notice_id, actor, ("issued",), "delivered", "deliver", {Notice.delivered_at: _now()}
    )


async def acknowledge(notice_id: int, actor: Actor, comment: str | None = None) -> dict[str, Any]:
    """issued|delivered → acknowledged, by a user of the addressed operator (with an optional
    comment, kept in the audit log and on the notice's receipts)."""
    row = await load(notice_id)
    if (
        not actor.is_operator
        or row["operator_id"] != actor.operator_id
        or row["status"] not in LIVE
    ):
        raise NotFound(f"notice {notice_id} not found")
    extra: dict[Any, Any] = {Notice.acknowledged_by: actor.id, Notice.acknowledged_at: _now()}
    if row["delivered_at"] is None:
        extra[Notice.delivered_at] = _now()
    comment = (comment or "").strip() or None
    after = await _trail(
        notice_id,
        actor,
        ("issued", "delivered"),
        "acknowledged",
        "acknowledge",
        extra,
        note={"comment": comment} if comment else None,
    )
    await hooks.emit("acknowledged", after, actor, comment=comment)
    return after


async def _trail(
    notice_id: int,
    actor: Actor,
    frm: tuple[str, ...],
    to: str,
    action: str,
    extra: dict[Any, Any],
    *,
    event: str | None = None,
    note: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from audit.domain.notices.services import transition

    return await transition(notice_id, actor, frm, to, action, extra, event=event, note=note)
