"""Stripe, through the official library (offline: localstripe). The only module importing stripe."""

import stripe

from shop.core.i18n import lazy_gettext as _l
from shop.payments.gateway import (
    GatewayEvent,
    GatewayUnavailable,
    Intent,
    InvalidWebhook,
    PaymentDeclined,
    register,
)
from shop.payments.http import DeadlineSession

# Stripe's decline codes, told to the customer in Indonesian.
DECLINE_MESSAGES = {
    "card_declined": _l("Kartu ditolak oleh bank penerbit. Coba kartu lain."),
    "insufficient_funds": _l("Saldo kartu tidak cukup."),
    "expired_card": _l("Kartu sudah kedaluwarsa."),
    "incorrect_cvc": _l("Kode CVC salah."),
    "incorrect_number": _l("Nomor kartu salah."),
    "processing_error": _l("Terjadi gangguan saat memproses kartu. Silakan coba lagi."),
    "authentication_required": _l("Bank meminta autentikasi 3-D Secure yang belum selesai."),
    "payment_intent_authentication_failure": _l("Autentikasi 3-D Secure gagal. Coba lagi."),
}
DEFAULT_DECLINE = _l("Pembayaran ditolak. Coba lagi atau gunakan kartu lain.")
# Offline test cards (localstripe): what the pay page offers.
TEST_CARDS = {
    "success": "pm_card_visa",
    "declined": "pm_card_chargeCustomerFail",
    "3ds": "4000002500003155",
}
EVENT_TYPES = {
    "payment_intent.succeeded": "payment_succeeded",
    "payment_intent.payment_failed": "payment_failed",
}


def decline_message(code):
    return str(DECLINE_MESSAGES.get(code or "", DEFAULT_DECLINE))


def _intent(pi) -> Intent:
    error = getattr(pi, "last_payment_error", None)
    error_code = None
    if error:
        error_code = getattr(error, "decline_code", None) or getattr(error, "code", None)
    metadata = pi.metadata.to_dict() if getattr(pi, "metadata", None) else {}
    return Intent(
        id=pi.id, status=pi.status, amount=int(pi.amount) // 100, currency=pi.currency,
        client_secret=pi.client_secret, order_number=metadata.get("order_number"),
        last_error=decline_message(error_code) if error else None,
    )


@register("stripe")
class StripeGateway:
    name = "stripe"
    config_keys = ("STRIPE_API_BASE", "STRIPE_SECRET_KEY", "STRIPE_TIMEOUT_SECONDS",
                   "STRIPE_MAX_NETWORK_RETRIES", "STRIPE_WEBHOOK_SECRET")

    def __init__(self, config):
        base = config.get("STRIPE_API_BASE") or "https://api.stripe.com"
        self.client = stripe.StripeClient(
            config["STRIPE_SECRET_KEY"], base_addresses={"api": base},
            # One deadline per try (connect, head and body), one retry at most: a hung Stripe
            # costs a request well under gunicorn's 30 s worker timeout.
            http_client=stripe.RequestsClient(
                timeout=config.get("STRIPE_TIMEOUT_SECONDS", 8),
                session=DeadlineSession(config.get("STRIPE_TIMEOUT_SECONDS", 8))),
            max_network_retries=config.get("STRIPE_MAX_NETWORK_RETRIES", 1)
        )
        self.webhook_secret = config["STRIPE_WEBHOOK_SECRET"]

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stripe.CardError as exc:
            raise PaymentDeclined(decline_message(exc.code), exc.code) from exc
        except stripe.StripeError as exc:
            raise GatewayUnavailable(str(exc)) from exc

    def create_intent(self, *, amount, order_number, attempt):
        pi = self._call(
            self.client.v1.payment_intents.create,
            {"amount": amount * 100, "currency": "idr", "payment_method_types": ["card"],
             "metadata": {"order_number": order_number, "attempt": str(attempt)}},
            {"idempotency_key": f"pi-{order_number}-{attempt}"},
        )
        return _intent(pi)

    def retrieve(self, intent_id):
        return _intent(self._call(self.client.v1.payment_intents.retrieve, intent_id))

    def cancel(self, intent_id):
        self._call(self.client.v1.payment_intents.cancel, intent_id)

    def refund(self, intent_id, amount, idempotency_key):
        refund = self._call(
            self.client.v1.refunds.create,
            {"payment_intent": intent_id, "amount": amount * 100},
            {"idempotency_key": idempotency_key},
        )
        return refund.id

    def fee(self, intent_id) -> int:
        """Stripe's fee for a succeeded intent, in rupiah: the balance transaction of its
        charge (0 while Stripe has not booked one)."""
        pi = self._call(self.client.v1.payment_intents.retrieve, intent_id,
                        {"expand": ["latest_charge.balance_transaction"]})
        charge = getattr(pi, "latest_charge", None)
        txn = getattr(charge, "balance_transaction", None) if charge else None
        if txn is None or isinstance(txn, str):
            raise GatewayUnavailable(f"no balance transaction for {intent_id} yet")
        return int(txn.fee) // 100

    def parse_webhook(self, payload, signature):
        try:
            event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
            kind = EVENT_TYPES.get(event.type, "other")
            obj = event.data.object
            intent = _intent(obj) if getattr(obj, "object", None) == "payment_intent" else None
            return GatewayEvent(id=event.id, type=kind, intent=intent)
        except (ValueError, TypeError, KeyError, AttributeError,
                stripe.SignatureVerificationError) as exc:
            raise InvalidWebhook(str(exc)) from exc

    def pay_with_test_card(self, intent_id, card):
        """Offline only: attach one of localstripe's test cards and confirm on the server."""
        method = TEST_CARDS[card]
        if not method.startswith("pm_"):
            method = self._call(self.client.v1.payment_methods.create, {
                "type": "card",
                "card": {"number": method, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
            }).id
        self._call(self.client.v1.payment_intents.update, intent_id, {"payment_method": method})
        return _intent(self._call(self.client.v1.payment_intents.confirm, intent_id))
