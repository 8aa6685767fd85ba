"""The SMS channel: a text message to an operator's service number through Twilio Messaging
(or the local simulator), and the reply.

    start    messages.create(To=target, From=our sender, Body=the query, StatusCallback)
    events   status callbacks (sent, delivered, undelivered, failed) → ``status:<MessageStatus>``
             the reply, by the inbound-message webhook of our number → ``inbound:received``
             (found by its numbers: the service number wrote to our sender)
             no reply within ``reply_wait_s`` (reconcile) → ``deadline:reply_window_over``
    collect  the message resources, for the provider's times: time to reply = the reply's
             date_created − our message's date_sent

Twilio's callbacks carry no timestamps, so event times are ours; measured times are Twilio's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from checklists.schema import Checklist
from probes.channels.base import (
    Attempt,
    Binding,
    ChannelError,
    Collected,
    Env,
    Event,
    Measured,
    Phase,
    Placed,
    ProbeError,
    Request,
    Run,
    Simulator,
    Venue,
    Webhook,
)
from probes.channels.sms.client import SmsClient
from probes.channels.sms.measures import SMS_CHECKLIST, SMS_ROOTS, measures_for
from probes.channels.twilio_shared import TWILIO_SIMULATOR, twilio_params

STATUS_PATH = "/webhooks/twilio/sms/status"
INBOUND_PATH = "/webhooks/twilio/sms/inbound"
DEFAULT_QUERY = "查询余额"
ENDS = {"status:undelivered", "status:failed", "inbound:received", "deadline:reply_window_over"}
_STATUSES = ("queued", "sending", "sent", "delivered", "undelivered", "failed")


def _now() -> datetime:
    return datetime.now(UTC)


class SmsProbe:
    name: str = "sms"
    run_kind: str = "sms"
    provider: str = "twilio"
    venue_kinds: tuple[str, ...] = ()  # probes the service numbers of any venue
    probe_kinds: tuple[str, ...] = ("sms_query",)
    measure_roots: tuple[str, ...] = SMS_ROOTS
    terminal_outcomes: tuple[str, ...] = ("answered", "no_answer")
    phase_kinds: tuple[str, ...] = ("status", "inbound", "deadline")
    default_checklist: str | None = SMS_CHECKLIST
    unjudged: Literal["fail"] | None = "fail"  # no reply in the window: nothing more will come
    scores_run: bool = False
    webhooks: tuple[Webhook, ...] = (
        Webhook(STATUS_PATH, "status"),
        Webhook(INBOUND_PATH, "inbound", run="lookup"),
    )
    simulator: Simulator | None = TWILIO_SIMULATOR

    # -- before the message ----------------------------------------------------------------
    def target(self, venue: Venue) -> str | None:
        numbers = [n for n in (*venue.service_numbers, *venue.phones) if n.startswith("+")]
        return numbers[0] if numbers else None

    def rate_key(self, venue: Venue | None, target: str) -> str:
        return f"sms:{target}"  # texts do not tie up the line a call would

    def params(self, options: Mapping[str, Any], venue: Venue | None) -> dict[str, Any]:
        text = str(options.get("text") or DEFAULT_QUERY)
        if not 0 < len(text) <= 1600:
            raise ChannelError("the message must be 1 to 1600 characters", field="text")
        wait = int(options.get("reply_wait_s") or options.get("listen_s") or 120)
        return {
            "text": text,
            "reply_wait_s": wait,
            "company": options.get("company") or (venue.company if venue else None),
        }

    async def start(self, run: Run, env: Env) -> Placed:
        if not run.caller_id:
            raise ChannelError("no sender number: give caller_id or set one", "caller_id")
        url = f"{env.public_base_url.rstrip('/')}{STATUS_PATH}?run={run.id}"
        async with SmsClient(env.account(self.provider)) as sms:
            sid = await sms.send(run.target, run.caller_id, str(run.params["text"]), url)
        return Placed(sid)

    # -- callbacks -------------------------------------------------------------------------
    def authenticate(
        self, hook: Webhook, request: Request, run: Run | None, env: Env
    ) -> dict[str, Any]:
        return twilio_params(request, env.account(self.provider))

    def locate(self, hook: Webhook, params: Mapping[str, Any]) -> tuple[str | None, dict[str, str]]:
        """The run a reply belongs to: the newest one that texted ``From`` from ``To``."""
        return None, {"target": str(params.get("From", "")), "sender": str(params.get("To", ""))}

    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        sid = str(params.get("MessageSid") or "")
        if not sid or len(sid) > 64 or not sid.isalnum():
            raise ChannelError("MessageSid must be 1 to 64 letters and digits", "MessageSid")
        at = _now()
        if kind == "status":
            status = str(params.get("MessageStatus") or "")
            if status not in _STATUSES:
                raise ChannelError(f"unknown MessageStatus {status[:40]!r}", "MessageStatus")
            return Event(f"status:{sid}:{status}", kind, status, at, dict(params), sid)
        if kind == "inbound":
            return Event(f"inbound:{sid}", kind, "received", at, dict(params))
        if kind == "deadline":
            return Event("deadline", kind, "reply_window_over", at, dict(params))
        raise ChannelError(f"no SMS event of kind {kind!r}", field="kind")

    def phase(self, names: set[str]) -> Phase:
        if names & ENDS:
            return "ended"
        return "in_call" if "status:delivered" in names else "dialing"

    def deliver(self, run_id: int, event: Event) -> None:
        return None

    def running(self, run_id: int) -> asyncio.Task[None] | None:
        return None

    async def reconcile(self, run: Run, env: Env) -> list[tuple[str, dict[str, Any]]]:
        """Webhooks lost, or no reply: the message's status and replies as Twilio has them,
        and the end of the reply window once it is over."""
        if not run.provider_ref or not run.caller_id:
            return []
        async with SmsClient(env.account(self.provider)) as sms:
            sent = await sms.fetch(run.provider_ref)
            replies = await sms.replies(run.target, run.caller_id)
        out: list[tuple[str, dict[str, Any]]] = [
            ("status", {"MessageSid": sent.sid, "MessageStatus": sent.status})
        ]
        for reply in replies:
            if sent.date_sent and reply.date_created and reply.date_created >= sent.date_sent:
                out.append(("inbound", {"MessageSid": reply.sid, "From": reply.from_,
                                        "To": reply.to, "Body": reply.body}))  # fmt: skip
        started = run.started_at
        wait = float(run.params.get("reply_wait_s", 120))
        if started is not None and (_now() - started).total_seconds() > wait:
            out.append(("deadline", {"MessageSid": sent.sid}))
        return out

    # -- the end ---------------------------------------------------------------------------
    async def collect(
        self,
        run: Run,
        events: Sequence[Event],
        env: Env,
        previous: Mapping[str, Any] | None,
        checklist: Checklist | None,
    ) -> Collected:
        statuses = {e.name for e in events if e.kind == "status"}
        inbound = {str(e.params.get("MessageSid")): e for e in events if e.kind == "inbound"}
        final = next((s for s in ("failed", "undelivered", "delivered") if s in statuses), None)
        observations: dict[str, Any] = {
            "status": final or "sent",
            # a reply proves delivery even when the delivered callback never came
            "delivered": final == "delivered" or bool(inbound),
            "company": run.params.get("company"),
            "reply_wait_s": run.params.get("reply_wait_s"),
            "replies": [],
            "reply_seconds": None,
        }
        try:
            async with SmsClient(env.account(self.provider)) as sms:
                sent = await sms.fetch(run.provider_ref) if run.provider_ref else None
                replies = [await sms.fetch(sid) for sid in sorted(inbound)]
        except (ProbeError, ValueError) as exc:
            observations["replies"] = [
                {"sid": sid, "text": str(e.params.get("Body", "")), "at": None}
                for sid, e in sorted(inbound.items())
            ]
            return Collected(observations, [], "analysis_failed", f"message lookup failed: {exc}")
        if sent is not None:
            observations["error_code"] = sent.error_code
            observations["sent_at"] = sent.date_sent.isoformat() if sent.date_sent else None
        replies.sort(key=lambda m: (m.date_created or datetime.max.replace(tzinfo=UTC), m.sid))
        observations["replies"] = [
            {"sid": m.sid, "text": m.body,
             "at": m.date_created.isoformat() if m.date_created else None}
            for m in replies
        ]  # fmt: skip
        first = replies[0] if replies else None
        if first and first.date_created and sent is not None and sent.date_sent:
            observations["reply_seconds"] = (first.date_created - sent.date_sent).total_seconds()
        return Collected(observations)

    def measures(
        self,
        observations: Mapping[str, Any],
        binding: Binding | None,
        checklist: Checklist | None = None,
    ) -> Measured | None:
        values = measures_for(observations, binding, checklist)
        if values is None:
            return None
        return Measured(values, dict(binding.params) if binding is not None else {})

    def outcome(self, observations: Mapping[str, Any]) -> str | None:
        if observations.get("replies"):
            return "replied"
        status = observations.get("status")
        if status in ("failed", "undelivered"):
            return str(status)
        return "no_reply" if observations.get("delivered") else "undelivered"

    def attempt(
        self, outcome: str | None, observations: Mapping[str, Any], measures: Mapping[str, Any]
    ) -> Attempt:
        """A reply is an answer (time to answer = time to reply); no reply, or a service
        number that cannot take the message, is the operator's no-answer; a message Twilio
        could not send at all is a probe failure (retried)."""
        if outcome == "failed":
            return Attempt(None, error=f"message failed (Twilio {observations.get('error_code')})")
        seconds = observations.get("reply_seconds")
        return Attempt(
            "answered" if outcome == "replied" else "no_answer",
            answer_seconds=float(seconds) if seconds is not None else None,
            rang=outcome != "undelivered",
        )


CHANNEL = SmsProbe()
