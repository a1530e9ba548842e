"""Time is stored in UTC and shown in WIT (Asia/Jayapura)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WIT = ZoneInfo("Asia/Jayapura")


def utcnow() -> datetime:
    """Naive UTC now: what the database columns store (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_wit(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIT)
