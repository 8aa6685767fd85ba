from audit.domain.complaints.tables import Complaint, ComplaintKey, ComplaintTrigger
from audit.piccolo_support import app_config

APP_CONFIG = app_config(
    "complaints", [ComplaintKey, Complaint, ComplaintTrigger], depends_on=["operators"]
)
