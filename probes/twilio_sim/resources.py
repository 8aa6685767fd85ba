"""The simulator's calls and recordings, and their JSON exactly as Twilio's 2010-04-01 API shapes it.

Field names and value formats follow Twilio's OpenAPI description (``twilio_api_v2010.json``):
RFC 2822 dates, durations as strings, SIDs of two letters plus 32 hex digits. The conformance
test walks every response through that description.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from probes.twilio_sim.timeline import CallPlan

API_VERSION = "2010-04-01"


class ApiError(Exception):
    """A request the simulated Twilio answers with an error document."""

    def __init__(self, code: int, **fmt: str) -> None:
        super().__init__(code)
        self.code = code
        self.fmt = fmt


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def rfc2822(dt: datetime | None) -> str | None:
    """RFC 2822 has whole seconds: round (not truncate) so differences match durations."""
    if dt is None:
        return None
    whole = (dt + timedelta(microseconds=500_000)).replace(microsecond=0)
    return format_datetime(whole.astimezone(UTC))


@dataclass
class SimRecording:
    sid: str
    call_sid: str
    account_sid: str
    started: datetime
    duration_s: float
    wav_dual: bytes  # 2 channels: 1 = caller (parent leg), 2 = callee
    wav_mono: bytes
    channels: int = 2

    def base_uri(self) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Recordings/{self.sid}"

    def _common(self) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "call_sid": self.call_sid,
            "conference_sid": None,
            "date_created": rfc2822(self.started),
            "date_updated": rfc2822(self.started + timedelta(seconds=self.duration_s)),
            "start_time": rfc2822(self.started),
            "duration": str(round(self.duration_s)),
            "sid": self.sid,
            "price": None,
            "price_unit": "USD",
            "status": "completed",
            "channels": self.channels,
            "source": "OutboundAPI",
            "error_code": None,
            "encryption_details": None,
        }

    def as_call_recording(self) -> dict[str, Any]:
        """Shape of ``/Calls/{CallSid}/Recordings/{Sid}.json``."""
        out = self._common()
        out["uri"] = (
            f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.call_sid}"
            f"/Recordings/{self.sid}.json"
        )
        out["track"] = "both"
        return out

    def as_recording(self, base_url: str) -> dict[str, Any]:
        """Shape of ``/Recordings/{Sid}.json``."""
        out = self._common()
        out["uri"] = self.base_uri() + ".json"
        out["media_url"] = base_url + self.base_uri()
        out["subresource_uris"] = {
            "add_on_results": self.base_uri() + "/AddOnResults.json",
            "transcriptions": self.base_uri() + "/Transcriptions.json",
        }
        return out


@dataclass
class SimCall:
    sid: str
    account_sid: str
    to: str
    from_: str
    created: datetime  # simulated instant the call was placed (plan offsets count from here)
    plan: CallPlan
    status: str = "queued"
    answered_by: str | None = None
    recording: SimRecording | None = None
    label: str = ""
    callbacks_done: bool = False
    params: dict[str, list[str]] = field(default_factory=dict)

    def at(self, offset_s: float | None) -> datetime | None:
        return None if offset_s is None else self.created + timedelta(seconds=offset_s)

    def uri(self) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.sid}.json"

    def as_json(self) -> dict[str, Any]:
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.sid}"
        final = self.status in ("completed", "busy", "failed", "no-answer", "canceled")
        answered = self.plan.answered_at is not None
        started = self.at(self.plan.answered_at) if answered else None
        return {
            "sid": self.sid,
            "date_created": rfc2822(self.created),
            "date_updated": rfc2822(self.at(self.plan.ended_at) if final else self.created),
            "parent_call_sid": None,
            "account_sid": self.account_sid,
            "to": self.to,
            "to_formatted": self.to,
            "from": self.from_,
            "from_formatted": self.from_,
            "phone_number_sid": None,
            "status": self.status,
            "start_time": rfc2822(started) if self.status != "queued" else None,
            "end_time": rfc2822(self.at(self.plan.ended_at)) if final else None,
            "duration": str(round(self.plan.duration_s)) if final else None,
            "price": None,
            "price_unit": "USD",
            "direction": "outbound-api",
            "answered_by": self.answered_by,
            "api_version": API_VERSION,
            "forwarded_from": None,
            "group_sid": None,
            "caller_name": None,
            "queue_time": "0",
            "trunk_sid": None,
            "uri": self.uri(),
            "subresource_uris": {
                name: f"{base}/{part}.json"
                for name, part in (
                    ("notifications", "Notifications"),
                    ("recordings", "Recordings"),
                    ("payments", "Payments"),
                    ("events", "Events"),
                    ("siprec", "Siprec"),
                    ("streams", "Streams"),
                    ("transcriptions", "Transcriptions"),
                    ("user_defined_message_subscriptions", "UserDefinedMessageSubscriptions"),
                    ("user_defined_messages", "UserDefinedMessages"),
                )
            },
        }


def page(key: str, items: list[dict[str, Any]], uri: str, page_size: int = 50) -> dict[str, Any]:
    """Twilio's list envelope; the simulator returns everything on page 0."""
    page_uri = f"{uri}?PageSize={page_size}&Page=0"
    return {
        key: items,
        "end": max(len(items) - 1, 0),
        "first_page_uri": page_uri,
        "next_page_uri": None,
        "page": 0,
        "page_size": page_size,
        "previous_page_uri": None,
        "start": 0,
        "uri": page_uri,
    }


# Twilio error codes the simulator emits: (HTTP status, message template)
ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource {path} was not found"),
    20429: (429, "Too Many Requests"),
    21201: (400, "No 'To' number is specified"),
    21205: (400, "Url parameter is required"),
    21211: (400, "Invalid 'To' Phone Number: {to}"),
    21213: (400, "No 'From' number is specified"),
    21212: (400, "Invalid 'From' Phone Number: {from_}"),
    21214: (400, "'To' phone number cannot be reached"),
    21215: (400, "Geo Permission configuration is not permitting call"),
    21216: (400, "Call blocked by Twilio blocklist"),
    12100: (400, "Document parse failure: {detail}"),
    20001: (400, "Unknown parameters: {detail}"),
    21602: (400, "Message body is required"),
    21603: (400, "A 'From' phone number is required"),
    21604: (400, "A 'To' phone number is required"),
}


def error_body(code: int, **fmt: str) -> tuple[int, dict[str, Any]]:
    status, template = ERRORS[code]
    message = template.format_map(_Default(fmt))
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
