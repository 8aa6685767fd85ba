"""Every YAML file a user hands us goes through the strict loader (issue 16 item 2): complaint
CSV mappings, holiday overrides, chat target profiles and customer scripts, simulator
scenario files. An anchor is refused with ``file:line`` instead of being expanded."""

from __future__ import annotations

from pathlib import Path

import pytest

ANCHORED = "x: &big [1, 2, 3]\ny: [*big, *big]\n"


def _file(tmp_path: Path, text: str = ANCHORED) -> Path:
    path = tmp_path / "user.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_complaint_mapping(tmp_path: Path) -> None:
    from audit.domain.complaints.mapping import load_mapping
    from audit.domain.complaints.taxonomy import DataFileError

    path = _file(tmp_path)
    with pytest.raises(DataFileError) as err:
        load_mapping(path)
    assert str(err.value) == f"{path}:1: anchors (&big) are not allowed"


def test_holiday_overrides(tmp_path: Path) -> None:
    from probes.analysis.holiday_calendar import CalendarError, load_overrides

    path = _file(tmp_path, "2026-10-08: &n national_day\n2026-10-09: *n\n")
    with pytest.raises(CalendarError) as err:
        load_overrides(path)
    assert f"{path}:1: anchors (&n) are not allowed" in str(err.value)


def test_holiday_overrides_deep_json(tmp_path: Path) -> None:
    from probes.analysis.holiday_calendar import CalendarError, load_overrides

    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CalendarError, match=r"not valid \.json"):
        load_overrides(path)


def test_chat_profile_and_script(tmp_path: Path) -> None:
    from probes.chat.profile import ProfileError, load_profile, load_script

    path = _file(tmp_path)
    for load in (load_profile, load_script):
        with pytest.raises(ProfileError) as err:
            load(path)
        assert str(err.value) == f"{path}:1: anchors (&big) are not allowed"


def test_simulator_scenarios(tmp_path: Path) -> None:
    from probes.twilio_sim.scenarios import load_scenarios

    path = _file(tmp_path)
    with pytest.raises(ValueError, match=r"1.*anchors \(&big\) are not allowed"):
        load_scenarios(path)
