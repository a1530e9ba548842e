"""The monthly close: a WIT month closed by the Kanwil and the figures frozen at that moment,
one row per facility (see shop.payments.accounting for what each figure means)."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.time import utcnow
from shop.extensions import db

# The money figures of a facility-month, in the order of the CSV and the PDF statement.
FIGURE_FIELDS = ("gross", "facility_discounts", "partner_discounts", "goods_refunds",
                 "goods_revenue", "premi", "pnbp", "capital", "shipping", "shipping_discounts",
                 "unique_codes", "gateway_fees", "partner_owed")
COUNT_FIELDS = ("parcels", "cancelled", "units")


class MonthClose(db.Model):
    """One closing of a WIT month. A reopened close keeps its row (reopened_at, the reason);
    closing again writes a new row. At most one row of a month is in force (reopened_at
    NULL): the services check it under a lock on the period, and a partial unique index
    refuses a second one whatever the code does."""

    __tablename__ = "month_close"
    __table_args__ = (
        Index("uq_month_close_in_force", "year", "month", unique=True,
              sqlite_where=text("reopened_at IS NULL"),
              postgresql_where=text("reopened_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    month: Mapped[int] = mapped_column(Integer, nullable=False)
    # the WIT month as naive UTC bounds [starts_at, ends_at), like customer_order.paid_at
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    closed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    # parcel numbers still open at the close, listed by the Kanwil as exceptions (one a line)
    exceptions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    checksum: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    reopen_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    figures: Mapped[list["MonthCloseFigure"]] = relationship(
        back_populates="close", order_by="MonthCloseFigure.facility_name",
        cascade="all, delete-orphan")

    @property
    def exception_list(self) -> list[str]:
        return [line for line in self.exceptions.splitlines() if line.strip()]


class MonthCloseFigure(db.Model):
    """A facility's figures of a closed month, as they were at the close."""

    __tablename__ = "month_close_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    close_id: Mapped[int] = mapped_column(
        ForeignKey("month_close.id", ondelete="CASCADE"), nullable=False, index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), nullable=False)
    facility_name: Mapped[str] = mapped_column(String(160), nullable=False)
    facility_slug: Mapped[str] = mapped_column(String(80), nullable=False)
    # the percentages of the sales in the month, e.g. "50/15/35" or "50/15/35; 60/15/25"
    rule: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    parcels: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    units: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    gross: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    facility_discounts: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    partner_discounts: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    goods_refunds: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    goods_revenue: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    premi: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    pnbp: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    capital: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    shipping: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    shipping_discounts: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    unique_codes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    gateway_fees: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0,
                                              server_default="0")
    partner_owed: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    checksum: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    close: Mapped[MonthClose] = relationship(back_populates="figures")
