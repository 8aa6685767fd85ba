"""Every date on a notice is in the regulator's zone (AUDIT_TIMEZONE, Asia/Shanghai): an
inspection at 02:20 on 3 Dec Shanghai time (18:20 UTC on 2 Dec) prints as 3 Dec (issue 16
item 17)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from audit.domain.inspections.tables import Inspection
from audit.domain.notices import drafts, issuing, services
from tests.integration.notices.notice_helpers import submitted_inspection
from tests.integration.plans.world import build_world
from tests.unit.notices.pdftools import pdftotext

SHANGHAI_0220_3DEC = dt.datetime(2026, 12, 2, 18, 20, tzinfo=dt.UTC)


async def _inspection_at_0220(client: Any, cast: Any) -> int:
    world = await build_world(cast)
    iid = await submitted_inspection(client, world)
    await Inspection.update(
        {Inspection.started_at: SHANGHAI_0220_3DEC, Inspection.submitted_at: SHANGHAI_0220_3DEC}
    ).where(Inspection.id == iid)
    return iid


def _text(row: dict[str, Any]) -> str:
    return "".join(pdftotext(issuing.pdf_file(row).read_bytes()).split())


async def test_rectification_dates_are_shanghai_dates(
    client: Any, cast: Any, settings: Any
) -> None:
    assert settings.timezone == "Asia/Shanghai"
    iid = await _inspection_at_0220(client, cast)
    insp, sup = cast.actor("inspector2"), cast.actor("supervisor")
    draft = await drafts.create_rectification_draft(iid, insp, deadline=dt.date(2026, 12, 31))
    assert draft["content"]["inspected_on"] == "2026年12月3日"
    content = draft["content"]
    for f in content["findings"]:
        f["rectification"] = "张贴资费标准。"
    await services.update_draft(draft["id"], insp, content)
    await services.approve(draft["id"], sup)
    issued = await issuing.issue(draft["id"], sup)
    text = _text(issued)
    assert "我局于2026年12月3日对你单位" in text
    assert "2026年12月2日" not in text
    # the signature stamp's time is the regulator's too (not the server's UTC)
    assert re.search(r"Time:\d{4}-\d\d-\d\d\d\d:\d\d:\d\dUTC\+08:00", text), text


async def test_findings_report_period_is_a_shanghai_date(client: Any, cast: Any) -> None:
    iid = await _inspection_at_0220(client, cast)
    draft = await drafts.create_findings_report_draft(iid, cast.actor("supervisor"))
    assert draft["content"]["period"] == "2026年12月3日"
