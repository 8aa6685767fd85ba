from audit.domain.notices.tables import Notice, NoticeCounter
from audit.piccolo_support import app_config

APP_CONFIG = app_config("notices", [Notice, NoticeCounter], depends_on=["operators", "accounts"])
