"""No request body or query can produce a 500: malformed JSON, wrong types, huge strings and
unknown fields sent to every write endpoint of the app (discovered from the OpenAPI schema, so
endpoints added later are covered too)."""

from __future__ import annotations

import re
from typing import Any

BAD_BODIES: list[tuple[str, bytes]] = [
    ("malformed json", b'{"name": '),
    ("not json", b"\xff\xfe\x00garbage"),
    ("json array", b"[1, 2, 3]"),
    ("json number", b"42"),
    ("json null", b"null"),
    ("wrong types", b'{"name": 5, "kind": [], "username": {}, "password": 1, "role": true}'),
    ("huge string", ('{"name": "' + "长" * 200_000 + '"}').encode()),
    ("unknown field", b'{"name": "x", "definitely_not_a_field": 1}'),
    ("deep nesting", b'{"a":' * 500 + b"1" + b"}" * 500),
]


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_no_write_endpoint_answers_500(client: Any, cast: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    problems = []
    checked = 0
    for path, ops in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method not in ops:
                continue
            for label, body in BAD_BODIES:
                r = await client.request(
                    method,
                    _fill(path),
                    content=body,
                    headers={**cast.headers("admin"), "Content-Type": "application/json"},
                )
                checked += 1
                if r.status_code >= 500:
                    problems.append(
                        f"{method.upper()} {path} [{label}] → {r.status_code} {r.text[:200]}"
                    )
    assert checked > 20
    assert not problems, "\n".join(problems)


async def test_bad_query_and_path_values_are_4xx(client: Any, cast: Any) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    problems = []
    for path, ops in schema["paths"].items():
        if "get" not in ops or path.startswith("/schema"):
            continue
        params = {
            p["name"]: "x" * 5000 for p in ops["get"].get("parameters", []) if p["in"] == "query"
        }
        params["unknown"] = "\x00"
        for value in ("99999999999999999999", "-1", "%00", "x" * 3000):
            url = re.sub(r"\{[^}]+\}", value, path)
            r = await client.get(url, params=params, headers=cast.headers("admin"))
            if r.status_code >= 500:
                problems.append(f"GET {url[:80]} → {r.status_code} {r.text[:200]}")
    assert not problems, "\n".join(problems)


async def test_validation_error_names_the_field(client: Any, cast: Any) -> None:
    r = await client.post(
        "/operators", json={"name": "x", "uscc": 12}, headers=cast.headers("admin")
    )
    assert r.status_code == 400
    assert "uscc" in r.text
