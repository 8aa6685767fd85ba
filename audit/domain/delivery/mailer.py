"""Composing and sending email: plain text + HTML (Chinese with English), the notice PDF
attached, over SMTP with aiosmtplib (STARTTLS/TLS and login when configured)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import aiosmtplib

from audit.domain.delivery import mailsink
from audit.domain.delivery.config import DeliverySettings


@dataclass(frozen=True)
class Paragraph:
    zh: str
    en: str


def compose_bodies(
    title_zh: str, title_en: str, paragraphs: list[Paragraph], links: list[tuple[str, str, str]]
) -> tuple[str, str]:
    """(plain, html): each paragraph in Chinese, then English; links as (zh, en, url)."""
    lines = [title_zh, title_en, ""]
    for p in paragraphs:
        lines += [p.zh, p.en, ""]
    for zh, en, url in links:
        lines += [f"{zh} / {en}: {url}"]
    plain = "\n".join(lines).rstrip() + "\n"
    e = html.escape
    parts = [f"<h2>{e(title_zh)}<br><small>{e(title_en)}</small></h2>"]
    for p in paragraphs:
        parts.append(f'<p>{e(p.zh)}<br><span lang="en" style="color:#555">{e(p.en)}</span></p>')
    for zh, en, url in links:
        parts.append(f'<p><a href="{e(url, quote=True)}">{e(zh)} / {e(en)}</a></p>')
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head>'
        f'<body style="font-family:sans-serif">{"".join(parts)}</body></html>'
    )
    return plain, page


def build_message(
    payload: dict[str, Any], sender: str, attachment: tuple[str, bytes] | None
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = payload["subject"]
    msg["From"] = sender
    msg["To"] = ", ".join(payload["to"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="audit.local")
    msg["X-Audit-Event"] = payload.get("event", "")
    msg["X-Audit-Delivery"] = payload.get("event_id", "")
    msg.set_content(payload["text"])
    msg.add_alternative(payload["html"], subtype="html")
    if attachment is not None:
        name, data = attachment
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg


class MailRefused(Exception):
    """Every recipient was refused permanently (a bounce): no retry helps."""

    def __init__(self, message: str, code: int | None, refused: dict[str, str]) -> None:
        super().__init__(message)
        self.code = code
        self.refused = refused


@dataclass(frozen=True)
class SendResult:
    code: int | None
    reply: str
    refused: dict[str, str]  # recipient -> reply (bounced, others were accepted)


def _target(settings: DeliverySettings) -> tuple[str, int]:
    if settings.smtp_host:
        return settings.smtp_host, settings.smtp_port
    sink = mailsink.running()
    return "127.0.0.1", sink.port if sink is not None else settings.mail_sink_port


async def send(msg: EmailMessage, recipients: list[str], settings: DeliverySettings) -> SendResult:
    """Send one message; raises MailRefused when no recipient was accepted (5xx), and
    aiosmtplib/OS errors for temporary failures (the caller retries those)."""
    host, port = _target(settings)
    tls = settings.smtp_security == "tls"
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        errors, reply = await aiosmtplib.send(
            msg,
            sender=settings.smtp_from,
            recipients=recipients,
            hostname=host,
            port=port,
            use_tls=tls,
            start_tls=settings.smtp_security == "starttls",
            username=settings.smtp_user,
            password=password,
            timeout=settings.smtp_timeout_s,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refused = {r.recipient: f"{r.code} {r.message}" for r in exc.recipients}
        codes = [r.code for r in exc.recipients]
        if codes and all(500 <= c < 600 for c in codes):
            raise MailRefused("every recipient refused", codes[0], refused) from exc
        raise
    refused = {rcpt: f"{code} {text}" for rcpt, (code, text) in errors.items()}
    code = int(reply.split()[0]) if reply[:3].isdigit() else 250  # accepted
    return SendResult(code, reply, refused)
