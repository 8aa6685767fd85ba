"""``score-chat TRANSCRIPT.json [--checklist ID]``: the JSON contract and its exit codes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from probes.cli_chat import score_chat_command
from tests.probes.chat.conftest import HOLD, QUESTION, SHORT_HELLO, raw

CONTRACT_KEYS = {
    "first_response_seconds",
    "max_reply_seconds",
    "unapologised_long_waits",
    "forbidden_phrases",
    "taboos",
    "greeting_ok",
    "last_message_from",
}


def run(tmp_path, data, *args):
    path = tmp_path / "t.json"
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), "utf-8"
    )
    return CliRunner().invoke(score_chat_command, [str(path), *args])


def test_compliant_chat_passes(tmp_path):
    data = raw(
        ("customer", 0, QUESTION),
        ("agent", 20, SHORT_HELLO + ",请您稍等,为您查询一下"),
        ("agent", 80, "亲,多扣的是流量费。请问还有什么可以帮您?"),
        ("customer", 90, "好的,谢谢"),
        ("agent", 95, "感谢您的咨询,祝您生活愉快,再见!"),
    )
    result = run(tmp_path, data)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"measures", "items", "verdict"}
    assert set(out["measures"]) >= CONTRACT_KEYS
    assert out["measures"]["first_response_seconds"] == 20
    assert out["verdict"] == "pass"
    assert all(i["result"] == "pass" for i in out["items"])
    assert {i["id"] for i in out["items"]} >= {
        "minor.response_time",
        "minor.opening",
        "taboo.no_reply_request",
    }


def test_late_first_reply_fails_the_response_time_item(tmp_path):
    data = raw(
        ("customer", 0, QUESTION), ("agent", 46, SHORT_HELLO + ",是流量费,请问还有什么可以帮您?")
    )
    out = json.loads(run(tmp_path, data).output)
    item = next(i for i in out["items"] if i["id"] == "minor.response_time")
    assert item["result"] == "fail" and "first_response_seconds=46.0" in item["reason"]
    assert out["verdict"] == "fail"


def test_agent_never_answering_is_scored_not_an_error(tmp_path):
    result = run(tmp_path, raw(("customer", 0, QUESTION), ended_at=200))
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["measures"]["first_response_seconds"] is None
    assert out["measures"]["unapologised_long_waits"] == 1
    assert out["verdict"] == "fail"


def test_unapologised_wait_fails_the_waiting_item(tmp_path):
    data = raw(
        ("customer", 0, QUESTION),
        ("agent", 5, HOLD),
        ("agent", 200, "亲,是流量费,请问还有什么可以帮您?"),
    )
    out = json.loads(run(tmp_path, data).output)
    item = next(i for i in out["items"] if i["id"] == "minor.waiting_phrases")
    assert item["result"] == "fail"


def test_invalid_transcript_exits_non_zero_with_one_line(tmp_path):
    result = run(tmp_path, {"messages": [{"from": "agent", "at": "soon", "text": "x"}]})
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "messages[0].at" in lines[0]


def test_not_json_and_missing_file(tmp_path):
    bad = run(tmp_path, "{not json")
    assert bad.exit_code != 0 and "not JSON: line 1" in bad.output
    missing = CliRunner().invoke(score_chat_command, [str(tmp_path / "nope.json")])
    assert missing.exit_code != 0 and "cannot read" in missing.output


def test_unknown_checklist_is_an_error(tmp_path):
    result = run(tmp_path, raw(("customer", 0, QUESTION)), "--checklist", "no-such-list")
    assert result.exit_code != 0 and "no-such-list" in result.output
