"""The OpenAPI schema tells the truth (issue 16 item 21): every operation documents the errors
its guards, middlewares and handlers can answer, with one error body; bodies that refuse
unknown fields say so; a 204 has no body; path ids carry the bounds the validators enforce;
guarded operations name how to authenticate. The rules live in ``audit/openapi.py``; the
schemathesis run (``test_api_contract.py``) holds the app to them."""

from __future__ import annotations

from typing import Any

import pytest

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from audit.core import build_app

    return build_app().openapi_schema.to_schema()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_guarded_operations_document_401_403_and_their_auth(schema: dict[str, Any]) -> None:
    missing = []
    for method, path, op in _operations(schema):
        if path in ("/health", "/verify/{token}", "/notices/verify/{token}", "/notices/verify"):
            continue
        if path.startswith(("/webhooks/twilio", "/webhooks/chat", "/auth/login")):
            continue
        codes = set(op["responses"])
        if not {"401", "403"} <= codes or op.get("security") != [{"bearer": []}, {"session": []}]:
            missing.append(f"{method.upper()} {path}: {sorted(codes)} {op.get('security')}")
    assert len(_operations(schema)) > 100
    assert not missing, "\n".join(missing)
    assert set(schema["components"]["securitySchemes"]) == {"bearer", "session"}


def test_every_operation_documents_its_error_statuses(schema: dict[str, Any]) -> None:
    problems = []
    for method, path, op in _operations(schema):
        codes = set(op["responses"])
        expected = {"400", "503"}
        if "{" in path:
            expected.add("404")
        if method != "get":
            expected |= {"403", "409"}
        body = op.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            expected |= {"413", "415"}
        if not expected <= codes:
            problems.append(f"{method.upper()} {path}: lacks {sorted(expected - codes)}")
        for code, response in op["responses"].items():
            if code.startswith("4") and path != "/health":
                ref = response["content"]["application/json"]["schema"].get("$ref", "")
                if not ref.endswith("/ErrorOut"):
                    problems.append(f"{method.upper()} {path} {code}: body {ref or 'inline'}")
    assert not problems, "\n".join(problems)
    login = schema["paths"]["/auth/login"]["post"]["responses"]
    assert {"401", "429"} <= set(login)


def test_every_response_names_its_media_type(schema: dict[str, Any]) -> None:
    from audit.domain.campaigns.controllers import CSV, XLSX
    from audit.domain.evidence.sniff import STORED_MEDIA_TYPES

    unnamed = [
        f"{method.upper()} {path} {code}: {media!r}"
        for method, path, op in _operations(schema)
        for code, response in op["responses"].items()
        for media in response.get("content") or {}
        if media.count("/") != 1
    ]
    assert not unnamed, "\n".join(unnamed)  # a File was documented under ""

    def served(method: str, path: str) -> set[str]:
        return set(schema["paths"][path][method]["responses"]["200"]["content"])

    pdf = schema["paths"]["/notices/{notice_id}/pdf"]["get"]["responses"]["200"]
    assert "format" not in pdf["headers"]["last-modified"]["schema"]  # an HTTP-date, not RFC 3339
    assert served("get", "/notices/{notice_id}/pdf") == {"application/pdf"}
    assert served("get", "/campaigns/{campaign_id}/statistics/export") == {CSV, XLSX}  # not JSON
    files = set(STORED_MEDIA_TYPES)
    assert served("get", "/evidence/{evidence_id}/content") == files
    assert served("get", "/findings/{finding_id}/files/{evidence_id}/content") == files


def test_logout_204_has_no_body(schema: dict[str, Any]) -> None:
    response = schema["paths"]["/auth/logout"]["post"]["responses"]["204"]
    assert not response.get("content")


def test_bodies_that_refuse_extra_fields_say_so(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    loose = []
    for _, path, op in _operations(schema):
        for content in op.get("requestBody", {}).get("content", {}).values():
            ref = content["schema"].get("$ref")
            if ref is not None:
                name = ref.rsplit("/", 1)[-1]
                if components[name].get("additionalProperties") is not False:
                    loose.append(f"{path}: {name}")
    assert not loose, "\n".join(loose)


def test_path_ids_are_bounded(schema: dict[str, Any]) -> None:
    unbounded = []
    for method, path, op in _operations(schema):
        for p in op.get("parameters", []):
            s = p["schema"]
            if p["in"] == "path" and s.get("type") == "integer":
                low = s.get("minimum", s.get("exclusiveMinimum", -1) + 1)
                if not (low >= 1 and s.get("maximum", 2**63) <= 2**31 - 1):
                    unbounded.append(f"{method.upper()} {path} {p['name']}: {s}")
    assert not unbounded, "\n".join(unbounded)
