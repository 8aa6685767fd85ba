from audit.domain.inspections.tables import Finding, Inspection, ItemEvidence, ItemResult
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "inspections",
    [Inspection, ItemResult, ItemEvidence, Finding],
    depends_on=["plans", "evidence", "operators", "accounts"],
)
