"""Delivery to operators (issue 17): webhook endpoints, the outbox of deliveries with every
attempt, and the receipts shown on a notice. Nothing here is deleted: a dead delivery stays
on the dead-letter list until someone resends it (a new attempt of the same delivery)."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.accounts.tables import User
from audit.domain.notices.tables import Notice
from audit.domain.operators.tables import Operator

DELIVERY_STATUSES = ("pending", "sending", "delivered", "dead")


class WebhookEndpoint(Table, tablename="webhook_endpoint"):
    """An operator's HTTPS endpoint; the signing secret is shown once, at registration."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    url = Varchar(length=500)
    secret = Varchar(length=100, secret=True)  # HMAC key: needed to sign, never returned again
    secret_hint = Varchar(length=12)  # first characters, so people can tell secrets apart
    events = JSON(default=[])  # event types wanted; empty = all
    active = Boolean(default=True)
    created_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    disabled_at = Timestamptz(null=True, default=None)


class Delivery(Table, tablename="delivery"):
    """One event for one recipient (an email address or a webhook endpoint)."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    event_id = Varchar(length=40, unique=True)  # stable id the receiver deduplicates on
    event = Varchar(length=40, index=True)  # notice.issued, finding.reminder, …
    channel = Varchar(length=8)  # email | webhook
    operator = ForeignKey(
        references=Operator, null=True, default=None, index=True, on_delete=OnDelete.restrict
    )  # None: to the regulator's staff (escalations)
    notice = ForeignKey(
        references=Notice, null=True, default=None, index=True, on_delete=OnDelete.restrict
    )
    endpoint = ForeignKey(
        references=WebhookEndpoint, null=True, default=None, on_delete=OnDelete.restrict
    )
    recipient = Varchar(length=500)  # address(es) or URL, as sent
    payload = JSON(default={})  # the event body (webhooks) / mail data (email)
    status = Varchar(length=10, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(null=True, default=None, index=True)
    claim_token = Varchar(length=32, null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    first_attempt_at = Timestamptz(null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
    dead_at = Timestamptz(null=True, default=None)


class DeliveryAttempt(Table, tablename="delivery_attempt"):
    """One try; ``attempt_id`` (unique) is what the receiver sees in ``X-Audit-Attempt``."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    delivery = ForeignKey(references=Delivery, null=False, index=True, on_delete=OnDelete.restrict)
    number = Integer()
    attempt_id = Varchar(length=60, unique=True)
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=10, null=True, default=None)  # ok | error | timeout | bounced
    status_code = Integer(null=True, default=None)  # HTTP status or SMTP reply code
    detail = Text(null=True, default=None)


class NoticeReceipt(Table, tablename="notice_receipt"):
    """What happened to a notice after issue: sent, bounced, delivered, downloaded, read."""

    id = Serial(primary_key=True)  # declared so type checkers see it
    notice = ForeignKey(references=Notice, null=False, index=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=24)
    at = Timestamptz(default=TimestamptzNow())
    actor_id = Integer(null=True, default=None)
    actor = Varchar(length=150, default="")
    delivery_id = Integer(null=True, default=None)
    detail = JSON(default={})
