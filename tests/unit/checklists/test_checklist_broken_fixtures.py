"""Each broken fixture is reported at the right file:line with the right message.

Every file in tests/fixtures/checklists/broken/ starts with ``# expect: LINE: TEXT``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checklists.loader import ChecklistError, load_checklist, validate_file

BROKEN = sorted((Path(__file__).parents[2] / "fixtures" / "checklists" / "broken").glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str]:
    m = re.match(r"# expect: (\d+): (.+)", path.read_text(encoding="utf-8").splitlines()[0])
    assert m, f"{path} lacks its '# expect: LINE: TEXT' header"
    return int(m.group(1)), m.group(2)


def test_there_are_broken_fixtures() -> None:
    assert len(BROKEN) >= 10


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_fixture_reported_at_file_and_line(path: Path) -> None:
    line, text = expectation(path)
    checklist, problems = validate_file(path)
    assert checklist is None
    rendered = [str(p) for p in problems]
    assert any(r.startswith(f"{path}:{line}: ") and text in r for r in rendered), rendered


@pytest.mark.parametrize("path", BROKEN[:2], ids=lambda p: p.stem)
def test_load_checklist_raises_with_all_problems(path: Path) -> None:
    with pytest.raises(ChecklistError) as info:
        load_checklist(path)
    assert info.value.problems
    assert str(path) in str(info.value)
