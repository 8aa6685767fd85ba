"""A profile whose selectors match nothing is our probe breaking (probe_error), with evidence."""

from __future__ import annotations

import pytest

from tests.e2e.chat.conftest import probe, profile_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("field", "fragment"),
    [
        ("open_button", "open_button '#no-such-button' matches nothing"),
        ("input", "input '#no-such-input' matches nothing"),
        ("send_button", "send_button '#no-such-send' matches nothing"),
        ("messages", "messages '#no-such-list' matches nothing"),
    ],
)
async def test_broken_selector(site, tmp_path, field, fragment):
    wrong = {
        "open_button": "#no-such-button",
        "input": "#no-such-input",
        "send_button": "#no-such-send",
        "messages": "#no-such-list",
    }[field]
    profile = profile_for(site, scenario="compliant").model_copy(update={field: wrong})
    result = await probe(site, tmp_path, profile=profile)
    assert result.outcome == "probe_error"
    assert fragment in (result.reason or "")
    assert "start" in [s.label for s in result.screenshots]
    assert "error" in [s.label for s in result.screenshots]


async def test_missing_iframe(site, tmp_path):
    profile = profile_for(site, scenario="compliant").model_copy(update={"frame": "#nope"})
    result = await probe(site, tmp_path, profile=profile)
    assert result.outcome == "probe_error" and "frame '#nope'" in (result.reason or "")
