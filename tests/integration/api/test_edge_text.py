"""Server errors schemathesis found, refused at the shared edge with a 400 naming the field
(issue 16 item 21): a C1 control character in checklist YAML (PyYAML's reader refuses it before
parsing, outside the error handling: a 500), a row id beyond the 32-bit range of PostgreSQL's
id columns, and a lone UTF-16 surrogate in any text of a body model (JSON bodies are refused
by the decoder already; a model filled from anywhere else must not let one through to an
encoder), and a blank forbidden phrase to score a greeting with (no pattern: the phrase
engine raised)."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest


def _keys(r: Any) -> list[str]:
    return [e.get("key") for e in r.json().get("extra", [])]


@pytest.mark.parametrize("char", ["\\u008b", "\\u009f", "\\ufffe"])
async def test_a_control_character_in_checklist_yaml_is_400_with_its_line(
    client: Any, cast: Any, char: str
) -> None:
    h = {**cast.headers("admin"), "Content-Type": "application/json"}
    body = '{"yaml": "id: x\\nname: a' + char + 'b\\n"}'
    r = await client.post("/checklists", content=body, headers=h)
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "yaml"
    assert ":2: YAML syntax: unacceptable character" in r.json()["detail"]


async def test_a_row_id_out_of_range_is_400_naming_the_field(client: Any, cast: Any) -> None:
    for value in (2**31, 0, -5):
        r = await client.post(
            "/users",
            json={
                "username": "newop",
                "password": "a long enough password",
                "role": "operator",
                "operator_id": value,
            },
            headers=cast.headers("admin"),
        )
        assert r.status_code == 400, (value, r.text)
        assert _keys(r) == ["operator_id"], r.text


def test_a_lone_surrogate_in_any_body_text_is_refused_naming_the_field() -> None:
    from audit.domain.probing.schemas import TranscriptIn

    with pytest.raises(pydantic.ValidationError) as caught:
        TranscriptIn(text="hello", at="2026-12-01T08:00:00Z", forbidden_phrases=["ok", "\udad7"])
    error = caught.value.errors()[0]
    assert error["loc"] == ("forbidden_phrases",)
    assert "surrogate" in error["msg"] and "forbidden_phrases[1]" in error["msg"]


@pytest.mark.parametrize("blank", ["", " ", "\t", "\u3000", "\x1c", "\xa0 "])
async def test_a_blank_forbidden_phrase_is_400_naming_it(
    client: Any, cast: Any, blank: str
) -> None:
    body = {"text": "您好", "at": "2026-12-01T08:00:00Z", "forbidden_phrases": ["明天再来", blank]}
    r = await client.post("/probe-analysis/greeting", json=body, headers=cast.headers("analyst"))
    assert r.status_code == 400, r.text
    assert _keys(r) == ["forbidden_phrases.1"], r.text
    body["forbidden_phrases"] = ["明天再来", " 明天 "]
    r = await client.post("/probe-analysis/greeting", json=body, headers=cast.headers("analyst"))
    assert r.status_code == 200, r.text
