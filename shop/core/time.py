"""Time is stored in UTC and shown in WIT (Asia/Jayapura)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

WIT = ZoneInfo("Asia/Jayapura")


def utcnow() -> datetime:
    """Naive UTC now: what the database columns store (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_wit(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIT)


def from_wit(value: datetime) -> datetime:
    """A WIT wall-clock time (naive or aware) as naive UTC, the way columns store it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=WIT)
    return value.astimezone(UTC).replace(tzinfo=None)


def wit_today():
    """Today's date in WIT."""
    return to_wit(utcnow()).date()


def flagship_target_year() -> int:
    """The flagship target's year: FLAGSHIP_TARGET_YEAR when set, else the current year (WIT)."""
    return current_app.config.get("FLAGSHIP_TARGET_YEAR") or wit_today().year


def wit_days_as_utc(start, end) -> tuple[datetime, datetime]:
    """The WIT calendar days start..end (dates, both included) as naive UTC bounds [lo, hi)."""
    from datetime import time, timedelta

    return (from_wit(datetime.combine(start, time.min)),
            from_wit(datetime.combine(end + timedelta(days=1), time.min)))


def wit_month_as_utc(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """The WIT year (or month) as naive UTC bounds [start, end)."""
    if month is None:
        return from_wit(datetime(year, 1, 1)), from_wit(datetime(year + 1, 1, 1))
    return (from_wit(datetime(year, month, 1)),
            from_wit(datetime(year + (month == 12), month % 12 + 1, 1)))
