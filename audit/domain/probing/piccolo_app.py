from audit.domain.probing.tables import ProbeEvent, ProbeRun
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "probing",
    [ProbeRun, ProbeEvent],
    depends_on=["accounts", "operators", "plans", "inspections"],
)
