"""Numbers are gap-free per type and year: concurrent issuing never duplicates or skips,
and a failed issue gives its number back."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest

from audit.domain.notices import config, issuing, services
from audit.notices.models import NoticeType
from audit.settings import Settings
from tests.integration.notices.notice_helpers import full_content


async def _approved(cast: Any, n: int, ntype: NoticeType) -> list[int]:
    sup = cast.actor("supervisor")
    ids = []
    for _ in range(n):
        d = await services.create_draft(sup, ntype, cast.operator_a["id"], full_content(ntype))
        await services.approve(d["id"], cast.actor("admin"))  # four eyes: not the drafter
        ids.append(d["id"])
    return ids


async def test_concurrent_issuing_is_gap_free(cast: Any) -> None:
    sup = cast.actor("supervisor")
    rect = await _approved(cast, 8, NoticeType.rectification)
    orders = await _approved(cast, 3, NoticeType.self_inspection)
    results = await asyncio.gather(*(issuing.issue(i, sup) for i in rect + orders))
    seqs = sorted(r["seq"] for r in results if r["notice_type"] == "rectification")
    assert seqs == list(range(1, 9))
    assert sorted(r["seq"] for r in results if r["notice_type"] == "self_inspection") == [1, 2, 3]
    assert len({r["number"] for r in results}) == len(results)
    assert len({r["sha256"] for r in results}) == len(results)


async def test_same_notice_issued_twice_concurrently_once(cast: Any) -> None:
    sup = cast.actor("supervisor")
    (nid,) = await _approved(cast, 1, NoticeType.rectification)
    outcomes = await asyncio.gather(
        issuing.issue(nid, sup), issuing.issue(nid, sup), return_exceptions=True
    )
    ok = [o for o in outcomes if isinstance(o, dict)]
    assert len(ok) == 1 and ok[0]["seq"] == 1
    assert all(type(o).__name__ == "InvalidTransition" for o in outcomes if o not in ok)


async def test_failed_issue_returns_its_number(cast: Any, settings: Settings) -> None:
    sup = cast.actor("supervisor")
    first, second = await _approved(cast, 2, NoticeType.rectification)
    store = config.notices_dir(settings)
    shutil.rmtree(store, ignore_errors=True)
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("not a directory")  # storing the PDF fails after the number is taken
    try:
        with pytest.raises(OSError):
            await issuing.issue(first, sup)
    finally:
        store.unlink()
    assert (await services.load(first))["status"] == "approved"
    assert (await services.load(first))["number"] is None
    done = await issuing.issue(second, sup)
    assert done["seq"] == 1  # the failed attempt's number was rolled back
    assert (await issuing.issue(first, sup))["seq"] == 2
