from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.operators.tables import Operator


class User(Table, tablename="app_user"):
    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    username = Varchar(length=150, unique=True)
    display_name = Varchar(length=200, default="")
    email = Varchar(length=254, null=True, default=None)
    role = Varchar(length=20, index=True)
    operator = ForeignKey(references=Operator, null=True, default=None, index=True)
    password_hash = Varchar(length=200)  # argon2id
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    language = Varchar(length=10, default="zh-CN")  # the web UI's language (zh-CN | en)


class ApiToken(Table, tablename="api_token"):
    """A personal token for automation; only its SHA-256 is stored."""

    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    user = ForeignKey(references=User, null=False, index=True)
    name = Varchar(length=100)
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=12)  # shown in lists so a user can tell tokens apart
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked = Boolean(default=False)


class WebSession(Table, tablename="web_session"):
    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    user = ForeignKey(references=User, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
