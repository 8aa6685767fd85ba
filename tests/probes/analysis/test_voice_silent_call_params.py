"""Protocol parameters from a checklist binding's params."""

from __future__ import annotations

import pytest

from probes.analysis.silent_call import ParamError, SilentCallParams


def test_defaults_are_seed_001() -> None:
    p = SilentCallParams.from_params(None)
    assert (p.repetitions, p.pause_min_s, p.pause_max_s, p.final_wait_min_s, p.min_silence_s) == (
        3,
        4.0,
        10.0,
        4.0,
        1.0,
    )


def test_binding_params_override_defaults() -> None:
    p = SilentCallParams.from_params(
        {"repetitions": 2, "pause_min_s": 3, "closing_phrase": "感谢您的来电再见"}
    )
    assert p.repetitions == 2 and p.pause_min_s == 3.0 and p.pause_max_s == 10.0
    assert p.closing_phrase == "感谢您的来电再见"


def test_unknown_key_is_named_unless_not_strict() -> None:
    with pytest.raises(ParamError, match="unknown silent-call parameter 'repetition'"):
        SilentCallParams.from_params({"repetition": 2})
    assert SilentCallParams.from_params({"max_answer_seconds": 15}, strict=False).repetitions == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"repetitions": 2.5}, "repetitions must be a whole number"),
        ({"repetitions": True}, "repetitions must be a whole number"),
        ({"repetitions": 0}, "repetitions must be at least 1"),
        ({"pause_min_s": "5"}, "pause_min_s must be a number"),
        ({"final_wait_min_s": -1}, "final_wait_min_s must be a non-negative number"),
        ({"pause_min_s": 11}, r"pause_min_s \(11.0\) is greater than pause_max_s"),
        ({"min_silence_s": 0}, "min_silence_s must be positive"),
        ({"closing_phrase": 3}, "closing_phrase must be text"),
    ],
)
def test_bad_values_name_the_field(params: dict[str, object], message: str) -> None:
    with pytest.raises(ParamError, match=message):
        SilentCallParams.from_params(params)
