"""What the management services share: their error and their commit."""

from shop.extensions import db


class ManageError(ValueError):
    """A management rule was broken; the message is Indonesian and safe to show."""


def commit():
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def short(value):
    """A value as the audit note shows it: at most 40 characters."""
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
