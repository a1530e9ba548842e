"""Carts hold products and quantities only; prices are read from the product on every view."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import Product
from shop.core.time import utcnow
from shop.extensions import db


class Cart(db.Model):
    __tablename__ = "cart"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, unguessable: the guest's signed cookie and the API carry it.
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    # The code the customer entered (upper-case); checked again at every read and at checkout.
    promotion_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    lines: Mapped[list["CartLine"]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id"
    )


class CartLine(db.Model):
    __tablename__ = "cart_line"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id", name="uq_cart_line_product"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(
        ForeignKey("cart.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    # What the customer saw when adding: only to tell them plainly that the price changed.
    price_seen: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
