"""Web-chat probe: a real headless Chromium (Debian's, never ``playwright install``) opens the
operator's chat as a customer would, runs a customer script and records every message with the
time it appeared (a MutationObserver in the page, not polling).

``run_web_chat(profile, script, evidence_dir)`` launches its own browser with a fresh user-data
directory and always closes it. Pass ``browser=`` (a :class:`ChatBrowser`) to run several chats
concurrently in one browser, each in its own fresh context.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.async_api import Browser, BrowserContext, Frame, Page, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from probes.analysis.chat_transcript import Message, Transcript
from probes.chat.profile import CustomerScript, Step, TargetProfile
from probes.chat.result import ChatProbeResult, ProbeFailure, Screenshot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_OBSERVER_JS = (
    resources.files("probes.channels.web_chat").joinpath("observer.js").read_text("utf-8")
)


def _utc(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000.0, UTC)


class ChatBrowser:
    """One Chromium shared by concurrent chats (``async with ChatBrowser() as b``)."""

    def __init__(self, extra_args: list[str] | None = None) -> None:
        self._pw: Any = None
        self.browser: Browser | None = None
        self.extra_args = list(extra_args or [])

    async def __aenter__(self) -> ChatBrowser:
        self._pw = await async_playwright().start()
        try:
            self.browser = await self._pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS + self.extra_args, headless=True
            )
        except BaseException:
            await self._pw.stop()
            raise
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.browser is not None:
                await self.browser.close()
        finally:
            await self._pw.stop()


class _Run:
    """State of one chat: observed messages, events, screenshots."""

    def __init__(self, profile: TargetProfile, script: CustomerScript, evidence_dir: Path) -> None:
        self.profile = profile
        self.script = script
        self.evidence_dir = evidence_dir
        self.records: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self.crashed: str | None = None
        self.page: Page | None = None
        self.frame: Frame | None = None
        self.screenshots: list[Screenshot] = []
        self.warnings: list[str] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.opened_ms: float | None = None
        self.last_sent_ms: float | None = None

    # observed events -------------------------------------------------------------------
    def on_message(self, _source: Any, payload: dict[str, Any]) -> None:
        self.records.append(payload)
        if payload.get("initial"):
            self.warnings.append(
                f"message already on the page when watching began (time is approximate): "
                f"{payload.get('text', '')[:40]!r}"
            )
        if payload["from"] == "agent" and sum(r["from"] == "agent" for r in self.records) == 1:
            task = asyncio.get_running_loop().create_task(self.screenshot("first_reply"))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        self.changed.set()

    def on_crash(self, what: str) -> None:
        self.crashed = self.crashed or what
        self.changed.set()

    async def screenshot(self, label: str) -> None:
        if self.page is None or self.page.is_closed() or self.crashed:
            return
        path = self.evidence_dir / f"{label}.png"
        try:
            data = await self.page.screenshot(path=str(path), timeout=10_000)
        except PlaywrightError as exc:
            self.warnings.append(f"screenshot {label} failed: {exc.message.splitlines()[0]}")
            return
        digest = hashlib.sha256(data).hexdigest()
        self.screenshots.append(Screenshot(label, str(path), digest, datetime.now(UTC)))

    async def clock(self) -> float:
        assert self.frame is not None
        return float(await self.frame.evaluate("performance.timeOrigin + performance.now()"))

    # waiting without polling -------------------------------------------------------------
    async def wait_for(self, predicate: Any, seconds: float) -> bool:
        """Wait until ``predicate()`` holds or ``seconds`` pass; wakes on each new message."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            if self.crashed:
                raise ProbeFailure("probe_error", f"browser failed during the chat: {self.crashed}")
            left = deadline - loop.time()
            if left <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return True

    def agent_after(self, ms: float | None) -> bool:
        return any(r["from"] == "agent" and (ms is None or r["t"] >= ms) for r in self.records)

    # the chat ----------------------------------------------------------------------------
    async def open(self, context: BrowserContext) -> None:
        p = self.profile
        context.set_default_timeout(p.action_timeout_s * 1000)
        self.page = page = context.pages[0] if context.pages else await context.new_page()
        page.on("crash", lambda _p: self.on_crash("page crashed"))
        page.on("close", lambda _p: self.on_crash("page closed"))
        await page.expose_binding("__sqaChat", self.on_message)
        try:
            response = await page.goto(p.url, wait_until="load", timeout=p.load_timeout_s * 1000)
        except PlaywrightTimeout:
            raise ProbeFailure(
                "target_unreachable", f"{p.url} did not load within {p.load_timeout_s:g} s"
            ) from None
        except PlaywrightError as exc:
            raise ProbeFailure(
                "target_unreachable", f"{p.url} did not load: {exc.message.splitlines()[0]}"
            ) from None
        if response is not None and response.status >= 400:
            raise ProbeFailure("target_unreachable", f"{p.url} answered HTTP {response.status}")
        self.frame = await self._frame(page)
        await self.screenshot("start")
        attached = await self._observe()
        if p.open_button:
            button = await self.frame.query_selector(p.open_button)
            if button is None:
                raise ProbeFailure("probe_error", f"open_button {p.open_button!r} matches nothing")
            # The customer opened the chat when clicking; the agent's clock starts here.
            self.opened_ms = await self.clock()
            await button.click()
        try:
            await self.frame.wait_for_selector(
                p.input, state="visible", timeout=p.open_timeout_s * 1000
            )
        except PlaywrightTimeout:
            if await self.frame.query_selector(p.input) is None:
                raise ProbeFailure("probe_error", f"input {p.input!r} matches nothing") from None
            raise ProbeFailure(
                "target_unreachable", f"the chat did not open within {p.open_timeout_s:g} s"
            ) from None
        if p.send_button and await self.frame.query_selector(p.send_button) is None:
            raise ProbeFailure("probe_error", f"send_button {p.send_button!r} matches nothing")
        if not attached and not await self._observe():
            raise ProbeFailure("probe_error", f"messages {p.messages!r} matches nothing")
        if self.opened_ms is None:
            self.opened_ms = await self.clock()

    async def _frame(self, page: Page) -> Frame:
        if not self.profile.frame:
            return page.main_frame
        handle = await page.query_selector(self.profile.frame)
        frame = await handle.content_frame() if handle is not None else None
        if frame is None:
            raise ProbeFailure("probe_error", f"frame {self.profile.frame!r} matches no iframe")
        await frame.wait_for_load_state("load")
        return frame

    async def _observe(self) -> bool:
        assert self.frame is not None
        p = self.profile
        args = [p.messages, p.agent_message, p.customer_message]
        return await self.frame.evaluate(_OBSERVER_JS, args) is not None

    async def step(self, step: Step) -> None:
        assert self.frame is not None
        p = self.profile
        if step.kind == "say":
            assert step.text is not None
            await self.frame.fill(p.input, step.text)
            self.last_sent_ms = await self.clock()
            if p.send_button:
                await self.frame.click(p.send_button)
            else:
                await self.frame.press(p.input, "Enter")
            text = step.text.strip()
            echoed = await self.wait_for(
                lambda: any(r["from"] == "customer" and r["text"] == text for r in self.records),
                p.action_timeout_s,
            )
            if not echoed:
                # The page never showed our message: keep the time we pressed send.
                self.records.append({"from": "customer", "text": text, "t": self.last_sent_ms})
                self.warnings.append(f"customer message not shown on the page: {text[:40]!r}")
        elif step.kind == "wait":
            await self.wait_for(lambda: False, step.seconds or 0)
        elif step.kind == "silent":
            await self.wait_for(lambda: self.agent_after(None), step.seconds or 0)
        else:  # await_reply
            since = self.last_sent_ms
            await self.wait_for(lambda: self.agent_after(since), step.seconds or 0)

    def transcript(self, ended_ms: float | None) -> Transcript:
        records = sorted(self.records, key=lambda r: r["t"])
        messages = tuple(Message(r["from"], _utc(r["t"]), r["text"]) for r in records)
        opened = _utc(self.opened_ms) if self.opened_ms is not None else None
        if opened is not None and messages and messages[0].at < opened:
            opened = messages[0].at
        ended = _utc(ended_ms) if ended_ms is not None else None
        if ended is not None and messages and ended < messages[-1].at:
            ended = messages[-1].at
        return Transcript(messages, opened_at=opened, ended_at=ended)


async def _drive(run: _Run, context: BrowserContext) -> tuple[str, str | None, float | None]:
    try:
        async with asyncio.timeout(run.profile.max_duration_s):
            await run.open(context)
            for step in run.script.steps:
                await run.step(step)
            await run.wait_for(lambda: False, run.profile.settle_s)
            ended = await run.clock()
            await run.screenshot("end")
            return "completed", None, ended
    except ProbeFailure as exc:
        await run.screenshot("error")
        return exc.outcome, exc.reason, None
    except TimeoutError:
        await run.screenshot("error")
        limit = run.profile.max_duration_s
        return "probe_error", f"the run exceeded max_duration_s={limit:g}", None
    except PlaywrightError as exc:
        reason = run.crashed or exc.message.splitlines()[0]
        await run.screenshot("error")
        return "probe_error", f"browser error: {reason}", None
    except Exception as exc:  # a bug of ours must still end the run and close the browser
        await run.screenshot("error")
        return "probe_error", f"{type(exc).__name__}: {exc}", None


async def run_web_chat(
    profile: TargetProfile,
    script: CustomerScript,
    evidence_dir: str | Path,
    *,
    browser: ChatBrowser | None = None,
) -> ChatProbeResult:
    """Run one chat; never raises for target or browser failures (see ``result.outcome``)."""
    out = Path(evidence_dir)
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(profile, script, out)
    started = datetime.now(UTC)
    user_dir: str | None = None
    outcome: str = "probe_error"
    reason: str | None = "browser did not start"
    ended: float | None = None
    try:
        if browser is not None:
            assert browser.browser is not None, "ChatBrowser not entered"
            context = await browser.browser.new_context()
            try:
                outcome, reason, ended = await _drive(run, context)
            finally:
                await _finish(run, context)
        else:
            user_dir = tempfile.mkdtemp(prefix="sqa-chat-profile-")
            async with async_playwright() as pw:
                try:
                    context = await pw.chromium.launch_persistent_context(
                        user_dir, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                    )
                except PlaywrightError as exc:
                    reason = f"browser did not start: {exc.message.splitlines()[0]}"
                else:
                    try:
                        outcome, reason, ended = await _drive(run, context)
                    finally:
                        await _finish(run, context)
    finally:
        if user_dir is not None:
            shutil.rmtree(user_dir, ignore_errors=True)
    return ChatProbeResult(
        outcome=outcome,  # type: ignore[arg-type]
        reason=reason,
        transcript=run.transcript(ended),
        started_at=started,
        finished_at=datetime.now(UTC),
        screenshots=sorted(run.screenshots, key=lambda s: s.taken_at),
        warnings=run.warnings,
    )


async def _finish(run: _Run, context: BrowserContext) -> None:
    """Let a pending first-reply screenshot finish, then close the context whatever happened."""
    if run.tasks:
        await asyncio.gather(*run.tasks, return_exceptions=True)
    # Already gone after a crash: the driver kills what is left when playwright stops.
    with contextlib.suppress(PlaywrightError):
        await context.close()
