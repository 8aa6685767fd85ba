"""The embedded demo (``make run``) loads a mail contact for the demo operator and issues one
notice to it, once: the portal inbox and the local mailbox have something to show."""

from __future__ import annotations

from typing import Any


async def test_demo_issues_one_notice_once(db: str, monkeypatch: Any, tmp_path: Any) -> None:
    from audit.demo import load_demo_data
    from audit.domain.notices.tables import Notice
    from audit.domain.portal import items
    from audit.domain.portal.demo import DEMO_OPERATOR

    monkeypatch.setenv("AUDIT_DEMO_PASSWORD", "demo password for the test")
    await load_demo_data(None)  # type: ignore[arg-type]
    await load_demo_data(None)  # type: ignore[arg-type]  # a restart changes nothing
    from audit.domain.operators.services import find_operator

    op = await find_operator(DEMO_OPERATOR)
    assert op is not None and any(c.get("email") for c in op["contacts"])
    notices = await Notice.select(Notice.id, Notice.status).where(Notice.operator == op["id"])
    assert [n["status"] for n in notices] == ["issued"]
    assert len(await items.list_items(notice_id=notices[0]["id"])) == 3
