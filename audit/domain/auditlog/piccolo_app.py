from audit.domain.auditlog.tables import AuditEntry
from audit.piccolo_support import app_config

APP_CONFIG = app_config("auditlog", [AuditEntry])
