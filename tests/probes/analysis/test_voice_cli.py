"""`analyze` and `score-greeting` on the command line: exact JSON, exit codes, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml
from click.testing import CliRunner

from probes.audio import synth
from probes.cli_voice import analyze, score_greeting

Greetings = Callable[[int], list[np.ndarray]]
SILENT_KEYS = ["utterances", "pauses_s", "final_wait_s", "verdict", "reasons"]


def _stereo_call(tmp_path: Path, greetings: Greetings, rate: int = 8000) -> Path:
    callee, _ = synth.build_call(greetings(rate), (5.0, 6.0), rate=rate)
    caller = synth.silence(len(callee) / rate, rate)
    return synth.write_wav(tmp_path / "call.wav", [caller, callee], rate)


def test_analyze_stereo_picks_the_speaking_channel(tmp_path: Path, greetings: Greetings) -> None:
    path = _stereo_call(tmp_path, greetings)
    result = CliRunner().invoke(analyze, [str(path), "--protocol", "silent-call"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == SILENT_KEYS
    assert len(data["utterances"]) == 3
    assert list(data["utterances"][0]) == ["start_s", "end_s"]
    assert data["verdict"] == "pass" and data["reasons"] == []


def test_analyze_named_channel_fails_but_exits_zero(tmp_path: Path, greetings: Greetings) -> None:
    path = _stereo_call(tmp_path, greetings)
    result = CliRunner().invoke(analyze, [str(path), "--protocol", "silent-call", "--channel", "0"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "utterances": [],
        "pauses_s": [],
        "final_wait_s": None,
        "verdict": "fail",
        "reasons": ["too_few_repetitions"],
    }


def test_analyze_mono_16k_with_house_rule(tmp_path: Path, greetings: Greetings) -> None:
    samples, _ = synth.build_call(greetings(16000)[:2], (5.0,), rate=16000)
    path = synth.write_wav(tmp_path / "mono.wav", [samples], 16000)
    runner = CliRunner()
    default = json.loads(runner.invoke(analyze, [str(path)]).output)
    assert default["reasons"] == ["too_few_repetitions"]
    house = runner.invoke(analyze, [str(path), "--param", "repetitions=2"])
    assert json.loads(house.output)["verdict"] == "pass"


def _one_line_error(result: object) -> str:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code != 0  # type: ignore[attr-defined]
    lines = [line for line in output.splitlines() if line]
    assert len(lines) == 1, output
    return lines[0]


def test_analyze_unreadable_inputs(tmp_path: Path) -> None:
    runner = CliRunner()
    assert "cannot read" in _one_line_error(runner.invoke(analyze, [str(tmp_path / "no.wav")]))
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"not audio at all")
    assert "not a WAV file" in _one_line_error(runner.invoke(analyze, [str(junk)]))
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert "empty file" in _one_line_error(runner.invoke(analyze, [str(empty)]))
    mono = synth.write_wav(tmp_path / "m.wav", [synth.silence(1.0)], 8000)
    line = _one_line_error(runner.invoke(analyze, [str(mono), "--channel", "1"]))
    assert "channel 1 does not exist" in line
    line = _one_line_error(runner.invoke(analyze, [str(mono), "--param", "repetition=2"]))
    assert "unknown silent-call parameter" in line


def test_score_greeting_contract() -> None:
    result = CliRunner().invoke(
        score_greeting,
        [
            "--text",
            "您好,长城宽带,请问有什么可以帮您?",
            "--at",
            "2026-06-02T14:20:00+08:00",
            "--company",
            "长城宽带",
            "--answered-after",
            "20",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [m["element"] for m in out.pop("matches")] == ["salutation", "company", "offer_of_help"]
    assert out == {
        "elements": {
            "salutation": True,
            "company": True,
            "offer_of_help": True,
            "time_of_day": None,
            "holiday": None,
            "apology_for_wait": False,
        },
        "forbidden_phrases": [],
        "verdict": "fail",
        "reasons": ["missing_apology_for_wait"],
    }


def test_score_greeting_forbidden_and_overrides(tmp_path: Path) -> None:
    overrides = tmp_path / "h.yaml"
    overrides.write_text("2026-06-02: labour_day\n", encoding="utf-8")
    result = CliRunner().invoke(
        score_greeting,
        [
            *("--text", "劳动节快乐!请问有什么可以帮您?这不关我的事", "--at", "2026-06-02T15:00"),
            *("--holiday-overrides", str(overrides)),
        ],
    )
    data = json.loads(result.output)
    assert data["elements"]["holiday"] is True and data["elements"]["company"] is None
    # The hotline checklist's §6.9 list, reported in its seed wording.
    assert data["forbidden_phrases"] == ["这不关我的事,这不是我的错,没这回事。"]
    assert data["reasons"] == ["forbidden_phrase"]


def test_score_greeting_reads_its_phrases_from_the_checklist(tmp_path: Path) -> None:
    from checklists.loader import CHECKLIST_DIR

    args = ["--text", "您好,长城宽带,请问有什么可以帮您?", "--at", "2026-06-02T15:00"]
    shipped = json.loads(CliRunner().invoke(score_greeting, args).output)
    assert shipped["verdict"] == "pass"
    # A checklist whose offer of help is worded otherwise judges the same text otherwise.
    data = yaml.safe_load((CHECKLIST_DIR / "hotline.yaml").read_text(encoding="utf-8"))
    item = next(i for s in data["sections"] for i in s["items"] if i["id"] == "greeting.standard")
    item["phrases"]["offer_of_help"] = {"match": ["请讲"], "examples": ["请讲"]}
    custom = tmp_path / "custom.yaml"
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(score_greeting, [*args, "--checklist", str(custom)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["elements"]["offer_of_help"] is False
    bad = CliRunner().invoke(score_greeting, [*args, "--checklist", "no-such-checklist"])
    assert "--checklist" in _one_line_error(bad)


def test_score_greeting_bad_time() -> None:
    result = CliRunner().invoke(score_greeting, ["--text", "您好", "--at", "next tuesday"])
    assert "--at: not an ISO 8601 time" in _one_line_error(result)
