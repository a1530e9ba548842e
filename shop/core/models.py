"""Small tables shared by every area."""

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db


class CacheVersion(db.Model):
    """A counter per cached area, bumped in the same transaction as any change to that area;
    cached pages are keyed on it, so a change is visible on the very next request."""

    __tablename__ = "cache_version"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
