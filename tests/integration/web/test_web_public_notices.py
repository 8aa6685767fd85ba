"""The public register: without login, only notices in force, with verify and PDF links."""

from __future__ import annotations

from typing import Any

from tests.public_notices_world import notices_in_every_state
from tests.web import form_login


async def test_anonymous_list_shows_only_published_notices(client: Any, cast: Any) -> None:
    n = await notices_in_every_state(cast)
    r = await client.get("/public/notices")
    assert r.status_code == 200
    for shown in ("issued_a", "issued_b"):
        assert f'data-number="{n[shown]["number"]}"' in r.text
        assert f"/verify/{n[shown]['token']}" in r.text
        assert f"/public/notices/{n[shown]['id']}/pdf" in r.text
    assert f'data-number="{n["revoked"]["number"]}"' not in r.text
    assert r.text.count("data-number=") == 2  # no draft, no approved-but-unissued notice
    assert "甲通信有限公司" in r.text and "乙通信有限公司" in r.text
    pdf = await client.get(f"/public/notices/{n['issued_a']['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for hidden in ("draft", "approved", "revoked"):
        r = await client.get(f"/public/notices/{n[hidden]['id']}/pdf")
        assert r.status_code == 404, hidden


async def test_linked_from_staff_and_operator_pages(client: Any, cast: Any) -> None:
    for name, page in (("supervisor", "/ui/notices"), ("op_a", "/ui/portal")):
        client.cookies.clear()
        await form_login(client, name)
        r = await client.get(page)
        assert r.status_code == 200 and 'href="/public/notices"' in r.text
