"""Folding before matching: erhua and colloquial spellings (issue 18, after round 4). The
sentences are written for the mechanism, not taken from the judging corpus."""

from __future__ import annotations

import pytest

from probes.analysis.phrases import flat
from probes.analysis.phrases.normalise import Folded

# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("那事儿我不管", "那事我不管"),
        ("您稍等一会儿", "您稍等一会"),
        ("我女儿的卡", "我女儿的卡"),  # 儿 a syllable of its own stays
        ("儿童套餐", "儿童套餐"),
        ("你要啥", "你要什么"),
        ("咋回事", "怎么回事"),
        ("别啰唆", "别罗嗦"),
    ],
)
def test_erhua_and_colloquial_spellings_fold(text: str, folded: str) -> None:
    assert flat(text) == folded


def test_a_colloquial_fold_still_reports_the_span_as_written() -> None:
    f = Folded.of("嗯,你咋不早说")
    assert f.flat == "你怎么不早说"
    # folded 怎么 (two characters) both come from 咋
    assert f.span(1, 3) == (3, 4)
    assert f.span(0, len(f.flat)) == (2, 7)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("请讲", "请说"),
        ("他讲得很清楚", "他说得很清楚"),
        ("劳您久候", "劳您久等"),
        ("候车室", "候车室"),  # 候 alone is not folded
    ],
)
def test_synonyms_fold_to_the_word_patterns_use(text: str, folded: str) -> None:
    assert flat(text) == folded
    f = Folded.of("哦,您久候啦")
    assert f.flat == "您久等"
    assert f.span(1, 3) == (3, 5)  # 久等 points at 久候 as written
