from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.accounts.tables import User
from audit.domain.inspections.tables import Inspection
from audit.domain.operators.tables import Operator, Venue
from audit.domain.plans.tables import AuditPlan

KINDS = ("voice", "chat", "sms")
STATUSES = (
    "queued",  # created, nothing sent to the provider yet
    "dialing",  # the provider accepted the call (or chat session is opening)
    "in_call",  # answered, in conversation
    "analysing",  # ended; recording being fetched and analysed
    "completed",  # ended and analysed (busy/no-answer are completed runs too)
    "analysis_failed",  # ended, but the recording could not be analysed (reason kept)
    "probe_error",  # the probe itself failed (provider error, our error)
    "canceled",
)
FINAL = ("completed", "analysis_failed", "probe_error", "canceled")
LIVE = ("queued", "dialing", "in_call")
REFRESHABLE = ("completed", "analysis_failed")  # a late event recomputes these


class ProbeRun(Table, tablename="probe_run"):
    """One probe: an automated call (voice) or chat session (chat) against one venue/target.

    Generic on purpose: voice and chat both store their outcome, events, measures and
    observations here; ``kind`` tells which. Measures use the names of checklists.measures.
    """

    id = Serial(primary_key=True)  # declared so type checkers see it
    kind = Varchar(length=10, index=True)  # voice | chat
    status = Varchar(length=20, index=True, default="queued")
    venue = ForeignKey(references=Venue, null=True, default=None, on_delete=OnDelete.restrict)
    operator = ForeignKey(references=Operator, null=True, default=None, on_delete=OnDelete.restrict)
    plan = ForeignKey(references=AuditPlan, null=True, default=None, on_delete=OnDelete.restrict)
    inspection = ForeignKey(
        references=Inspection, null=True, default=None, on_delete=OnDelete.restrict
    )
    campaign_run_id = Integer(null=True, default=None, index=True)  # campaigns' CampaignRun
    target = Varchar(length=500)  # E.164 number (voice) or URL (chat)
    caller_id = Varchar(length=40, null=True, default=None)
    covert = Boolean(default=False)
    provider = Varchar(length=20, default="")  # twilio | browser | http
    provider_ref = Varchar(length=64, null=True, default=None, index=True)  # Twilio CallSid
    outcome = Varchar(length=20, null=True, default=None)  # answered | busy | no_answer | …
    params = JSON(default={})  # probe parameters (listen_s, dtmf, ring_seconds, company …)
    events = JSON(default=[])  # normalised provider events, deduplicated, in time order
    measures = JSON(null=True, default=None)
    observations = JSON(null=True, default=None)  # utterances, pauses, transcript, …
    item_results = JSON(default=[])  # what was handed to the inspection's items
    evidence_ids = JSON(default=[])
    error_code = Integer(null=True, default=None)  # provider error code (Twilio 21211 …)
    error_reason = Text(null=True, default=None)
    error_permanent = Boolean(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # The late-event race (lifecycle.py): every new event bumps ``event_seq``; a finish stores
    # its results only if ``event_seq`` is still the one it read its events at (then
    # ``finished_seq`` = it), otherwise it starts again with the newer events.
    event_seq = Integer(default=0)
    finished_seq = Integer(null=True, default=None)


class ProbeEvent(Table, tablename="probe_event"):
    """A provider callback as received (signature checked). ``dedupe_key`` makes repeats no-ops."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    run = ForeignKey(references=ProbeRun, null=False, index=True, on_delete=OnDelete.cascade)
    dedupe_key = Varchar(length=200, unique=True)
    kind = Varchar(length=20)  # status | transcription | recording
    name = Varchar(length=40)  # CallStatus or TranscriptionEvent
    at = Timestamptz(null=True, default=None)  # when it happened, by the provider's clock
    params = JSON(default={})
    received_at = Timestamptz(default=TimestamptzNow())
