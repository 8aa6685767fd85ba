"""The web-chat channel: a real headless Chromium on the operator's chat page (or the demo
chat site), driven by a customer script (``browser.run_web_chat``)."""

from __future__ import annotations

from pathlib import Path

from probes.channels.base import Env, Run, Venue
from probes.channels.web_chat.browser import run_web_chat
from probes.chat.channel import ChatProbe
from probes.chat.profile import CustomerScript, ProfileError, TargetProfile, load_profile
from probes.chat.result import ChatProbeResult


class WebChatProbe(ChatProbe):
    name: str = "web_chat"
    provider: str = "browser"
    venue_kinds: tuple[str, ...] = ("web_chat",)

    def profile(self, venue: Venue) -> TargetProfile:
        data = self.venue_data(venue)
        if "url" not in data and venue.urls:
            data["url"] = venue.urls[0]
        try:
            return load_profile(data)
        except ProfileError as exc:
            raise self.profile_error(venue, exc) from exc

    def target(self, venue: Venue) -> str | None:
        return self.profile(venue).url

    async def chat(
        self, run: Run, script: CustomerScript, folder: Path, env: Env
    ) -> ChatProbeResult:
        assert run.venue is not None
        return await run_web_chat(self.profile(run.venue), script, folder)


CHANNEL = WebChatProbe()
