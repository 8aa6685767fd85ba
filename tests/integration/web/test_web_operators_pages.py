"""Operators and venues in the browser's forms: the registry's validators answer inline, at
save time, naming the field; a valid form saves through the same service as the API."""

from __future__ import annotations

import re
from typing import Any

from tests.web import form_login, post_form


def _field_error(html: str, name: str) -> str:
    found = re.search(rf'id="e-{name}">([^<]*)<', html)
    assert found, f"no inline error for {name}"
    return found.group(1)


async def test_create_operator_with_a_bad_uscc_shows_the_checksum_error_inline(
    client: Any, cast: Any
) -> None:
    from audit.domain.operators.uscc import uscc_check_char

    await form_login(client, "supervisor")
    body = "91320100MA1X0Y2W3"
    wrong = "0" if uscc_check_char(body) != "0" else "1"
    r = await post_form(
        client, "/ui/operators/new", {"name": "丙通信有限公司", "uscc": body + wrong}
    )
    assert r.status_code == 422
    assert "checksum" in _field_error(r.text, "uscc")
    assert 'value="丙通信有限公司"' in r.text  # what was typed is kept
    r = await post_form(
        client,
        "/ui/operators/new",
        {
            "name": "丙通信有限公司",
            "uscc": body + uscc_check_char(body),
            "contacts": "张三 | 经理 | +862584001234 | z@example.cn",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    detail = await client.get(r.headers["location"])
    assert "丙通信有限公司" in detail.text and "张三" in detail.text


async def test_duplicate_operator_name_is_reported_on_the_name_field(
    client: Any, cast: Any
) -> None:
    await form_login(client, "admin")
    r = await post_form(client, "/ui/operators/new", {"name": cast.operator_a["name"]})
    assert r.status_code == 422
    assert _field_error(r.text, "name")


async def test_venue_form_reports_bad_numbers_urls_and_chat_profiles_inline(
    client: Any, cast: Any
) -> None:
    await form_login(client, "supervisor")
    url = f"/ui/operators/{cast.operator_a['id']}/venues/new"
    r = await post_form(client, url, {"kind": "hotline", "name": "热线", "phones": "+8610010000"})
    assert r.status_code == 422 and "phone" in _field_error(r.text, "phones")
    r = await post_form(client, url, {"kind": "web_chat", "name": "在线客服", "urls": "ftp://x"})
    assert r.status_code == 422 and _field_error(r.text, "urls")
    # a chat profile the probe could not drive is refused now, not at the first probe
    r = await post_form(
        client,
        url,
        {
            "kind": "web_chat",
            "name": "在线客服",
            "urls": "https://chat.example.cn/",
            "profile": "input: '#msg'\n",
        },
    )
    assert r.status_code == 422
    assert "messages" in _field_error(r.text, "profile")
    r = await post_form(client, url, {"kind": "web_chat", "name": "在线客服", "profile": "a: [1"})
    assert r.status_code == 422 and "YAML" in _field_error(r.text, "profile")
    profile = "input: '#msg'\nmessages: '#log'\nagent_message: '.agent'\ncustomer_message: '.me'\n"
    r = await post_form(
        client,
        url,
        {
            "kind": "web_chat",
            "name": "在线客服",
            "urls": "https://chat.example.cn/",
            "profile": profile,
            "region": "南京市",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    from audit.domain.operators.tables import Venue

    row = (
        await Venue.select(Venue.profile, Venue.region_code).where(Venue.name == "在线客服").first()
    )
    assert row is not None and row["region_code"] == "320100"


async def test_the_api_refuses_the_same_bad_chat_profile(client: Any, cast: Any) -> None:
    r = await client.post(
        f"/operators/{cast.operator_a['id']}/venues",
        json={
            "kind": "chat_api",
            "name": "接口",
            "profile": {"base_url": "https://api.example.cn"},
        },
        headers=cast.headers("admin"),
    )
    assert r.status_code == 400 and r.json()["field"] == "profile"
    assert "webhook_secret" in r.json()["detail"]


async def test_search_and_htmx_fragment(client: Any, cast: Any) -> None:
    await form_login(client, "analyst")
    r = await client.get("/ui/operators", params={"q": "甲"})
    assert cast.operator_a["name"] in r.text and cast.operator_b["name"] not in r.text
    assert "/ui/operators/new" not in r.text  # analysts read only
    fragment = await client.get("/ui/operators", params={"q": "乙"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and cast.operator_b["name"] in fragment.text
    r = await client.get("/ui/operators/new", follow_redirects=False)
    assert r.status_code == 403
