"""Twilio Messaging in the simulator: ``Messages.json`` (create, fetch, list), the message's
status callbacks, and the replies of the service number as inbound-message webhooks.

Shapes follow Twilio's 2010-04-01 description (``api.v2010.account.message``); status
callbacks carry MessageSid/MessageStatus (and SmsSid/SmsStatus, as Twilio still sends), an
inbound message carries MessageSid, From, To, Body, NumMedia, NumSegments, SmsStatus
``received``. Neither has a timestamp — as on Twilio, the times are the message resources'
``date_sent``/``date_created``, in simulated time. What a service number replies, and
whether a message reaches it, is the number's ``sms`` scenario.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from probes.twilio_sim.callbacks import Callback
from probes.twilio_sim.resources import API_VERSION, ApiError, new_sid, rfc2822
from probes.twilio_sim.scenarios import E164, SmsScenario

if TYPE_CHECKING:
    from probes.twilio_sim.engine import Simulator

SENT_AFTER_S = 1.0
DELIVERED_AFTER_S = 2.0
# Twilio's error codes for a message that did not arrive (docs: 30003 unreachable handset,
# 30008 unknown error).
_FAILURES = {"undelivered": 30003, "failed": 30008}
_NO_SMS = SmsScenario()


@dataclass
class SimMessage:
    sid: str
    account_sid: str
    to: str
    from_: str
    body: str
    created: datetime
    direction: str  # outbound-api | inbound
    status: str  # queued | sent | delivered | undelivered | failed | received
    sent: datetime | None = None
    updated: datetime | None = None
    error_code: int | None = None

    def as_json(self) -> dict[str, Any]:
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}"
        return {
            "body": self.body,
            "num_segments": str(max(1, -(-len(self.body) // 70))),
            "direction": self.direction,
            "from": self.from_,
            "to": self.to,
            "date_updated": rfc2822(self.updated or self.created),
            "price": None,
            "error_message": None,
            "uri": base + ".json",
            "account_sid": self.account_sid,
            "num_media": "0",
            "status": self.status,
            "messaging_service_sid": None,
            "sid": self.sid,
            "date_sent": rfc2822(self.sent),
            "date_created": rfc2822(self.created),
            "error_code": self.error_code,
            "price_unit": "USD",
            "api_version": API_VERSION,
            "subresource_uris": {
                "media": base + "/Media.json",
                "feedback": base + "/Feedback.json",
            },
        }


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


async def create_message(sim: Simulator, params: dict[str, list[str]]) -> SimMessage:
    """Validate a create-message request, then let it live (status callbacks, replies)."""
    to, from_, body = _one(params, "To"), _one(params, "From"), _one(params, "Body")
    if not to:
        raise ApiError(21604)
    if not from_:
        raise ApiError(21603)
    if not E164.match(to):
        raise ApiError(21211, to=to)
    if not E164.match(from_):
        raise ApiError(21212, from_=from_)
    if not body:
        raise ApiError(21602)
    now = sim.sim_now()
    created = now.replace(microsecond=0) + (timedelta(seconds=1) if now.microsecond else _0)
    message = SimMessage(new_sid("SM"), sim.config.account_sid, to, from_, body, created,
                         "outbound-api", "queued")  # fmt: skip
    sim.messages[message.sid] = message
    sim._done[message.sid] = threading.Event()
    scenario = getattr(sim.config.scenarios.for_number(to), "sms", None) or _NO_SMS
    task = asyncio.get_running_loop().create_task(
        _live(sim, message, scenario, _one(params, "StatusCallback"))
    )
    sim._tasks.add(task)
    task.add_done_callback(sim._tasks.discard)
    return message


def _status_params(message: SimMessage) -> dict[str, str]:
    params = {
        "AccountSid": message.account_sid,
        "ApiVersion": API_VERSION,
        "From": message.from_,
        "To": message.to,
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "MessageStatus": message.status,
        "SmsStatus": message.status,
    }
    if message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)
    return params


async def _live(
    sim: Simulator, message: SimMessage, scenario: SmsScenario, status_url: str | None
) -> None:
    try:
        await _run(sim, message, scenario, status_url)
    finally:
        sim._done[message.sid].set()


async def _at(sim: Simulator, t0: float, offset_s: float) -> None:
    delay = t0 + offset_s * sim.config.time_scale - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)


async def _run(
    sim: Simulator, message: SimMessage, scenario: SmsScenario, status_url: str | None
) -> None:
    t0 = asyncio.get_running_loop().time()
    final = scenario.delivery
    steps = [(SENT_AFTER_S, "sent"), (DELIVERED_AFTER_S, final)]
    for offset, status in steps:
        await _at(sim, t0, offset)
        when = message.created + timedelta(seconds=offset)
        message.status, message.updated = status, when
        if status == "sent":
            message.sent = when
        message.error_code = _FAILURES.get(status)
        if status_url and not scenario.callbacks_lost:
            await sim._post(
                Callback(offset, status_url, _status_params(message), "message", status)
            )
    if final != "delivered" or not sim.config.sms_url:
        return
    for reply in scenario.replies:
        offset = DELIVERED_AFTER_S + reply.after_s
        await _at(sim, t0, offset)
        when = message.created + timedelta(seconds=round(offset))
        inbound = SimMessage(new_sid("SM"), message.account_sid, message.from_, message.to,
                             reply.text, when, "inbound", "received", sent=when)  # fmt: skip
        sim.messages[inbound.sid] = inbound
        params = {
            "AccountSid": inbound.account_sid,
            "ApiVersion": API_VERSION,
            "MessageSid": inbound.sid,
            "SmsSid": inbound.sid,
            "SmsMessageSid": inbound.sid,
            "From": inbound.from_,
            "To": inbound.to,
            "Body": inbound.body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
        }
        if not scenario.callbacks_lost:
            await sim._post(Callback(offset, sim.config.sms_url, params, "inbound", "received"))


def wait_message(sim: Simulator, sid: str, timeout: float = 30.0) -> SimMessage:
    """Block (from any thread) until the message's life, replies included, is over."""
    if not sim._done[sid].wait(timeout):
        raise TimeoutError(f"simulated message {sid} still going after {timeout} s")
    return sim.messages[sid]


def message_callbacks(sim: Simulator, sid: str) -> list[Callback]:
    """The status callbacks of a message and the inbound webhooks of its replies."""
    message = sim.messages[sid]
    replies = {
        m.sid for m in sim.messages.values()
        if m.direction == "inbound" and m.from_ == message.to and m.to == message.from_
    }  # fmt: skip
    return [c for c in sim.callbacks if c.params.get("MessageSid") in {sid, *replies}]


_0 = timedelta(0)
