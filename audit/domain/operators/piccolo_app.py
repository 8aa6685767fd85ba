from audit.domain.operators.tables import Operator, Venue
from audit.piccolo_support import app_config

APP_CONFIG = app_config("operators", [Operator, Venue])
