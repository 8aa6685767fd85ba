"""API shapes of delivery: webhook endpoints, deliveries with their attempts, receipts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from audit.domain.delivery.webhooks import EVENT_TYPES
from audit.validation import ApiIn


class WebhookIn(ApiIn):
    model_config = ConfigDict(extra="forbid")
    url: Annotated[str, StringConstraints(min_length=9, max_length=500)] = Field(
        description="https:// endpoint of the operator"
    )
    events: Annotated[list[str], Field(max_length=len(EVENT_TYPES))] = Field(
        default_factory=list, description=f"event types to receive (empty: all of {EVENT_TYPES})"
    )


class WebhookOut(BaseModel):
    id: int
    operator_id: int
    url: str
    secret_hint: str
    events: list[str]
    active: bool
    created_at: dt.datetime
    disabled_at: dt.datetime | None


class WebhookCreated(WebhookOut):
    secret: str = Field(description="the HMAC-SHA256 signing secret — shown only this once")


class AttemptOut(BaseModel):
    number: int
    attempt_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str | None
    status_code: int | None
    detail: str | None


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event: str
    channel: str
    operator_id: int | None
    notice_id: int | None
    endpoint_id: int | None
    recipient: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    first_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    dead_at: dt.datetime | None
    attempt_log: list[AttemptOut]


class ReceiptOut(BaseModel):
    id: int
    notice_id: int
    kind: str
    at: dt.datetime
    actor: str
    delivery_id: int | None
    detail: dict[str, Any]


class NoticeDeliveriesOut(BaseModel):
    notice_id: int
    deliveries: list[DeliveryOut]
    receipts: list[ReceiptOut]


class MailOut(BaseModel):
    key: str
    subject: str
    to: str
    rcpt_to: str
    date: str
    attachments: list[str]
    text: str
