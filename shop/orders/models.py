"""A customer's order and, inside it, one fulfilment order per facility."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.time import utcnow
from shop.extensions import db
from shop.facilities.models import Facility

ORDER_STATUSES = ("pending_payment", "paid", "partially_shipped", "shipped", "completed",
                  "cancelled", "expired")
FACILITY_ORDER_STATUSES = ("awaiting_payment", "new", "accepted", "packed", "shipped",
                           "delivered", "ready_for_pickup", "picked_up", "cancelled")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Order(db.Model):
    __tablename__ = "customer_order"
    __table_args__ = (
        CheckConstraint(_in("status", ORDER_STATUSES), name="status_known"),
        CheckConstraint("total = subtotal + shipping_total - discount_total", name="total_adds_up"),
        CheckConstraint("total >= 0", name="total_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    # sha256 of the secret access token; the token itself is only ever given to the customer.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending_payment")
    contact_name: Mapped[str] = mapped_column(String(120), nullable=False)
    email: Mapped[str] = mapped_column(String(254), nullable=False, index=True)
    # The mailbox behind the email (shop.core.text.email_identity): per-customer limits and
    # "first order only" count variants of one address once.
    email_key: Mapped[str] = mapped_column(String(254), nullable=False, default="",
                                           server_default="", index=True)
    phone: Mapped[str] = mapped_column(String(20), nullable=False)
    street: Mapped[str] = mapped_column(String(200), nullable=False)
    rt_rw: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    kelurahan: Mapped[str] = mapped_column(String(100), nullable=False)
    kecamatan: Mapped[str] = mapped_column(String(100), nullable=False)
    city: Mapped[str] = mapped_column(String(100), nullable=False)
    province: Mapped[str] = mapped_column(String(60), nullable=False)
    postal_code: Mapped[str] = mapped_column(String(5), nullable=False)
    # Kemendagri code of the chosen kelurahan/desa ("82.71.03.1001"); empty for addresses
    # typed as free text (older orders, API clients that send names only).
    village_code: Mapped[str] = mapped_column(String(13), nullable=False, default="",
                                              server_default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    subtotal: Mapped[int] = mapped_column(BigInteger, nullable=False)
    shipping_total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    discount_total: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # The buyer's language at checkout: every mail about the order is written in it.
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="id",
                                          server_default="id")
    # How the customer pays (shop.payments.methods): card, midtrans, bank_transfer,
    # pay_at_pickup. The payment window below depends on it.
    payment_method: Mapped[str] = mapped_column(String(20), nullable=False, default="card",
                                                server_default="card")
    # Stock is held until then; after it an unpaid order expires and gives the stock back.
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    facility_orders: Mapped[list["FacilityOrder"]] = relationship(
        back_populates="order", order_by="FacilityOrder.number", cascade="all, delete-orphan"
    )


class FacilityOrder(db.Model):
    __tablename__ = "facility_order"
    __table_args__ = (
        CheckConstraint(_in("status", FACILITY_ORDER_STATUSES), name="status_known"),
        CheckConstraint("delivery IN ('courier', 'pickup')", name="delivery_known"),
        CheckConstraint("total = subtotal + shipping - discount", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), nullable=False, index=True)
    number: Mapped[str] = mapped_column(String(24), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="awaiting_payment",
                                        index=True)
    delivery: Mapped[str] = mapped_column(String(10), nullable=False)
    shipping_zone: Mapped[str | None] = mapped_column(String(20))
    weight_grams: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    subtotal: Mapped[int] = mapped_column(BigInteger, nullable=False)
    shipping: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    discount: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    courier: Mapped[str | None] = mapped_column(String(40))
    # The facility's premi / PNBP / working-capital percentages in force when the order was
    # paid (shop.payments.accounting): a later change of the facility's split leaves it as is.
    premi_percent: Mapped[int | None] = mapped_column(Integer)
    pnbp_percent: Mapped[int | None] = mapped_column(Integer)
    capital_percent: Mapped[int | None] = mapped_column(Integer)
    # The parcel's share of money received beside its price, never split (shop.payments.fees):
    # the bank-transfer unique code and the gateway's fee of the order's payment, spread over
    # the order's parcels in proportion to their totals (largest remainder).
    unique_code_share: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0,
                                                   server_default="0")
    gateway_fee: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0,
                                             server_default="0")
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    order: Mapped[Order] = relationship(back_populates="facility_orders")
    facility: Mapped[Facility] = relationship()
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="facility_order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["FacilityOrderEvent"]] = relationship(
        back_populates="facility_order", order_by="FacilityOrderEvent.id",
        cascade="all, delete-orphan",
    )


class OrderLine(db.Model):
    """A snapshot of what was bought: name, unit and price as they were at checkout."""

    __tablename__ = "order_line"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("line_total = unit_price * quantity", name="line_total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_order_id: Mapped[int] = mapped_column(
        ForeignKey("facility_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.id", ondelete="SET NULL"), index=True
    )
    product_slug: Mapped[str] = mapped_column(String(100), nullable=False)
    product_name: Mapped[str] = mapped_column(String(160), nullable=False)
    product_name_en: Mapped[str | None] = mapped_column(String(160))  # when the product had one
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_price: Mapped[int] = mapped_column(BigInteger, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    weight_grams: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    facility_order: Mapped[FacilityOrder] = relationship(back_populates="lines")

    def name_in(self, locale: str) -> str:
        """The product's name as bought, in English for an English reader when it had one."""
        return self.product_name_en if locale == "en" and self.product_name_en else \
            self.product_name


class FacilityOrderEvent(db.Model):
    """The parcel's timeline and audit trail: who moved it, when, from where to where."""

    __tablename__ = "facility_order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_order_id: Mapped[int] = mapped_column(
        ForeignKey("facility_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False, default="system")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    facility_order: Mapped[FacilityOrder] = relationship(back_populates="events")
