"""Every phrase example must match its patterns and no `not` example may (file:line errors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.domain.plans.cli import group
from checklists.loader import CHECKLIST_DIR, checklist_files
from probes.analysis.phrases.check import check_file

BROKEN = sorted(
    (Path(__file__).parents[2] / "fixtures" / "checklists" / "broken_phrases").glob("*.yaml")
)


def expectation(path: Path) -> tuple[int, str]:
    m = re.match(r"# expect: (\d+): (.+)", path.read_text(encoding="utf-8").splitlines()[0])
    assert m, f"{path} lacks its '# expect: LINE: TEXT' header"
    return int(m.group(1)), m.group(2)


@pytest.mark.parametrize("path", checklist_files(CHECKLIST_DIR), ids=lambda p: p.stem)
def test_shipped_examples_hold(path: Path) -> None:
    assert check_file(path) == []


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_example_problem_reported_at_file_and_line(path: Path) -> None:
    line, text = expectation(path)
    rendered = [str(p) for p in check_file(path)]
    assert any(r.startswith(f"{path}:{line}: ") and text in r for r in rendered), rendered


def test_the_cli_reports_them() -> None:
    result = CliRunner().invoke(group, ["check", *map(str, BROKEN)])
    assert result.exit_code == 1
    assert f"{len(BROKEN)} files checked, {len(BROKEN)} with problems" in result.output


def test_counter_examples_are_checked_by_sound_too(tmp_path: Path) -> None:
    text = BROKEN[0].read_text(encoding="utf-8")
    # "有时么可以帮您" sounds like the pattern's wording: it must not be let through by voice.
    text = text.replace('match: ["有什么…"]', 'match: ["有什么可以帮您"]')
    text = text.replace('not: ["有什么事快说"]', 'not: ["有时么可以帮您"]')
    path = tmp_path / "sound.yaml"
    path.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check_file(path)]
    assert problems and "by sound" in problems[0], problems
