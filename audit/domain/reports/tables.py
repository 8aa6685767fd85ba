"""Subscriber counts per operator and period: the denominator of complaints per million users
(the regulator enters or imports them; MIIT publishes per-million complaint rates)."""

from piccolo.columns import BigInt, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from audit.domain.operators.tables import Operator


class SubscriberCount(Table, tablename="subscriber_count"):
    """(operator, period) is unique (index created by the migration)."""

    id: Serial  # Piccolo's implicit primary key, declared for type checkers

    operator = ForeignKey(references=Operator, null=False, index=True, on_delete=OnDelete.restrict)
    period = Varchar(length=7)  # 2026Q3 or 2026-07 (see periods.py)
    subscribers = BigInt()
    source = Varchar(length=200, default="")  # where the figure comes from (operator report …)
    updated_at = Timestamptz(default=TimestamptzNow())
