"""Target profiles and customer scripts are data; mistakes are reported by field."""

from __future__ import annotations

from pathlib import Path

import pytest

import probes.chat
from probes.channels.chat_api.client import load_api_profile
from probes.chat.profile import ProfileError, load_profile, load_script

SCRIPTS = Path(probes.chat.__file__).parent / "scripts"


def test_shipped_scripts_load():
    for path in SCRIPTS.glob("*.yaml"):
        assert load_script(path).steps


def test_script_steps_shorthand():
    s = load_script(
        {"id": "x", "steps": [{"silent": 5}, {"say": "在吗"}, {"await_reply": 30}, {"wait": 1}]}
    )
    assert [st.kind for st in s.steps] == ["silent", "say", "await_reply", "wait"]


@pytest.mark.parametrize(
    ("steps", "fragment"),
    [
        ([{"sleep": 3}], "steps[0]: unknown step 'sleep'"),
        ([{"say": ""}], "steps[0]: say: needs non-empty text"),
        ([{"wait": -1}], "steps[0]: wait: needs a number of seconds"),
        ([{"say": "a", "wait": 1}], "steps[0]: a step has exactly one key"),
        ([], "steps: List should have at least 1 item"),
    ],
)
def test_bad_scripts(steps, fragment):
    with pytest.raises(ProfileError) as err:
        load_script({"id": "x", "steps": steps})
    assert fragment in str(err.value)


def test_bad_profile_names_the_field():
    with pytest.raises(ProfileError, match="url"):
        load_profile(
            {
                "name": "x",
                "url": "ftp://x",
                "input": "#i",
                "messages": "#m",
                "agent_message": ".a",
                "customer_message": ".c",
            }
        )
    with pytest.raises(ProfileError, match="agent_message"):
        load_profile(
            {
                "name": "x",
                "url": "https://x",
                "input": "#i",
                "messages": "#m",
                "customer_message": ".c",
            }
        )
    with pytest.raises(ProfileError, match="selector"):
        load_profile(
            {
                "name": "x",
                "url": "https://x",
                "input": "#i",
                "messages": "#m",
                "agent_message": ".a",
                "customer_message": ".c",
                "selector": "typo",
            }
        )


def test_profile_from_yaml_file(tmp_path):
    p = tmp_path / "op.yaml"
    p.write_text(
        "name: op\nurl: https://kf.example.cn/chat\nframe: iframe#kf\nopen_button: .kf-open\n"
        "input: textarea\nsend_button: .send\nmessages: .kf-list\nagent_message: .kf-msg.staff\n"
        "customer_message: .kf-msg.me\n",
        "utf-8",
    )
    profile = load_profile(p)
    assert profile.frame == "iframe#kf" and profile.send_button == ".send"


def test_webhook_mode_needs_a_secret():
    with pytest.raises(ProfileError, match="webhook_secret"):
        load_api_profile({"name": "x", "base_url": "https://api.example.cn", "mode": "webhook"})
