"""draft → approved → issued (numbered, signed, stored, immutable), every step audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
from typing import Any

import pytest

from audit.domain.auditlog.services import entries
from audit.domain.notices import issuing, services
from audit.errors import DomainError, Forbidden, InvalidTransition
from audit.notices.models import NoticeType
from tests.integration.notices.notice_helpers import full_content

LIFECYCLE_TOKEN = "Lc-4xQ_9z-Tk2-Ww7_dash-"


async def test_full_lifecycle(cast: Any, settings: Any) -> None:
    insp, sup = cast.actor("inspector1"), cast.actor("supervisor")
    partial = full_content(NoticeType.rectification)
    del partial["deadline"]
    partial["findings"][0]["rectification"] = ""
    # a fixed token (with the "-" and "_" older tokens may hold): the test is deterministic
    draft = await services.create_draft(
        insp,
        NoticeType.rectification,
        cast.operator_a["id"],
        partial,
        {"inspection_id": 42},
        token=LIFECYCLE_TOKEN,
    )
    assert draft["token"] == LIFECYCLE_TOKEN
    assert draft["status"] == "draft" and draft["number"] is None
    assert draft["missing"] == ["findings[0].rectification", "deadline"]

    # missing data: approval refused, the notice stays a draft and says what is missing
    with pytest.raises(DomainError, match=r"stays a draft — missing: findings\[0\]"):
        await services.approve(draft["id"], sup)
    assert (await services.load(draft["id"]))["status"] == "draft"

    # inspectors draft, they don't approve
    with pytest.raises(Forbidden):
        await services.approve(draft["id"], insp)

    edited = await services.update_draft(draft["id"], insp, full_content(NoticeType.rectification))
    assert edited["missing"] == [] and edited["invalid"] == []
    approved = await services.approve(draft["id"], sup)
    assert approved["status"] == "approved"
    with pytest.raises(InvalidTransition):
        await services.update_draft(draft["id"], insp, partial)

    issued = await issuing.issue(draft["id"], sup)
    year = dt.datetime.now(settings.zone).year
    assert issued["status"] == "issued"
    assert issued["number"] == f"整改〔{year}〕第0001号"
    assert issued["signature_level"] == "B-B"
    pdf = issuing.pdf_file(issued).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == issued["sha256"]
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(issuing.pdf_file(issued)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert issued["number"] in text and cast.operator_a["name"] in text
    assert f"/verify/{issued['token']}" in text
    sig = subprocess.run(
        ["pdfsig", str(issuing.pdf_file(issued))], capture_output=True, text=True
    ).stdout
    assert "Signature is Valid." in sig

    # immutable: no edits, no second issue
    with pytest.raises(InvalidTransition):
        await services.update_draft(draft["id"], insp, partial)
    with pytest.raises(InvalidTransition):
        await issuing.issue(draft["id"], sup)

    actions = [e["action"] for e in await entries(entity="notice", entity_id=str(draft["id"]))]
    assert actions == ["notice.issue", "notice.approve", "notice.edit", "notice.draft"]


async def test_public_notice_has_no_operator(cast: Any) -> None:
    sup = cast.actor("supervisor")
    draft = await services.create_draft(
        sup, NoticeType.public_notice, None, full_content(NoticeType.public_notice)
    )
    assert draft["addressee"] == services.PUBLIC_ADDRESSEE
    # new verification tokens are letters and digits: nothing to hyphenate or wrap at
    assert re.fullmatch(r"[A-Za-z0-9]{24}", draft["token"])
    with pytest.raises(DomainError, match="operator_id is required"):
        await services.create_draft(sup, NoticeType.rectification, None, {})
    with pytest.raises(DomainError, match="unknown notice type"):
        await services.create_draft(sup, "memo", cast.operator_a["id"], {})


async def test_revoke_needs_reason_and_is_audited(cast: Any) -> None:
    from tests.integration.notices.notice_helpers import issued_notice

    sup = cast.actor("supervisor")
    n = await issued_notice(cast)
    with pytest.raises(DomainError, match="reason"):
        await issuing.revoke(n["id"], sup, "  ")
    revoked = await issuing.revoke(n["id"], sup, "事实认定有误")
    assert revoked["status"] == "revoked" and revoked["revoke_reason"] == "事实认定有误"
    with pytest.raises(InvalidTransition):
        await issuing.revoke(n["id"], sup, "again")
    last = (await entries(entity="notice", entity_id=str(n["id"])))[0]
    assert last["action"] == "notice.revoke" and last["after"]["status"] == "revoked"


async def test_correction_supersedes_on_issue(cast: Any) -> None:
    sup = cast.actor("supervisor")
    from tests.integration.notices.notice_helpers import issued_notice

    old = await issued_notice(cast)
    fix = await issuing.create_correction(old["id"], sup)
    assert fix["status"] == "draft" and fix["supersedes"] == old["id"]
    assert (await services.load(old["id"]))["status"] == "issued"  # until the fix is issued
    await services.approve(fix["id"], cast.actor("admin"))  # four eyes: sup drafted it
    new = await issuing.issue(fix["id"], sup)
    old_after = await services.load(old["id"])
    assert old_after["status"] == "superseded" and old_after["superseded_by"] == new["id"]
    assert new["seq"] == old["seq"] + 1
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(issuing.pdf_file(new)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"更正并替代{old['number']}" in "".join(text.split())
