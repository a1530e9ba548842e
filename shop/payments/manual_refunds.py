"""Refunds no gateway can make (a bank transfer, a virtual account, cash at pickup): a task for
the Kanwil. The customer gets a signed link (bound to the refund, 30 days) to give the bank
account the money goes to ("manual" -> "ready"); the Kanwil sends it and records the bank
reference ("ready" -> "succeeded"); the account is then erased and the customer told."""

import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from shop.core.audit import record
from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.extensions import db
from shop.mail.services import queue_email
from shop.orders.models import Order
from shop.payments.models import Payment, Refund

SALT = "manual-refund-account"
LINK_DAYS = 30
OPEN_STATES = ("manual", "ready")


class RefundTaskError(Exception):
    def __init__(self, message, fields=None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def token_for(refund: Refund) -> str:
    return _serializer().dumps(refund.id)


def refund_for_token(token: str) -> Refund | None:
    """The manual refund a link names, or None (forged, expired after 30 days, not manual)."""
    try:
        refund_id = _serializer().loads(token, max_age=LINK_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(refund_id, int):
        return None
    refund = db.session.scalar(select(Refund).where(Refund.id == refund_id)
                               .options(joinedload(Refund.payment).joinedload(Payment.order)))
    return refund if refund is not None and refund.manual else None


def make_manual(refund: Refund) -> None:
    """Turn a queued refund into a task for the Kanwil and send the customer the link (in the
    caller's transaction)."""
    refund.manual = True
    refund.status = "manual"
    db.session.flush()
    order = db.session.get(Order, refund.payment.order_id)
    queue_email(order.email, _l("Pengembalian dana pesanan %(n)s: isi rekening Anda",
                                n=order.number),
                "refund_account_request", order=order, refund=refund, token=token_for(refund),
                days=LINK_DAYS)


@dataclass
class Account:
    bank: str
    number: str
    holder: str


_BANK = re.compile(r"[A-Za-z0-9 .&()'/-]{2,60}")
_HOLDER = re.compile(r"[A-Za-z][A-Za-z .,'-]{1,119}")


def validate_account(bank: str, number: str, holder: str) -> tuple[Account | None, dict]:
    """Bank name (2-60 characters), account number (5-20 digits; spaces, dots and dashes are
    dropped) and holder's name (letters, 2-120 characters)."""
    bank, holder = " ".join((bank or "").split()), " ".join((holder or "").split())
    digits = re.sub(r"[\s.-]", "", number or "")
    errors = {}
    if not _BANK.fullmatch(bank):
        errors["bank"] = _l("Tulis nama bank, contoh BRI atau Bank Mandiri.")
    if not re.fullmatch(r"[0-9]{5,20}", digits):
        errors["number"] = _l("Nomor rekening terdiri dari 5 sampai 20 angka.")
    if not _HOLDER.fullmatch(holder):
        errors["holder"] = _l("Tulis nama pemilik rekening seperti di buku tabungan (huruf).")
    return (None, errors) if errors else (Account(bank, digits, holder), {})


def give_account(refund: Refund, bank: str, number: str, holder: str) -> Refund:
    """The customer names the account for the refund ("manual" or "ready" -> "ready"; they may
    correct it until the money is sent). Commits. Raises RefundTaskError."""
    if refund.status not in OPEN_STATES:
        raise RefundTaskError(_l("Pengembalian dana ini sudah selesai."))
    account, errors = validate_account(bank, number, holder)
    if errors:
        raise RefundTaskError(_l("Periksa data rekening."), errors)
    result = db.session.execute(
        update(Refund).where(Refund.id == refund.id, Refund.status.in_(OPEN_STATES))
        .values(status="ready", account_bank=account.bank, account_number=account.number,
                account_holder=account.holder, account_given_at=utcnow())
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise RefundTaskError(_l("Pengembalian dana ini sudah selesai."))
    order = db.session.get(Order, refund.payment.order_id)
    record("refund.account_given", actor="pembeli", subject=order.number, amount=refund.amount,
           note=f"refund {refund.id}")
    db.session.commit()
    db.session.refresh(refund)
    return refund


def mark_refund_paid(refund: Refund, reference: str, actor) -> Refund:
    """The Kanwil sent the money: "ready" -> "succeeded" with the bank reference; the account
    is erased (set to NULL) and the customer mailed. Commits. Raises RefundTaskError."""
    reference = (reference or "").strip()
    if not 3 <= len(reference) <= 100:
        raise RefundTaskError(_l("Tulis nomor referensi transfer dari bank (3-100 karakter)."),
                              {"reference": _l("Wajib diisi.")})
    if refund.status != "ready":
        raise RefundTaskError(_l("Pembeli belum mengisi rekening tujuan.") if refund.status ==
                              "manual" else _l("Pengembalian dana ini sudah selesai."))
    bank, number = refund.account_bank, refund.account_number or ""
    result = db.session.execute(
        update(Refund).where(Refund.id == refund.id, Refund.status == "ready")
        .values(status="succeeded", paid_reference=reference, paid_at=utcnow(),
                account_bank=None, account_number=None, account_holder=None)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise RefundTaskError(_l("Pengembalian dana ini baru saja diubah orang lain."))
    order = db.session.get(Order, refund.payment.order_id)
    record("refund.paid_by_hand", actor=actor, subject=order.number, amount=refund.amount,
           note=f"refund {refund.id}; ref: {reference}")
    queue_email(order.email, _l("Dana pesanan %(n)s sudah dikembalikan", n=order.number),
                "refund_paid", order=order, refund=refund, reference=reference, bank=bank,
                account_end=number[-4:])
    db.session.commit()
    db.session.refresh(refund)
    return refund


def refund_tasks():
    """(open tasks oldest first, the last 100 done) with payment and order loaded."""
    base = (select(Refund).where(Refund.manual.is_(True))
            .options(joinedload(Refund.payment).joinedload(Payment.order)))
    open_ = list(db.session.scalars(base.where(Refund.status.in_(OPEN_STATES))
                                    .order_by(Refund.created_at, Refund.id)))
    done = list(db.session.scalars(base.where(Refund.status == "succeeded")
                                   .order_by(Refund.paid_at.desc(), Refund.id.desc()).limit(100)))
    return open_, done
