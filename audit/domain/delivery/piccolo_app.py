from audit.domain.delivery.tables import Delivery, DeliveryAttempt, NoticeReceipt, WebhookEndpoint
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "delivery",
    [WebhookEndpoint, Delivery, DeliveryAttempt, NoticeReceipt],
    depends_on=["notices", "operators", "accounts"],
)
