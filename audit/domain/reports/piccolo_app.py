from audit.domain.reports.tables import SubscriberCount
from audit.piccolo_support import app_config

APP_CONFIG = app_config("reports", [SubscriberCount], depends_on=["operators"])
