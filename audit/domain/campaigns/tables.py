"""Probe campaigns and their planned runs.

A campaign belongs to an audit plan (seed 004 范文4 Art. 6: the regulator fixes target, time,
content and method) and calls its targets on a schedule. Each planned call is a
``CampaignRun``: created ``planned`` when the campaign is scheduled, ``queued`` when due and
handed to the job broker, ``running`` once one worker has claimed it (atomically), then
``done`` (a telephony result: answered / busy / no_answer) or ``failed`` (probe failure after
the allowed retries, or a permanent one), or ``canceled``.
"""

from piccolo.columns import JSON, ForeignKey, Integer, Real, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.accounts.tables import User
from audit.domain.operators.tables import Operator, Venue
from audit.domain.plans.tables import AuditPlan

CAMPAIGN_STATUSES = ("draft", "scheduled", "running", "paused", "completed", "canceled")
RUN_STATUSES = ("planned", "queued", "running", "done", "failed", "canceled")
PROBE_KINDS = ("voice_silent_call", "chat_script", "sms_query")


class ProbeCampaign(Table, tablename="probe_campaign"):
    id: Serial  # Piccolo's implicit primary key, declared for type checkers
    plan = ForeignKey(references=AuditPlan, null=False, index=True)
    operator = ForeignKey(references=Operator, null=False, index=True)  # = the plan's operator
    name = Varchar(length=200)
    probe_kind = Varchar(length=30, default="voice_silent_call")
    # chat_script campaigns: the customer script (probes/chat/scripts) every chat follows
    script_id = Varchar(length=100, null=True, default=None)
    status = Varchar(length=12, default="draft", index=True)
    spec = JSON(default={})  # ScheduleSpec (audit.domain.campaigns.schedule)
    # Telephony account the calls go out on; rate limits are per account.
    account = Varchar(length=64, default="default")
    listen_s = Integer(default=40)
    max_attempts = Integer(default=3)  # tries per run when the *probe* fails
    retry_delay_s = Integer(default=60)
    service_level_s = Real(default=15.0)  # seed 002 §3.4: three rings at 5 s
    created_by = ForeignKey(references=User, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    scheduled_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    paused_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class CampaignTarget(Table, tablename="campaign_target"):
    id: Serial  # Piccolo's implicit primary key, declared for type checkers
    campaign = ForeignKey(references=ProbeCampaign, null=False, index=True)
    venue = ForeignKey(references=Venue, null=False, index=True)
    number = Varchar(length=20)  # E.164 called
    company_name = Varchar(length=200, null=True, default=None)


class CampaignRun(Table, tablename="campaign_run"):
    id: Serial  # Piccolo's implicit primary key, declared for type checkers
    campaign = ForeignKey(references=ProbeCampaign, null=False, index=True)
    target = ForeignKey(references=CampaignTarget, null=False, index=True)
    sequence = Integer(default=0)
    scheduled_at = Timestamptz(index=True)
    caller_id = Varchar(length=20)
    status = Varchar(length=10, default="planned", index=True)
    attempts = Integer(default=0)
    queued_at = Timestamptz(null=True, default=None)
    claimed_by = Varchar(length=100, null=True, default=None)
    claim_token = Varchar(length=32, null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None, index=True)
    probe_run_id = Integer(null=True, default=None, index=True)  # probing's ProbeRun
    outcome = Varchar(length=12, null=True, default=None)
    answer_seconds = Real(null=True, default=None)
    rang = Varchar(length=5, null=True, default=None)  # "true" | "false" | None
    # pass | fail | inconclusive (the probe stopped listening inside the protocol)
    silent_call_verdict = Varchar(length=12, null=True, default=None)
    greeting_verdict = Varchar(length=4, null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    error = Text(null=True, default=None)
    error_code = Integer(null=True, default=None)
    history = JSON(default=[])  # attempts: [{"attempt", "error", "code", "at"}]
