"""The embedded mail server: a real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every
message it accepts in a Maildir, where the demo's staff page (and the tests) read them.

It stands in for the operators' mail receivers the way the Twilio simulator stands in for the
telephone network: the app sends through the same SMTP client code either way.
"""

from __future__ import annotations

import asyncio
import logging
import mailbox
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP

MAX_MESSAGE_BYTES = 30 * 1024 * 1024
# Addresses at this domain are refused with a permanent error: the demo's (and the tests')
# way to see a bounce recorded on a notice.
BOUNCE_DOMAIN = "bounce.invalid"


class _Handler(Mailbox):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower().endswith("@" + BOUNCE_DOMAIN):
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class MailSink:
    """``sink = MailSink(dir).start()`` … ``sink.port`` … ``sink.stop()``."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = Path(directory)
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 10.0) -> MailSink:
        # aiosmtpd logs every SMTP command at INFO: keep the server log for what matters
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        for sub in ("tmp", "new", "cur"):  # Maildir creates these only for a new directory
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        handler = _Handler(self.directory)
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    loop.create_server(
                        lambda: SMTP(
                            handler, data_size_limit=MAX_MESSAGE_BYTES, hostname="mailsink.local"
                        ),
                        self.host,
                        self.port,
                    )
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="mail-sink", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("the local SMTP server did not start")
        if failure:
            raise OSError(
                f"the local SMTP server cannot listen on {self.host}:{self.port} "
                f"(AUDIT_MAIL_SINK_PORT): {failure[0]}"
            ) from failure[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = self._thread = None

    def messages(self) -> list[StoredMessage]:
        return read_messages(self.directory)


@dataclass
class StoredMessage:
    key: str
    subject: str
    sender: str
    to: str
    rcpt_to: str
    date: str
    text: str
    html: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # name, type, data
    headers: dict[str, str] = field(default_factory=dict)
    mtime: float = 0.0


def _parse(key: str, raw: bytes, mtime: float) -> StoredMessage:
    msg: Any = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    attachments = [
        (str(a.get_filename() or ""), a.get_content_type(), bytes(a.get_content()))
        for a in msg.iter_attachments()
    ]
    return StoredMessage(
        key=key,
        subject=str(msg.get("Subject", "")),
        sender=str(msg.get("From", "")),
        to=str(msg.get("To", "")),
        rcpt_to=str(msg.get("X-RcptTo", "")),
        date=str(msg.get("Date", "")),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
        attachments=attachments,
        headers={k: str(v) for k, v in msg.items()},
        mtime=mtime,
    )


def read_messages(directory: Path) -> list[StoredMessage]:
    """Every stored message, oldest first."""
    if not (Path(directory) / "cur").exists() and not (Path(directory) / "new").exists():
        return []
    box = mailbox.Maildir(directory, create=False)
    out = []
    for key in box.iterkeys():
        path = _path_of(Path(directory), key)
        raw = box.get_bytes(key)
        out.append(_parse(key, raw, path.stat().st_mtime if path else 0.0))
    return sorted(out, key=lambda m: (m.mtime, m.key))


def read_message(directory: Path, key: str) -> StoredMessage | None:
    for message in read_messages(directory):
        if message.key == key:
            return message
    return None


def _path_of(directory: Path, key: str) -> Path | None:
    for sub in ("new", "cur"):
        for path in (directory / sub).glob(f"{key}*"):
            return path
    return None


_running: MailSink | None = None


def running() -> MailSink | None:
    """The sink this process started (embedded mode), if any."""
    return _running


def start_embedded(directory: Path, port: int) -> MailSink:
    global _running
    if _running is None:
        _running = MailSink(directory, port=port).start()
    return _running


def stop_embedded() -> None:
    global _running
    if _running is not None:
        _running.stop()
        _running = None
