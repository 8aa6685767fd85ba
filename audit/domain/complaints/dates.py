"""Received-at values → (UTC timestamp or None, calendar date in the regulator's zone).

Design rule (design.md §5): store UTC, judge "within one month" in the regulator's zone
(Asia/Shanghai by default). A bare date is already a calendar date and is kept as given; a
timestamp without offset is read as the regulator's local time; one with an offset is converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from audit import validation
from audit.validation import check_observed

DEFAULT_ZONE = "Asia/Shanghai"


@lru_cache(maxsize=32)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class Received:
    at: datetime | None  # aware, UTC; None when only a date was given
    on: date  # calendar date in the regulator's zone


def received_from_datetime(
    value: datetime, tz: tzinfo, source_tz: tzinfo | None = None
) -> Received:
    """A parsed timestamp: naive ones are local to ``source_tz`` (default: the regulator's zone)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=source_tz or tz)
    _observed(value)  # before any zone arithmetic (year 1 would overflow it)
    return Received(value.astimezone(UTC), value.astimezone(tz).date())


def _observed(value: date | datetime) -> None:
    """A complaint is received in 2000 … now + 1 day (issue 16: year 1 crashed the trigger)."""
    try:
        check_observed(value)
    except ValueError as exc:
        raise ValueError(f"received_at {exc}") from None


def parse_received(
    text: str,
    tz: tzinfo,
    formats: tuple[str, ...] = (),
    source_tz: tzinfo | None = None,
) -> Received:
    """Parse an ISO date/timestamp (or one of ``formats`` given as strptime patterns).

    Raises ``ValueError`` with a message naming the value when nothing fits.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("received_at is empty")
    for fmt in formats:
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if _is_date_only(fmt):
            _observed(parsed.date())
            return Received(None, parsed.date())
        return received_from_datetime(parsed, tz, source_tz)
    if formats:
        raise ValueError(f"received_at {raw!r} matches none of the formats {list(formats)}")
    if len(raw) == 10:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            pass
        else:
            _observed(day)
            return Received(None, day)
    try:
        # Python 3.11 fromisoformat accepts "Z", "T" or space, fractions and offsets.
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"received_at {raw!r} is not an ISO date (YYYY-MM-DD) or timestamp"
        ) from None
    return received_from_datetime(parsed, tz, source_tz)


class LocalDater:
    """Fast ISO parsing for bulk imports: memoises the zone conversion per (date, hour, offset).

    The local date of a timestamp depends only on its instant; when the source offset and the
    regulator's offset are whole hours, every timestamp within one source hour shares it.
    """

    __slots__ = ("_dates", "_hours", "_latest", "_source_tz", "_tz")

    def __init__(self, tz: tzinfo, source_tz: tzinfo | None = None) -> None:
        self._tz = tz
        self._source_tz = source_tz
        self._dates: dict[str, date] = {}
        self._hours: dict[str, date] = {}
        # the latest acceptable local date (check_observed: at most a day ahead)
        self._latest = (validation.CLOCK() + timedelta(days=1)).astimezone(tz).date()

    def parse(self, text: str) -> tuple[datetime | None, date]:
        """Like :func:`parse_received` for ISO values; returns (aware timestamp or None, date)."""
        if len(text) == 10:
            got = self._dates.get(text)
            if got is None:
                got = self._dates[text] = parse_received(text, self._tz).on
            return None, got
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parse_received(text, self._tz)  # raises with the standard message
            raise
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self._source_tz or self._tz)
        if not 2000 <= parsed.year <= self._latest.year:
            _observed(parsed)  # raises (before the zone arithmetic, which could overflow)
        key = text[:13] + text[19:] if len(text) >= 19 and text[16] == ":" else None
        if key is not None:
            on = self._hours.get(key)
            if on is not None:
                return parsed, on
        local = parsed.astimezone(self._tz)
        off = local.utcoffset()
        src = parsed.utcoffset()
        whole = (
            off is not None
            and src is not None
            and off.seconds % 3600 == 0
            and src.seconds % 3600 == 0
        )
        on = local.date()
        if on > self._latest:
            _observed(parsed)  # raises: more than a day in the future
        if key is not None and whole:
            self._hours[key] = on
        return parsed, on


def _is_date_only(fmt: str) -> bool:
    return not any(code in fmt for code in ("%H", "%I", "%M", "%S", "%p", "%X", "%c", "%z"))
