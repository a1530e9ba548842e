"""A shop page the Kanwil edits (about, terms, privacy, returns, contact, FAQ): Markdown."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.time import utcnow
from shop.extensions import db


class ShopPage(db.Model):
    """Only pages the Kanwil has saved have a row; the others show the text shipped with the
    shop (shop/pages/defaults/<slug>.md)."""

    __tablename__ = "shop_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


def init_models():
    from shop.core.cache import register_catalog_models

    register_catalog_models(ShopPage)  # a saved page shows at once despite the page cache
