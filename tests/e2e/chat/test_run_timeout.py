"""A run that outlives its hard cap ends as probe_error, with evidence, and closes Chromium."""

from __future__ import annotations

import pytest

from probes.chat.profile import load_script
from tests.e2e.chat.conftest import probe, profile_for

pytestmark = pytest.mark.browser


async def test_run_hits_max_duration(site, tmp_path):
    script = load_script({"id": "long", "steps": [{"say": "在吗?"}, {"await_reply": 60}]})
    profile = profile_for(site, scenario="silent").model_copy(update={"max_duration_s": 4.0})
    result = await probe(site, tmp_path, script, profile=profile)
    assert result.outcome == "probe_error"
    assert result.reason == "the run exceeded max_duration_s=4"
    assert [m.sender for m in result.transcript.messages] == ["customer"]
    assert "error" in [s.label for s in result.screenshots]
