"""The bank transfer reminder: BANK_TRANSFER_REMINDER_HOURS (6) before the deadline of an open
transfer, one mail with the exact amount, the account and the deadline. Sent once: the
reminded_at stamp is taken with a conditional update, so two runs at once send one mail."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from shop.core.money import format_rupiah
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import Order
from shop.payments.models import Payment


def due_reminders(now=None) -> list[int]:
    """Open bank transfers of open orders whose deadline is within the reminder window."""
    now = now or utcnow()
    soon = now + timedelta(hours=current_app.config["BANK_TRANSFER_REMINDER_HOURS"])
    return list(db.session.scalars(
        select(Payment.id).join(Order, Order.id == Payment.order_id)
        .where(Payment.method == "bank_transfer", Payment.status == "awaiting_transfer",
               Payment.reminded_at.is_(None), Payment.expires_at > now,
               Payment.expires_at <= soon, Order.status == "pending_payment")
        .order_by(Payment.expires_at)
    ))


def remind_transfers(now=None) -> int:
    """Queue the reminder of every due transfer, each in its own transaction. Returns how many
    were sent."""
    now = now or utcnow()
    config = current_app.config
    sent = 0
    for payment_id in due_reminders(now):
        claimed = db.session.execute(
            update(Payment).where(Payment.id == payment_id, Payment.reminded_at.is_(None))
            .values(reminded_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        payment = db.session.get(Payment, payment_id)
        order = payment.order
        queue_email(order.email,
                    _("Pengingat: transfer %(amount)s untuk pesanan %(n)s",
                      amount=format_rupiah(payment.due), n=order.number),
                    "transfer_reminder", order=order, payment=payment,
                    bank_name=config["BANK_NAME"], account_number=config["BANK_ACCOUNT_NUMBER"],
                    account_holder=config["BANK_ACCOUNT_HOLDER"])
        db.session.commit()
        sent += 1
    return sent
