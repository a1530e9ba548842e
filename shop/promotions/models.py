"""Promotions run by partners: benefit, scope, conditions, limits, funding, redemption."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.time import utcnow
from shop.extensions import db
from shop.promotions.partners import PartnerOrganization

BENEFITS = ("percent", "amount", "free_shipping")
SCOPES = ("all", "facilities", "categories", "products")
FUNDING = ("partner", "facility")
REDEMPTION = ("automatic", "code")
APPROVAL = ("draft", "pending", "approved", "rejected")


class Promotion(db.Model):
    __tablename__ = "promotion"
    __table_args__ = (
        CheckConstraint("benefit IN ('percent', 'amount', 'free_shipping')", name="benefit_known"),
        CheckConstraint("benefit != 'percent' OR (value BETWEEN 1 AND 90)", name="percent_range"),
        CheckConstraint("benefit != 'amount' OR value > 0", name="amount_positive"),
        CheckConstraint("scope IN ('all', 'facilities', 'categories', 'products')",
                        name="scope_known"),
        CheckConstraint("funding IN ('partner', 'facility')", name="funding_known"),
        CheckConstraint("redemption IN ('automatic', 'code')", name="redemption_known"),
        CheckConstraint("approval IN ('draft', 'pending', 'approved', 'rejected')",
                        name="approval_known"),
        CheckConstraint("uses >= 0 AND discount_given >= 0", name="counters_non_negative"),
        CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="uses_within_limit"),
        CheckConstraint("budget IS NULL OR discount_given <= budget", name="within_budget"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner_organization.id"), nullable=False, index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(160), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC
    ends_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)  # UTC
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    approval: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    benefit: Mapped[str] = mapped_column(String(20), nullable=False)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    scope: Mapped[str] = mapped_column(String(20), nullable=False, default="all")
    min_subtotal: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    first_order_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signed_in_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    max_uses_per_customer: Mapped[int | None] = mapped_column(Integer)
    budget: Mapped[int | None] = mapped_column(BigInteger)
    uses: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    discount_given: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    funding: Mapped[str] = mapped_column(String(10), nullable=False, default="partner")
    redemption: Mapped[str] = mapped_column(String(10), nullable=False, default="code")
    combinable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    partner: Mapped[PartnerOrganization] = relationship()
    targets: Mapped[list["PromotionTarget"]] = relationship(
        back_populates="promotion", cascade="all, delete-orphan"
    )


class PromotionTarget(db.Model):
    """One facility, category or product a scoped promotion applies to."""

    __tablename__ = "promotion_target"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN facility_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN category_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN product_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotion.id", ondelete="CASCADE"), nullable=False, index=True
    )
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))

    promotion: Mapped[Promotion] = relationship(back_populates="targets")


class PromotionCode(db.Model):
    """A code customers type (stored upper-case). Shared, or single-use from a batch."""

    __tablename__ = "promotion_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotion.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    single_use: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_by_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="SET NULL")
    )

    promotion: Mapped[Promotion] = relationship()


class Redemption(db.Model):
    """One use of a promotion by one order (written in the order's transaction)."""

    __tablename__ = "redemption"
    __table_args__ = (UniqueConstraint("promotion_id", "order_id", name="uq_redemption_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotion.id", ondelete="CASCADE"), nullable=False, index=True
    )
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_id: Mapped[int | None] = mapped_column(ForeignKey("promotion_code.id"))
    customer_key: Mapped[str] = mapped_column(String(270), nullable=False, index=True)
    discount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    # Set when the order expired or was cancelled unpaid: its use, budget and code went back
    # to the promotion. A late payment takes them again (or is refunded).
    released_at: Mapped[datetime | None] = mapped_column(DateTime)


class ParcelDiscount(db.Model):
    """The part of one promotion's discount that reduced one facility order, and who pays it."""

    __tablename__ = "parcel_discount"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_order_id: Mapped[int] = mapped_column(
        ForeignKey("facility_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    promotion_id: Mapped[int] = mapped_column(
        ForeignKey("promotion.id", ondelete="CASCADE"), nullable=False, index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    shipping_part: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    funding: Mapped[str] = mapped_column(String(10), nullable=False)

    promotion: Mapped[Promotion] = relationship()
