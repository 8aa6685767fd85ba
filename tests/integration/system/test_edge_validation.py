"""Bad input is refused at the edge with a 400 naming the field, never a 500 (issue 16 item 10).

* a NUL character in any text field of any write endpoint (found from the OpenAPI schema,
  so endpoints added later are covered) and in any query parameter — PostgreSQL cannot store
  NUL in text, so these were 500s there;
* received/observed dates before 2000 or more than a day ahead (``received_at: 0001-01-01``
  was a 500), plan and schedule dates outside 2000–2099;
* ``margin=1e-300`` for the sample size (a division by zero);
* and every route's request body model derives from the shared base that does the NUL check.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any

import pytest

from audit.validation import ApiIn

NUL = "a\x00b"


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    for key in ("oneOf", "anyOf"):  # Optional[...] → the non-null member
        for option in node.get(key, []):
            option = _resolve(schema, option)
            if option.get("type") != "null":
                return option
    return node


def _string_fields(schema: dict[str, Any], body: dict[str, Any]) -> list[str]:
    node = _resolve(schema, body)
    return [
        name
        for name, prop in node.get("properties", {}).items()
        if _resolve(schema, prop).get("type") == "string"
    ]


def test_every_body_model_derives_from_the_shared_base() -> None:
    from audit.core import build_app

    app = build_app()
    bodies = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                models = [t for t in typing.get_args(data.annotation) if t is not type(None)]
                bodies.extend((route.path, m) for m in models or [data.annotation])
    assert len(bodies) > 20
    wrong = [f"{path}: {model}" for path, model in bodies if not issubclass(model, ApiIn)]
    assert not wrong, "request bodies must derive from audit.validation.ApiIn:\n" + "\n".join(wrong)


async def test_nul_in_any_text_field_is_400_naming_it(client: Any, cast: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    problems: list[str] = []
    checked = 0
    for path, ops in schema["paths"].items():
        for method in ("post", "put", "patch"):
            content = ops.get(method, {}).get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            if body is None:
                continue
            for name in _string_fields(schema, body):
                for who in ("admin", "inspector1", "op_a"):  # a role the route lets through
                    r = await client.request(
                        method, _fill(path), json={name: NUL}, headers=cast.headers(who)
                    )
                    if r.status_code != 403:
                        break
                checked += 1
                keys = (
                    [e.get("key") for e in r.json().get("extra", [])]
                    if r.status_code == 400
                    else []
                )
                if r.status_code != 400 or name not in keys:
                    problems.append(
                        f"{method.upper()} {path} {name}: {r.status_code} {r.text[:160]}"
                    )
    assert checked > 40
    assert not problems, "\n".join(problems)


async def test_nul_in_query_and_path_is_400(client: Any, cast: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    problems = []
    for path, ops in schema["paths"].items():
        if "get" not in ops or path.startswith("/schema"):
            continue
        for p in ops["get"].get("parameters", []):
            if p["in"] != "query":
                continue
            r = await client.get(
                _fill(path), params={p["name"]: NUL}, headers=cast.headers("admin")
            )
            if r.status_code != 400:
                problems.append(f"GET {path}?{p['name']}=NUL → {r.status_code} {r.text[:120]}")
            elif r.json().get("field") not in (p["name"], None):
                problems.append(f"GET {path}?{p['name']}=NUL names {r.json().get('field')}")
    # a matched route with a text path parameter (an unmatched path is a plain 404)
    r = await client.get("/regions/11%00", headers=cast.headers("admin"))
    assert r.status_code == 400, r.text
    assert not problems, "\n".join(problems)


async def test_the_issue_examples(client: Any, cast: Any) -> None:
    h = cast.headers("admin")
    r = await client.post("/users", headers=h, json={
        "username": "newbie", "password": "a long enough password", "role": "inspector",
        "display_name": "新\x00人"})  # fmt: skip
    assert r.status_code == 400 and "display_name" in r.text and "NUL" in r.text, r.text
    r = await client.post("/auth/tokens", headers=h, json={"name": "ci\x00"})
    assert r.status_code == 400 and "NUL" in r.text, r.text
    r = await client.post("/operators", headers=h, json={"name": "x", "contacts": [{"name": NUL}]})
    assert r.status_code == 400 and "contacts[0].name" in r.text, r.text
    r = await client.get("/campaigns/sample-size", params={"margin": "1e-300"}, headers=h)
    assert r.status_code == 400 and "margin" in r.text, r.text
    r = await client.get(
        "/campaigns/sample-size", params={"margin": "0.05", "confidence": "0.9999999999999999"},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 400 and "confidence" in r.text, r.text
    r = await client.get("/campaigns/sample-size", params={"margin": "0.05"}, headers=h)
    assert r.status_code == 200 and r.json()["runs_needed"] == 385


@pytest.mark.parametrize(
    "received_at",
    ["0001-01-01", "1999-12-31", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-05:00",
     (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date().isoformat()],
)  # fmt: skip
async def test_received_at_out_of_range(client: Any, cast: Any, received_at: str) -> None:
    body = {"external_id": "x1", "operator": cast.operator_a["name"], "region": "330100",
            "issue": "billing", "received_at": received_at}  # fmt: skip
    r = await client.post("/complaints", json=body, headers=cast.headers("admin"))
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "received_at"
    assert "before 2000" in r.text or "in the future" in r.text


async def test_plan_and_schedule_dates(client: Any, cast: Any) -> None:
    h = cast.headers("admin")
    body = {"name": "p", "operator_id": cast.operator_a["id"], "method": "open",
            "sampling": "comprehensive", "checklist_version_ids": [1],
            "window_start": "0001-01-01T00:00:00+08:00", "window_end": "9999-12-31T00:00:00-05:00"}  # fmt: skip
    r = await client.post("/plans", json=body, headers=h)
    assert r.status_code == 400, r.text
    keys = {e["key"] for e in r.json()["extra"]}
    assert {"window_start", "window_end"} <= keys, r.text
    r = await client.post("/probe-analysis/greeting", headers=h,
                          json={"text": "您好", "at": "0001-01-01T00:00:00Z"})  # fmt: skip
    assert r.status_code == 400 and "at" in {e["key"] for e in r.json()["extra"]}, r.text
