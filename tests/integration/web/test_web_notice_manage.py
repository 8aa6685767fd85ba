"""The notice management page: edit a draft's content (bad JSON named inline, every save in the
audit log), preview its pages as PNG images (pdftoppm) before approval, approve, issue, revoke
with a reason; the history lists each step."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from tests.web import form_login, post_form


async def test_edit_preview_approve_issue_revoke(client: Any, cast: Any) -> None:
    from audit.domain.notices import services
    from audit.notices import demo

    content = demo.rectification(long=False).model_dump(mode="json")
    content.pop("deadline", None)
    draft = await services.create_draft(
        cast.actor("inspector1"), "rectification", cast.operator_a["id"], content
    )
    nid = draft["id"]
    await form_login(client, "inspector1")
    page = await client.get(f"/ui/notices/{nid}/manage")
    assert page.status_code == 200 and "<code>deadline</code>" in page.text
    assert 'id="preview"' not in page.text  # incomplete: nothing to preview yet
    r = await post_form(client, f"/ui/notices/{nid}/manage/content", {"content": "{not json"})
    assert r.status_code == 422 and 'id="e-content"' in r.text
    content["deadline"] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = await post_form(client, f"/ui/notices/{nid}/manage/content",
                        {"content": json.dumps(content, ensure_ascii=False)},
                        follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = await client.get(f"/ui/notices/{nid}/manage")
    images = re.findall(rf'src="(/ui/notices/{nid}/preview/\d+)"', page.text)
    assert images
    png = await client.get(images[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert (await client.get(f"/ui/notices/{nid}/preview/99")).status_code == 404
    r = await post_form(client, f"/ui/notices/{nid}/manage/approve", {}, follow_redirects=False)
    assert r.status_code == 403  # inspectors draft; supervisors decide

    client.cookies.clear()
    await form_login(client, "supervisor")
    for action in ("approve", "issue"):
        r = await post_form(client, f"/ui/notices/{nid}/manage/{action}", {},
                            follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, (action, r.text)
    page = await client.get(f"/ui/notices/{nid}/manage")
    assert re.search(r'id="notice-status">issued<', page.text)
    assert 'id="registry-status">authentic' in page.text
    r = await post_form(client, f"/ui/notices/{nid}/manage/revoke", {"reason": " "})
    assert r.status_code == 422  # a reason is required
    r = await post_form(client, f"/ui/notices/{nid}/manage/revoke", {"reason": "对象有误"},
                        follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = await client.get(f"/ui/notices/{nid}/manage")
    assert 'id="revoke-reason">对象有误<' in page.text
    assert 'id="registry-status">revoked' in page.text
    for code in ("notice.draft", "notice.edit", "notice.approve", "notice.issue", "notice.revoke"):
        assert f"<code>{code}</code>" in page.text
