from audit.domain.accounts.tables import ApiToken, User, WebSession
from audit.piccolo_support import app_config

APP_CONFIG = app_config("accounts", [User, ApiToken, WebSession], depends_on=["operators"])
