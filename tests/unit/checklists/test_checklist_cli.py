"""``audit checklists check [PATH…]``: file:line messages and a non-zero exit on problems."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from audit.domain.plans.cli import group

BROKEN = Path(__file__).parents[2] / "fixtures" / "checklists" / "broken"


def test_shipped_checklists_pass() -> None:
    result = CliRunner().invoke(group, ["check"])
    assert result.exit_code == 0, result.output
    assert "7 files checked, 0 with problems" in result.output


def test_broken_fixtures_are_reported_by_file_and_line() -> None:
    result = CliRunner().invoke(group, ["check", str(BROKEN)])
    assert result.exit_code == 1
    for path in sorted(BROKEN.glob("*.yaml")):
        expect = path.read_text(encoding="utf-8").splitlines()[0]  # "# expect: LINE: TEXT"
        line, text = expect.removeprefix("# expect: ").split(": ", 1)
        assert any(
            out.startswith(f"{path}:{line}: ") and text in out for out in result.output.splitlines()
        ), (path.name, result.output)


def test_mixing_good_and_bad_files_still_fails() -> None:
    good = Path(__file__).parents[3] / "checklists" / "hotline.yaml"
    result = CliRunner().invoke(group, ["check", str(good), str(BROKEN / "unknown_severity.yaml")])
    assert result.exit_code == 1
    assert "2 files checked, 1 with problems" in result.output


def test_the_audit_command_runs_it() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from audit.cli import main; main()",
            "checklists",
            "check",
            str(BROKEN / "duplicate_item_id.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert f"{BROKEN / 'duplicate_item_id.yaml'}:17: duplicate item id 'a'" in proc.stdout
