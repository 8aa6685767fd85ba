"""The probe channel protocol: what every ``probes/channels/<kind>/`` folder provides.

A channel knows one way of probing an operator (a Twilio call, a browser chat, a chat API,
an SMS) and nothing about persistence. ``audit.domain.probing`` drives every channel through
this one protocol::

    start(run, env)                 place the call / open the chat / send the message
    authenticate(hook, request)     a provider callback, checked as the provider signs it
    read_event(kind, params)        the callback as an Event (its dedupe key, name, time)
    phase(names)                    dialing | in_call | ended, from the *set* of event names
    collect(run, events, env)       at the end: fetch evidence, build the observations
    measures(observations, binding, checklist)  the run's measures / one binding's
    attempt(run, outcome, measures) the run as a campaign attempt (answered, time to answer …)
    rate_key(venue, target)         what the per-target rate limits apply to
    simulator                       the local stand-in for the remote side (demo, tests)

Events are the only input: the same set of events always gives the same observations, so
repeats and arrival order cannot change a result. ``probes`` never imports ``audit``; what a
channel needs from the app (accounts, evidence storage, callback URLs) comes through
:class:`Env`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from checklists.rules import lookup_measure
from checklists.schema import Checklist, MeasureBinding

Phase = Literal["dialing", "in_call", "ended"]
PHASES: tuple[Phase, ...] = ("dialing", "in_call", "ended")


class ChannelError(ValueError):
    """Bad probe input (a venue, a parameter, a callback field); ``field`` names it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class UnknownRun(LookupError):
    """A callback for a run that does not exist or takes no such callback (answered 404)."""


class NotAuthentic(Exception):
    """A provider callback whose signature does not hold (answered 403, logged)."""


class ProbeError(Exception):
    """The provider refused or failed a request; ``permanent`` ones are never retried."""

    def __init__(self, message: str, *, code: int | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent

    @property
    def reason(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Venue:
    """What a channel knows of the venue it probes (operators' venue row, decoded)."""

    id: int | None
    kind: str
    name: str = ""
    phones: tuple[str, ...] = ()
    service_numbers: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    company: str | None = None
    sessions_per_day: int | None = None
    profile: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One provider event. ``key`` is the same for every repeat of the same callback."""

    key: str
    kind: str
    name: str
    at: datetime | None
    params: Mapping[str, Any]
    ref: str | None = None  # the provider's id of the probe (CallSid, MessageSid)


@dataclass(frozen=True)
class Run:
    """A probe run as a channel sees it."""

    id: int
    target: str
    caller_id: str | None
    provider_ref: str | None
    params: Mapping[str, Any]
    venue: Venue | None = None
    started_at: datetime | None = None  # when the provider took the probe (our clock)


@dataclass(frozen=True)
class Placed:
    """The provider took the probe: its reference (None until a callback names it)."""

    provider_ref: str | None


@dataclass(frozen=True)
class Kept:
    """Evidence handed to the app's store: its id (None when refused) and what to record."""

    evidence_id: int | None
    info: dict[str, Any]


@dataclass
class Collected:
    """What the end of a run produced: observations, stored evidence, and how it ended:
    ``completed``, ``analysis_failed`` (evidence unusable) or ``probe_error`` (our side
    broke), with the reason kept on the run."""

    observations: dict[str, Any]
    evidence_ids: list[int] = field(default_factory=list)
    status: Literal["completed", "analysis_failed", "probe_error"] = "completed"
    reason: str | None = None


@dataclass(frozen=True)
class Measured:
    """The measures one binding is judged on, and the protocol parameters it applies."""

    values: dict[str, Any]
    params: dict[str, Any]


@dataclass(frozen=True)
class Attempt:
    """A finished run as a campaign attempt (seed 002 §2 KPIs). ``outcome`` None: the probe
    itself failed (never counted in a rate)."""

    outcome: str | None
    answer_seconds: float | None = None
    rang: bool | None = None
    silent_call_verdict: str | None = None
    greeting_verdict: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Webhook:
    """An HTTP route the provider calls. ``run``: where the run id is (query ``?run=``, the
    path ``{run_id}``, or found by the channel from the callback itself)."""

    path: str
    kind: str
    run: Literal["query", "path", "lookup"] = "query"
    status_code: int = 204
    # Answer ``{"detail", "duplicate"}``, a repeat with 200, rather than an empty body.
    acknowledge: bool = False
    summary: str | None = None  # documented in the app's OpenAPI schema (None: left out)


@dataclass(frozen=True)
class Request:
    """A provider callback as received: the public URL it was sent to, headers, body."""

    url: str
    headers: Mapping[str, str]
    body: bytes


class Env(Protocol):
    """What the app gives a channel."""

    @property
    def public_base_url(self) -> str: ...

    @property
    def max_evidence_bytes(self) -> int: ...

    def account(self, provider: str) -> Any:
        """Credentials/endpoint for a provider (e.g. a TwilioAccount); raises ChannelError."""

    def senders(self, provider: str) -> tuple[str, ...]:
        """Our own numbers for a provider (caller IDs, SMS senders)."""

    async def keep(self, data: bytes, kind: str, name: str) -> Kept:
        """Store evidence (recording, screenshot) content-addressed."""

    async def emit(self, run_id: int, kind: str, params: Mapping[str, Any]) -> None:
        """Report an event of an in-process probe (a chat ending), as a callback would."""

    async def find_run(self, channel: str, ref: str | None, match: Mapping[str, str]) -> int | None:
        """The run a ``lookup`` callback belongs to (e.g. an SMS reply by its numbers)."""


@dataclass(frozen=True)
class SimulatorHandle:
    """A started local simulator: what to point the app at, and how to stop it."""

    provider: str
    account: Any
    senders: tuple[str, ...]
    stop: Callable[[], None]
    url: str = ""


@dataclass(frozen=True)
class Simulator:
    """The local stand-in of a channel's remote side. ``key``: channels sharing one
    simulator (voice and SMS share the Twilio one) start it once."""

    key: str
    start: Callable[[Mapping[str, Any]], SimulatorHandle]


class Channel(Protocol):
    name: str  # registry key, stored on the run
    run_kind: str  # the API's ``kind`` of a run: voice | chat | sms
    provider: str  # twilio | browser | http
    venue_kinds: tuple[str, ...]
    probe_kinds: tuple[str, ...]  # the campaign probe kinds this channel serves
    measure_roots: tuple[str, ...]  # first parts of the measure names it produces
    terminal_outcomes: tuple[str, ...]  # outcomes a campaign counts as attempts
    phase_kinds: tuple[str, ...]  # event kinds that can move the phase (others never do)
    default_checklist: str | None  # judged against this when the run has no inspection
    # When an item's measures cannot judge it and it has no N/A: "fail" (a chat that is
    # over is all there will be) or None (leave it to the inspector: a busy line says
    # nothing about the greeting).
    unjudged: Literal["fail"] | None
    # The run is judged as a whole (a chat): the verdicts of its checklist's items, and the
    # run's (fail if any failed), are kept with its observations as ``items``/``verdict``.
    scores_run: bool
    webhooks: tuple[Webhook, ...]
    simulator: Simulator | None

    def target(self, venue: Venue) -> str | None:
        """The venue's default target (number, URL, service code); None if it has none."""

    def rate_key(self, venue: Venue | None, target: str) -> str: ...

    def params(self, options: Mapping[str, Any], venue: Venue | None) -> dict[str, Any]:
        """Validated probe parameters (defaults filled in); ChannelError names the field."""

    async def start(self, run: Run, env: Env) -> Placed:
        """Place the probe; ProbeError when the provider refuses, ChannelError for bad input."""

    def authenticate(
        self, hook: Webhook, request: Request, run: Run | None, env: Env
    ) -> dict[str, Any]:
        """The callback's parameters; NotAuthentic when its signature does not hold."""

    def read_event(self, kind: str, params: Mapping[str, Any]) -> Event:
        """ChannelError (naming the field) for a callback that cannot be read."""

    def phase(self, names: set[str]) -> Phase:
        """From the names (``kind:name``) of the events received so far, in any order."""

    def deliver(self, run_id: int, event: Event) -> None:
        """A stored event reaches a probe running in this process (chat API replies)."""

    def running(self, run_id: int) -> asyncio.Task[None] | None:
        """The task running this probe in this process, if it runs here."""

    async def reconcile(self, run: Run, env: Env) -> list[tuple[str, dict[str, Any]]]:
        """Events the provider still knows of (webhooks lost): (kind, params) pairs."""

    async def collect(
        self,
        run: Run,
        events: Sequence[Event],
        env: Env,
        previous: Mapping[str, Any] | None,
        checklist: Checklist | None,
    ) -> Collected:
        """Evidence and observations at the end; ``previous``: the observations of an earlier
        finish of the same run (evidence already fetched need not be fetched again);
        ``checklist``: the one the run is judged against (its phrase data)."""

    def measures(
        self,
        observations: Mapping[str, Any],
        binding: Binding | None,
        checklist: Checklist | None = None,
    ) -> Measured | None:
        """Run-level measures (``binding`` None, judged with ``checklist``'s phrases and
        protocol), or those one item is judged on; None when the binding is not this
        channel's."""

    def outcome(self, observations: Mapping[str, Any]) -> str | None: ...

    def attempt(
        self, outcome: str | None, observations: Mapping[str, Any], measures: Mapping[str, Any]
    ) -> Attempt: ...


@dataclass(frozen=True)
class Binding:
    """A checklist item's measure binding with the data lists it names resolved to texts."""

    measure: str
    rule: str
    params: Mapping[str, Any]
    data: Mapping[str, tuple[str, ...]]
    # The checklist the binding belongs to: its phrase patterns judge the words.
    checklist: Checklist | None = field(default=None, compare=False, repr=False)

    @property
    def root(self) -> str:
        return self.measure.split(".")[0]

    @classmethod
    def of(cls, binding: MeasureBinding, checklist: Checklist) -> Binding:
        data = {n: tuple(e.text for e in checklist.data.get(n, [])) for n in binding.data}
        return cls(binding.measure, binding.rule, dict(binding.params), data, checklist)


def measure(measures: Mapping[str, Any], name: str) -> Any:
    """One measure by dotted name (the one lookup of :mod:`checklists.rules`)."""
    return lookup_measure(measures, name)


Emit = Callable[[int, str, Mapping[str, Any]], Awaitable[None]]
