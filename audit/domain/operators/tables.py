from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

VENUE_KINDS = ("hotline", "web_chat", "chat_api", "business_hall", "agency_point", "info_line")


class Operator(Table, tablename="operator"):
    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    name = Varchar(length=200, unique=True)
    uscc = Varchar(length=18, unique=True, null=True, default=None)  # 统一社会信用代码
    contacts = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())


class Venue(Table, tablename="venue"):
    """A place or channel where an operator serves customers (seed 004 Art. 4)."""

    id: Serial  # Piccolo adds the primary key; declared here for type checkers
    operator = ForeignKey(references=Operator, null=False, index=True)
    kind = Varchar(length=20, index=True)
    name = Varchar(length=200)
    region_code = Varchar(length=6, null=True, default=None, index=True)  # GB/T 2260
    address = Varchar(length=300, null=True, default=None)
    phones = JSON(default=[])  # E.164
    service_numbers = JSON(default=[])  # short service codes such as 10086 (not E.164)
    urls = JSON(default=[])
    company_name = Varchar(length=200, null=True, default=None)  # spoken in greetings
    sessions_per_day = Integer(null=True, default=None)  # chat: > 300 ⇒ 60 s first response
    profile = JSON(default={})  # channel-specific data, e.g. a chat target profile
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
