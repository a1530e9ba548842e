"""Ways to pay, looked up by code from one registry (PAYMENT_METHODS chooses and orders them).

Each method knows how long the stock is held for it, whether it fits an order (paying at the
counter needs every parcel picked up), how to start an attempt, how to close one, and what
the checkout response and the pay page say about it. No method adds a fee: Bank Indonesia
forbids surcharging QRIS, and the shop charges none for the others either."""

import random
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from shop.core.i18n import lazy_gettext as _l
from shop.core.time import utcnow
from shop.core.urls import external_url
from shop.extensions import db
from shop.payments import pickup
from shop.payments.gateway import GatewayUnavailable, get_gateway
from shop.payments.models import Payment, TransferCode

CODE_TRIES = 25


class UnknownMethod(ValueError):
    """The method is unknown, disabled, or does not fit this order; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NoFreeTransferCode(GatewayUnavailable):
    """All 999 codes are taken by open transfers (or lost races too often): try again."""


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    provider: str
    label: object
    explanation: object
    refundable_by_api: bool

    def hold(self) -> timedelta:
        return timedelta(minutes=current_app.config["PAYMENT_WINDOW_MINUTES"])

    def fits(self, deliveries) -> bool:
        return True

    def start(self, order, attempt: int) -> Payment:
        raise NotImplementedError

    def close(self, payment: Payment) -> None:
        """Close an open attempt so it can no longer be paid (best effort at a gateway)."""
        payment.status = "canceled"

    def release(self, payment: Payment) -> None:
        """The attempt ended (paid, expired, cancelled): free what it held."""

    def json(self, payment: Payment | None, order) -> dict:
        return {"provider": self.provider, "expires_at": _iso(order.expires_at)}


def _iso(value):
    """ISO 8601 with offset (the database stores naive UTC)."""
    return value.isoformat() + "+00:00" if value else None


class CardMethod(PaymentMethod):
    """A card through Stripe (PAYMENT_GATEWAY); confirmed in the browser with Stripe.js."""

    def start(self, order, attempt):
        gateway = get_gateway()
        intent = gateway.create_intent(amount=order.total, order_number=order.number,
                                       attempt=attempt)
        return Payment(order_id=order.id, provider=gateway.name, method=self.code,
                       attempt=attempt, intent_id=intent.id, client_secret=intent.client_secret,
                       amount=order.total, amount_due=order.total, status=intent.status,
                       expires_at=order.expires_at)

    def close(self, payment):
        get_gateway(payment.provider).cancel(payment.intent_id)
        payment.status = "canceled"

    def json(self, payment, order):
        return {
            "provider": "stripe",
            "payment_intent": payment.intent_id if payment else None,
            "client_secret": payment.client_secret if payment else None,
            "publishable_key": current_app.config["STRIPE_PUBLISHABLE_KEY"],
        }


class BankTransferMethod(PaymentMethod):
    """A plain transfer to the Kanwil's account; the amount carries a code 1-999 unique among
    open transfers, so a credit on the statement names its order. Confirmed by the Kanwil."""

    def hold(self):
        return timedelta(hours=current_app.config["BANK_TRANSFER_HOURS"])

    def start(self, order, attempt):
        payment = Payment(order_id=order.id, provider="bank_transfer", method=self.code,
                          attempt=attempt, intent_id=f"bt-{order.number}-{attempt}",
                          client_secret="", amount=order.total, status="awaiting_transfer",
                          expires_at=order.expires_at)
        db.session.add(payment)
        take_transfer_code(payment)
        return payment

    def release(self, payment):
        db.session.execute(delete(TransferCode).where(TransferCode.payment_id == payment.id))

    def close(self, payment):
        self.release(payment)
        payment.status = "canceled"

    def json(self, payment, order):
        config = current_app.config
        return {
            "provider": "bank_transfer",
            "amount_due": payment.due if payment else None,
            "unique_code": payment.unique_code if payment else None,
            "bank": {"name": config["BANK_NAME"], "account_number": config["BANK_ACCOUNT_NUMBER"],
                     "account_holder": config["BANK_ACCOUNT_HOLDER"]},
            "expires_at": _iso(payment.expires_at if payment else order.expires_at),
        }


class PayAtPickupMethod(PaymentMethod):
    """Paid in cash or with the facility's own QRIS when the parcels are handed over; the
    parcels go to the facilities at once, and the staff records the payment at handover."""

    def hold(self):
        return timedelta(days=current_app.config["PICKUP_PAYMENT_DAYS"])

    def fits(self, deliveries):
        return bool(deliveries) and all(choice == "pickup" for choice in deliveries)

    def start(self, order, attempt):
        return pickup.start_attempt(order, attempt)  # the parcels go to the facilities now


class MidtransMethod(PaymentMethod):
    """QRIS, virtual accounts and e-wallets on Midtrans' Snap page."""

    def start(self, order, attempt):
        gateway = get_gateway("midtrans")
        minutes = max(1, int((order.expires_at - utcnow()).total_seconds() // 60))
        intent = gateway.create_intent(
            amount=order.total, order_number=order.number, attempt=attempt,
            expiry_minutes=minutes, customer={"name": order.contact_name, "email": order.email,
                                              "phone": order.phone},
            finish_url=external_url("payments.payment_return", number=order.number),
            notification_url=external_url("payments.midtrans_notification"),
        )
        return Payment(order_id=order.id, provider="midtrans", method=self.code,
                       attempt=attempt, intent_id=intent.id, client_secret=intent.client_secret,
                       redirect_url=intent.redirect_url, amount=order.total,
                       amount_due=order.total, status=intent.status,
                       expires_at=order.expires_at)

    def close(self, payment):
        get_gateway("midtrans").cancel(payment.intent_id)
        payment.status = "canceled"

    def json(self, payment, order):
        return {
            "provider": "midtrans",
            "order_id": payment.intent_id if payment else None,
            "snap_token": payment.client_secret if payment else None,
            "redirect_url": payment.redirect_url if payment else None,
            "expires_at": _iso(payment.expires_at if payment else order.expires_at),
        }


METHODS = {method.code: method for method in (
    BankTransferMethod(
        "bank_transfer", "bank_transfer", _l("Transfer bank"),
        _l("Transfer jumlah persis (termasuk kode unik 3 angka) ke rekening Kanwil. Stok "
           "ditahan %(hours)s jam; pesanan diproses setelah transfer dikonfirmasi. Tanpa biaya "
           "tambahan."), refundable_by_api=False),
    MidtransMethod(
        "midtrans", "midtrans", _l("QRIS, virtual account, GoPay, ShopeePay, DANA"),
        _l("Anda diarahkan ke halaman pembayaran Midtrans: pindai QRIS dengan aplikasi bank "
           "atau dompet digital apa pun, atau bayar lewat virtual account. Stok ditahan "
           "%(minutes)s menit. Tanpa biaya tambahan."), refundable_by_api=True),
    CardMethod(
        "card", "stripe", _l("Kartu kredit/debit"),
        _l("Bayar dengan kartu Visa/Mastercard di halaman berikutnya. Stok ditahan "
           "%(minutes)s menit. Tanpa biaya tambahan."), refundable_by_api=True),
    PayAtPickupMethod(
        "pay_at_pickup", "pay_at_pickup", _l("Bayar di tempat saat mengambil"),
        _l("Hanya jika semua paket diambil di Lapas/Rutan. Bayar tunai atau dengan QRIS "
           "Lapas/Rutan saat mengambil. Stok ditahan %(days)s hari. Tanpa biaya tambahan."),
        refundable_by_api=False),
)}


def enabled_codes() -> list[str]:
    raw = current_app.config.get("PAYMENT_METHODS") or ""
    return [code.strip() for code in raw.split(",") if code.strip() in METHODS]


def enabled_methods() -> list[PaymentMethod]:
    return [METHODS[code] for code in enabled_codes()]


def explain(method: PaymentMethod) -> str:
    config = current_app.config
    return str(method.explanation) % {
        "hours": config["BANK_TRANSFER_HOURS"], "minutes": config["PAYMENT_WINDOW_MINUTES"],
        "days": config["PICKUP_PAYMENT_DAYS"]}


def choose(code: str | None, deliveries) -> PaymentMethod:
    """The method for a new order: `code`, or the first enabled one that fits. Raises
    UnknownMethod when it is unknown, disabled or does not fit (pay at pickup with couriers)."""
    enabled = enabled_methods()
    if code in (None, ""):
        for method in enabled:
            if method.fits(deliveries):
                return method
        raise UnknownMethod(_l("Tidak ada cara bayar yang tersedia untuk pesanan ini."))
    if not isinstance(code, str) or code not in enabled_codes():
        raise UnknownMethod(_l("Cara bayar tidak dikenal atau tidak tersedia."))
    method = METHODS[code]
    if not method.fits(deliveries):
        raise UnknownMethod(_l("Bayar di tempat hanya bisa jika semua paket diambil di "
                               "Lapas/Rutan."))
    return method


def method_of(payment_or_order) -> PaymentMethod:
    code = getattr(payment_or_order, "method", None) or payment_or_order.payment_method
    return METHODS.get(code, METHODS["card"])


def take_transfer_code(payment: Payment) -> None:
    """Give an open transfer a code 1-999 whose code and amount are free among open transfers.
    The database decides (primary key on the code, unique amount due): a random code is tried
    first without reading anything (open transfers are few, so it is nearly always free: no
    SELECT in a checkout's transaction); after a clash the codes in use are read once and the
    free ones tried, each insert inside its own savepoint. Two checkouts racing for one code:
    the second insert is refused and tries another. The payment is inserted with its first
    candidate code (no UPDATE unless that code was taken meanwhile)."""
    first = random.randint(1, 999)
    if _try_code(payment, first):
        return
    with db.session.no_autoflush:
        used = set(db.session.execute(select(TransferCode.code, TransferCode.amount_due)).all())
    codes = {code for code, _amount in used}
    amounts = {amount for _code, amount in used}
    free = [code for code in range(1, 1000)
            if code != first and code not in codes and payment.amount + code not in amounts]
    random.shuffle(free)
    for code in free[:CODE_TRIES]:
        if _try_code(payment, code):
            return
    payment.unique_code = payment.amount_due = None
    raise NoFreeTransferCode("no free transfer code")


def _try_code(payment: Payment, code: int) -> bool:
    payment.unique_code = code
    payment.amount_due = payment.amount + code
    db.session.flush()
    try:
        with db.session.begin_nested():
            db.session.add(TransferCode(code=code, amount_due=payment.amount + code,
                                        payment_id=payment.id))
    except IntegrityError:
        return False
    return True
