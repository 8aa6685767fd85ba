from audit.domain.portal.tables import Dispute, FindingItem, Rectification
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "portal",
    [FindingItem, Rectification, Dispute],
    depends_on=["notices", "operators", "accounts"],
)
