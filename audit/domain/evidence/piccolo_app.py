from audit.domain.evidence.tables import Evidence
from audit.piccolo_support import app_config

APP_CONFIG = app_config("evidence", [Evidence], depends_on=["accounts"])
