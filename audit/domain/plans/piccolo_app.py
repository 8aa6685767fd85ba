from audit.domain.plans.tables import (
    AuditPlan,
    ChecklistVersion,
    PlanChecklist,
    PlanInspector,
    PlanVenue,
)
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "plans",
    [ChecklistVersion, AuditPlan, PlanVenue, PlanChecklist, PlanInspector],
    depends_on=["operators", "accounts"],
)
