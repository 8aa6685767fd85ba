"""Scenario files: the demo file loads; mistakes are reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from probes.twilio_sim import ScenarioError, load_demo_scenarios, load_scenarios


def test_demo_file_covers_every_kind() -> None:
    demo = load_demo_scenarios()
    outcomes = {s.outcome for s in demo.numbers.values()}
    assert outcomes == {"answer", "busy", "no-answer", "failed"}
    assert demo.default is not None and len(demo.default.utterances) == 3
    assert demo.for_number("+8699999999") is demo.default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'numbers:\n  "+861055550101":\n    answer_after_rings: 2\n    utterances:\n'
            "      - text: 您好\n        then_wait_s: -1\n",
            r"s\.yaml:6: numbers\.\+861055550101\.utterances\.0\.then_wait_s: .*greater than or equal to 0",
        ),
        (
            'numbers:\n  "+861055550101":\n    outcome: voicemail\n',
            r"s\.yaml:3: numbers\.\+861055550101\.outcome: ",
        ),
        (
            'numbers:\n  "10086":\n    outcome: busy\n',
            r"s\.yaml:1: numbers: .*not an E\.164 number",
        ),
        ("ring_seconds: 5\nring_seconds: 4\n", r"s\.yaml:2: duplicate key ring_seconds"),
        ("numbers: [\n", r"s\.yaml:\d+: "),
        ("default:\n  label: x\n  colour: blue\n", r"s\.yaml:3: default\.colour: Extra inputs"),
    ],
)
def test_errors_name_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenarios(path)


def test_json_files_and_missing_files(tmp_path: Path) -> None:
    good = tmp_path / "s.json"
    good.write_text('{"numbers": {"+861055550106": {"outcome": "busy"}}}', encoding="utf-8")
    assert load_scenarios(good).numbers["+861055550106"].outcome == "busy"
    bad = tmp_path / "b.json"
    bad.write_text('{"numbers": ', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"b\.json:1: not JSON"):
        load_scenarios(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenarios(tmp_path / "absent.yaml")
