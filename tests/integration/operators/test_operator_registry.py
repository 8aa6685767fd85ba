"""Operators: USCC checksum, uniqueness, and operator users limited to their own record."""

from __future__ import annotations

from typing import Any

UNICOM = "91110000710939135P"  # 中国联合网络通信有限公司, a real published code


async def test_create_operator_with_valid_uscc(client: Any, cast: Any) -> None:
    body = {
        "name": "中国联合网络通信有限公司",
        "uscc": UNICOM.lower(),
        "contacts": [{"name": "张三", "phone": "010-66258899", "email": "a@b.cn"}],
    }
    r = await client.post("/operators", json=body, headers=cast.headers("supervisor"))
    assert r.status_code == 201, r.text
    assert r.json()["uscc"] == UNICOM


async def test_bad_uscc_checksum_is_400_naming_uscc(client: Any, cast: Any) -> None:
    bad = UNICOM[:-1] + "Q"
    r = await client.post(
        "/operators", json={"name": "X", "uscc": bad}, headers=cast.headers("admin")
    )
    assert r.status_code == 400
    assert "uscc" in r.text


async def test_duplicate_name_is_409(client: Any, cast: Any) -> None:
    r = await client.post(
        "/operators", json={"name": cast.operator_a["name"]}, headers=cast.headers("admin")
    )
    assert r.status_code == 409 and r.json()["field"] == "name"


async def test_operator_user_sees_only_own_operator_and_404_for_others(
    client: Any, cast: Any
) -> None:
    r = await client.get("/operators", headers=cast.headers("op_a"))
    assert [o["id"] for o in r.json()] == [cast.operator_a["id"]]
    r = await client.get(f"/operators/{cast.operator_b['id']}", headers=cast.headers("op_a"))
    assert r.status_code == 404
    missing = await client.get("/operators/999999", headers=cast.headers("op_a"))
    assert missing.status_code == 404
    assert r.json()["detail"].replace(str(cast.operator_b["id"]), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")  # same answer: existence is not revealed


async def test_update_operator_is_audited(client: Any, cast: Any) -> None:
    oid = cast.operator_a["id"]
    r = await client.patch(
        f"/operators/{oid}", json={"name": "甲通信股份有限公司"}, headers=cast.headers("admin")
    )
    assert r.status_code == 200
    log = await client.get(
        "/audit-log",
        params={"entity": "operator", "entity_id": str(oid)},
        headers=cast.headers("admin"),
    )
    actions = [e["action"] for e in log.json()]
    assert "operator.update" in actions
    entry = next(e for e in log.json() if e["action"] == "operator.update")
    assert (
        entry["before"]["name"] == "甲通信有限公司"
        and entry["after"]["name"] == "甲通信股份有限公司"
    )
    assert entry["actor"] == "admin"
