"""The silent-call closing phrase, judged from the transcript with the checklist's phrases."""

from __future__ import annotations

import pytest

from probes.analysis.greeting import default_rules
from probes.analysis.silent_closing import judge_closing

SEED_001 = [
    "您好,示例电信客服中心,欢迎您的来电。请问有什么可以帮您?",
    "您好!请问有什么可以帮您?",
    "非常抱歉,您的电话没有声音,请您换一部电话再打来,再见!",
]
SEED_002 = [
    "请问可以听到我的声音吗?",
    "请问可以听到我的声音吗?",
    "很抱歉无法听到您的声音,请稍后重新致电,感谢您的来电再见。",
]


@pytest.mark.parametrize("script", [SEED_001, SEED_002], ids=["001", "002"])
def test_seed_scripts_have_their_closing(script: list[str]) -> None:
    result = judge_closing(script, default_rules().book)
    assert (result.prompts_heard, result.closing) == (2, True)
    closing = next(m for m in result.matches if m.element == "silent_call.closing")
    assert closing.segment == 2


def test_closing_said_in_other_words_and_heard_wrongly() -> None:
    lines = [
        "您好请问有什么可以帮您",
        "喂您好能听到吗",
        "抱歉您这边没有声音 麻烦您换个电话再打过来 再见",
    ]
    assert judge_closing(lines, default_rules().book).closing
    # A recogniser's homophones: 没有声音 → 没有身音
    misheard = ["您好请问有什么可以帮您", "非常抱歉您的电话没有身音请您换一部电话再打来再见"]
    assert judge_closing(misheard, default_rules().book).closing


def test_hanging_up_after_prompts_without_closing() -> None:
    result = judge_closing(SEED_001[:2], default_rules().book)
    assert (result.prompts_heard, result.closing) == (2, False)
    # A prompt after the "closing" means the protocol went on: not a closing.
    again = [SEED_001[2], SEED_001[1]]
    assert not judge_closing(again, default_rules().book).closing


def test_a_closing_phrase_before_a_prompt_in_the_same_line_is_no_closing() -> None:
    # "I can't hear you — can you hear me?" still prompts; the protocol is not over.
    lines = ["您好,请问有什么可以帮您", "我这边听不见您的声音,您那边可以听到我吗"]
    result = judge_closing(lines, default_rules().book)
    assert (result.prompts_heard, result.closing) == (2, False)
    # said the other way round, it closes
    lines = ["您好,请问有什么可以帮您", "您好能听到吗,还是听不见您的声音,请您换个电话再打来"]
    assert judge_closing(lines, default_rules().book).closing
