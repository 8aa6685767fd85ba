"""Venues: kinds, regions from GB/T 2260, phone numbers stored as E.164."""

from __future__ import annotations

from typing import Any


async def test_hotline_phones_become_e164_and_short_codes_kept_apart(
    client: Any, cast: Any
) -> None:
    body = {
        "kind": "hotline",
        "name": "客服热线",
        "region": "杭州",
        "phones": ["0571-8888 0001", "400-810-0000", "10086"],
    }
    r = await client.post(
        f"/operators/{cast.operator_a['id']}/venues", json=body, headers=cast.headers("admin")
    )
    assert r.status_code == 201, r.text
    venue = r.json()
    assert venue["phones"] == ["+8657188880001", "+864008100000"]
    assert venue["service_numbers"] == ["10086"]
    assert venue["region_code"] == "330100"


async def test_bad_phone_names_its_index(client: Any, cast: Any) -> None:
    body = {"kind": "hotline", "name": "热线", "phones": ["+8657188880001", "+86 12 345"]}
    r = await client.post(
        f"/operators/{cast.operator_a['id']}/venues", json=body, headers=cast.headers("admin")
    )
    assert r.status_code == 400
    assert r.json()["field"] == "phones[1]"


async def test_unknown_region_and_kind_are_rejected(client: Any, cast: Any) -> None:
    url = f"/operators/{cast.operator_a['id']}/venues"
    r = await client.post(
        url,
        json={"kind": "hotline", "name": "x", "region": "不存在市"},
        headers=cast.headers("admin"),
    )
    assert r.status_code == 400 and r.json()["field"] == "region"
    r = await client.post(url, json={"kind": "fax", "name": "x"}, headers=cast.headers("admin"))
    assert r.status_code == 400 and "kind" in r.text


async def test_operator_user_cannot_read_other_operators_venue(client: Any, cast: Any) -> None:
    r = await client.post(
        f"/operators/{cast.operator_b['id']}/venues",
        json={"kind": "business_hall", "name": "营业厅"},
        headers=cast.headers("admin"),
    )
    vid = r.json()["id"]
    assert (await client.get(f"/venues/{vid}", headers=cast.headers("op_b"))).status_code == 200
    assert (await client.get(f"/venues/{vid}", headers=cast.headers("op_a"))).status_code == 404
    r = await client.get(f"/operators/{cast.operator_b['id']}/venues", headers=cast.headers("op_a"))
    assert r.status_code == 404


async def test_region_lookup_by_code_and_name(client: Any, cast: Any) -> None:
    r = await client.get("/regions/440300", headers=cast.headers("analyst"))
    assert r.json()["name"] == "深圳市"
    r = await client.get("/regions", params={"q": "浙江省杭州市"}, headers=cast.headers("analyst"))
    assert [x["code"] for x in r.json()] == ["330100"]
    assert (await client.get("/regions/999999", headers=cast.headers("analyst"))).status_code == 404


async def test_patch_null_keeps_required_fields_and_clears_optional_ones(
    client: Any, cast: Any
) -> None:
    # {"active": null} was a 500 (NOT NULL constraint), found by the schemathesis run
    r = await client.post(
        f"/operators/{cast.operator_a['id']}/venues",
        json={"kind": "business_hall", "name": "营业厅", "address": "新街口 1 号"},
        headers=cast.headers("admin"),
    )
    vid = r.json()["id"]
    body = {"active": None, "name": None, "address": None, "sessions_per_day": None}
    r = await client.patch(f"/venues/{vid}", json=body, headers=cast.headers("admin"))
    assert r.status_code == 200, r.text
    venue = r.json()
    assert venue["active"] is True and venue["name"] == "营业厅"  # null: keep
    assert venue["address"] is None  # an optional field: null clears it
