"""Payments, the gateway events received (each processed once) and refunds."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.time import utcnow
from shop.extensions import db
from shop.orders.models import Order


class Payment(db.Model):
    """One attempt to collect an order's total by one method: a Stripe PaymentIntent, a
    Midtrans Snap transaction, a bank transfer awaiting confirmation, or payment at pickup."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), nullable=False, index=True
    )
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    intent_id: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    client_secret: Mapped[str] = mapped_column(String(200), nullable=False)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)  # rupiah
    status: Mapped[str] = mapped_column(String(30), nullable=False, default="created")
    last_error: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20), nullable=False, default="card",
                                        server_default="card")
    # What the customer must send: amount + unique_code for a bank transfer, else amount.
    unique_code: Mapped[int | None] = mapped_column(Integer)
    amount_due: Mapped[int | None] = mapped_column(BigInteger)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    redirect_url: Mapped[str | None] = mapped_column(String(500))
    # The channel that paid: qris, bank_transfer (VA), gopay... for Midtrans; cash or qris at
    # a facility's counter.
    channel: Mapped[str | None] = mapped_column(String(40))
    # Confirmation by a person (bank transfer by the Kanwil, pickup by the facility's staff).
    reference: Mapped[str | None] = mapped_column(String(100))
    received_amount: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_by: Mapped[str | None] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    proof_key: Mapped[str | None] = mapped_column(String(200))
    proof_uploaded_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The gateway's fee for a succeeded payment (shop.payments.fees): NULL until known;
    # fee_source says where it came from: "gateway" (reported, Stripe's balance transaction),
    # "contract" (the contracted rate of the channel, Midtrans), "none" (no gateway).
    fee: Mapped[int | None] = mapped_column(BigInteger)
    fee_source: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    order: Mapped[Order] = relationship()

    @property
    def due(self) -> int:
        return self.amount_due if self.amount_due is not None else self.amount


class TransferCode(db.Model):
    """The unique code of an open bank transfer. A row exists while the transfer is open; the
    primary key makes the code, and the unique amount_due makes the amount, unique among open
    transfers, so a credit on the bank statement points to one order."""

    __tablename__ = "transfer_code"
    __table_args__ = (CheckConstraint("code BETWEEN 1 AND 999", name="code_range"),)

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount_due: Mapped[int] = mapped_column(BigInteger, unique=True, nullable=False)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class StatementLine(db.Model):
    """A credit line of an imported bank statement. The fingerprint (date, description, amount
    and its occurrence in the file) makes importing the same statement twice change nothing."""

    __tablename__ = "statement_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    booked_on: Mapped[str] = mapped_column(String(10), nullable=False)  # YYYY-MM-DD
    description: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # matched (confirmed an order), unmatched, ambiguous (several open transfers), handled
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="SET NULL"))
    imported_by: Mapped[str] = mapped_column(String(254), nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class PaymentEvent(db.Model):
    """A gateway event. The unique event id makes processing happen once, however often the
    gateway delivers it."""

    __tablename__ = "payment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    event_id: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    event_type: Mapped[str] = mapped_column(String(60), nullable=False)
    intent_id: Mapped[str | None] = mapped_column(String(100), index=True)
    outcome: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class Refund(db.Model):
    __tablename__ = "refund"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="CASCADE"), nullable=False, index=True
    )
    facility_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("facility_order.id", ondelete="SET NULL"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    # "pending" until the gateway confirms; a retry finishes pending ones, nothing is lost.
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    provider_refund_id: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    # A refund no gateway can make (bank transfer, VA, cash at pickup) is a task for the
    # Kanwil: "manual" until the customer gives an account, "ready", then "succeeded". The
    # account is kept only until the money is sent.
    manual: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    account_bank: Mapped[str | None] = mapped_column(String(60))
    account_number: Mapped[str | None] = mapped_column(String(30))
    account_holder: Mapped[str | None] = mapped_column(String(120))
    account_given_at: Mapped[datetime | None] = mapped_column(DateTime)
    paid_reference: Mapped[str | None] = mapped_column(String(100))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    payment: Mapped[Payment] = relationship()


class ParcelPayment(db.Model):
    """Money a facility's staff took at the counter for one parcel paid at pickup (cash, or the
    facility's own static QRIS). One row per parcel at most: the unique facility order makes a
    parcel paid once, however many staff press the button."""

    __tablename__ = "parcel_payment"
    __table_args__ = (CheckConstraint("method IN ('cash', 'qris')", name="method_known"),
                      CheckConstraint("amount > 0", name="amount_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_order_id: Mapped[int] = mapped_column(
        ForeignKey("facility_order.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("payment.id", ondelete="CASCADE"), nullable=False, index=True
    )
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)  # rupiah
    reference: Mapped[str | None] = mapped_column(String(100))
    received_by: Mapped[str] = mapped_column(String(254), nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
