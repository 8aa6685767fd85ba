"""Delivery API: operators register webhook endpoints (the secret is returned once); staff see
every delivery and receipt of a notice, the dead-letter list, resend, and — in the embedded
mode — the mails the local SMTP server received."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter

from audit.api import CurrentActor, Id, Limit
from audit.context import Actor
from audit.domain.accounts.guards import require
from audit.domain.delivery import mailsink, outbox, webhooks
from audit.domain.delivery.config import mail_dir
from audit.domain.delivery.schemas import (
    DeliveryOut,
    MailOut,
    NoticeDeliveriesOut,
    ReceiptOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from audit.domain.notices.services import load as load_notice
from audit.errors import NotFound


def _own_operator(operator_id: int, actor: Actor) -> None:
    """Operator users manage only their own operator's endpoints (others: 404)."""
    if actor.is_operator and actor.operator_id != operator_id:
        raise NotFound(f"operator {operator_id} not found")


class WebhookController(Controller):
    path = "/"
    tags = ["delivery"]

    @post(
        "/operators/{operator_id:int}/webhooks",
        guards=[require("webhooks.manage")],
        summary="Register an HTTPS webhook endpoint; returns the signing secret once",
    )
    async def register(
        self, operator_id: Id, data: JSONBody[WebhookIn], actor: CurrentActor
    ) -> WebhookCreated:
        _own_operator(operator_id, actor)
        from audit.domain.operators.tables import Operator

        if not await Operator.exists().where(Operator._meta.primary_key == operator_id):
            raise NotFound(f"operator {operator_id} not found")
        return WebhookCreated(**await webhooks.register(operator_id, data.url, data.events, actor))

    @get("/operators/{operator_id:int}/webhooks", guards=[require("webhooks.read")])
    async def list_webhooks(self, operator_id: Id, actor: CurrentActor) -> list[WebhookOut]:
        _own_operator(operator_id, actor)
        return [WebhookOut(**r) for r in await webhooks.list_endpoints(operator_id)]

    @post(
        "/webhooks/{endpoint_id:int}/disable", guards=[require("webhooks.manage")], status_code=200
    )
    async def disable(self, endpoint_id: Id, actor: CurrentActor) -> WebhookOut:
        row = await webhooks.get_endpoint(endpoint_id)
        _own_operator(row["operator_id"], actor)
        return WebhookOut(**await webhooks.disable(endpoint_id, actor))


class DeliveryController(Controller):
    path = "/"
    tags = ["delivery"]

    @get(
        "/notices/{notice_id:int}/deliveries",
        guards=[require("portal.staff")],
        summary="Delivery receipts: every attempt, bounce, download and acknowledgement",
    )
    async def of_notice(self, notice_id: Id) -> NoticeDeliveriesOut:
        await load_notice(notice_id)  # 404 for an unknown notice
        return NoticeDeliveriesOut(
            notice_id=notice_id,
            deliveries=[
                DeliveryOut(**d) for d in await outbox.list_deliveries(notice_id=notice_id)
            ],
            receipts=[ReceiptOut(**r) for r in await outbox.receipts(notice_id)],
        )

    @get(
        "/deliveries",
        guards=[require("portal.staff")],
        summary="Deliveries (status=dead: dead letters)",
    )
    async def list_deliveries(
        self,
        status: Annotated[
            str | None, QueryParameter(enum=["pending", "sending", "delivered", "dead"])
        ] = None,
        limit: Limit = 200,
    ) -> list[DeliveryOut]:
        return [DeliveryOut(**d) for d in await outbox.list_deliveries(status=status, limit=limit)]

    @post(
        "/deliveries/{delivery_id:int}/resend",
        guards=[require("portal.decide")],
        status_code=200,
        summary="Send a dead letter again",
    )
    async def resend(self, delivery_id: Id, actor: CurrentActor) -> DeliveryOut:
        return DeliveryOut(**await outbox.resend(delivery_id, actor))

    @get(
        "/mailbox",
        guards=[require("portal.staff")],
        summary="Embedded mode: mails received by the local SMTP server",
    )
    async def mailbox(self, limit: Limit = 100) -> list[MailOut]:
        sink = mailsink.running()
        found = mailsink.read_messages(sink.directory if sink else mail_dir())
        return [
            MailOut(
                key=m.key,
                subject=m.subject,
                to=m.to,
                rcpt_to=m.rcpt_to,
                date=m.date,
                attachments=[a[0] for a in m.attachments],
                text=m.text,
            )
            for m in reversed(found[-limit:])
        ]


ROUTES = [WebhookController, DeliveryController]
