"""Notice numbers look like 整改〔2026〕第0007号 and reject nonsense."""

from __future__ import annotations

import pytest

from audit.notices import demo
from audit.notices.models import NoticeType, format_number
from audit.notices.render import ranked


def test_format() -> None:
    assert format_number(NoticeType.rectification, 2026, 7) == "整改〔2026〕第0007号"
    assert format_number(NoticeType.public_notice, 2027, 12345) == "通告〔2027〕第12345号"


@pytest.mark.parametrize(("year", "seq"), [(2026, 0), (1999, 1), (2026, -3)])
def test_rejects_bad_parts(year: int, seq: int) -> None:
    with pytest.raises(ValueError):
        format_number(NoticeType.rectification, year, seq)


def test_ranking_shares_ties() -> None:
    content = demo.public_notice()
    rows = [
        r.model_copy(update={"score": s}) for r, s in zip(content.rows, [80, 90, 80], strict=True)
    ]
    ranks = [(rank, r.score) for rank, r in ranked(content.model_copy(update={"rows": rows}))]
    assert ranks == [(1, 90), (2, 80), (2, 80)]
