"""Loading a directory, duplicate ids across files, and the content hash of a version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklists.loader import (
    CHECKLIST_DIR,
    ChecklistError,
    checklist_from_data,
    content_hash,
    load_all,
    load_checklist,
)


def test_same_id_in_two_files_is_reported(tmp_path: Path) -> None:
    shutil.copy(CHECKLIST_DIR / "info_line.yaml", tmp_path / "a.yaml")
    shutil.copy(CHECKLIST_DIR / "info_line.yaml", tmp_path / "b.yaml")
    with pytest.raises(ChecklistError) as info:
        load_all(tmp_path)
    [problem] = info.value.problems
    assert problem.file == str(tmp_path / "b.yaml")
    lines = (tmp_path / "b.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].startswith("id: info-line")
    assert "also defined in" in problem.message


def test_broken_file_in_directory_fails_the_whole_load(tmp_path: Path) -> None:
    shutil.copy(CHECKLIST_DIR / "info_line.yaml", tmp_path / "ok.yaml")
    (tmp_path / "bad.yaml").write_text("id: x\n", encoding="utf-8")
    with pytest.raises(ChecklistError) as info:
        load_all(tmp_path)
    assert all(p.file.endswith("bad.yaml") for p in info.value.problems)


def test_hash_is_stable_and_changes_with_content(tmp_path: Path) -> None:
    original = load_checklist(CHECKLIST_DIR / "info_line.yaml")
    assert content_hash(original) == content_hash(load_checklist(CHECKLIST_DIR / "info_line.yaml"))
    text = (CHECKLIST_DIR / "info_line.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("pass_mark: 80", "pass_mark: 85"), encoding="utf-8")
    assert content_hash(load_checklist(edited)) != content_hash(original)


def test_stored_form_round_trips(tmp_path: Path) -> None:
    for path in sorted(CHECKLIST_DIR.glob("*.yaml")):
        cl = load_checklist(path)
        again = checklist_from_data(cl.canonical())
        assert again == cl
        assert content_hash(again) == content_hash(cl)
