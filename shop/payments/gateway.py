"""The payment gateway interface. Stripe is the first; a local gateway (QRIS, virtual account)
or manual bank transfer is a new module registered in GATEWAYS, chosen by PAYMENT_GATEWAY.
Registered: "stripe" (stripe_gateway.py), "midtrans" (midtrans_gateway.py)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from flask import current_app


class PaymentError(Exception):
    """Base of payment failures."""


class PaymentDeclined(PaymentError):
    """The customer's payment was refused; `message` is Indonesian and may be shown to them."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        self.code = code


class GatewayUnavailable(PaymentError):
    """The gateway could not be reached or failed; nothing to tell the customer but 'try again'."""


class InvalidWebhook(PaymentError):
    """A webhook whose signature or body does not verify."""


class RefundNotSupported(PaymentDeclined):
    """The gateway cannot give this payment back (a virtual account, a bank transfer): the
    money goes back by a bank transfer made and recorded by hand. `message` is Indonesian."""

    def __init__(self, message, payment_type=None):
        super().__init__(message, code="refund_not_supported")
        self.payment_type = payment_type


@dataclass
class Intent:
    id: str
    status: str  # gateway-neutral: requires_payment_method, requires_action, processing,
    #              succeeded, canceled ...
    amount: int  # rupiah
    currency: str
    client_secret: str
    order_number: str | None = None
    last_error: str | None = None
    # Hosted-page gateways (Midtrans): where the customer pays, and until when.
    redirect_url: str | None = None
    expires_at: datetime | None = None  # aware (UTC)
    # How the customer paid (Midtrans payment_type: qris, bank_transfer, gopay ...), the
    # gateway's own status word (Midtrans transaction_status) and its transaction id.
    payment_type: str | None = None
    provider_status: str | None = None
    transaction_id: str | None = None
    raw: dict | None = field(default=None, repr=False, compare=False)


@dataclass
class GatewayEvent:
    id: str
    type: str  # payment_succeeded | payment_waiting | payment_failed | other
    intent: Intent | None


class PaymentGateway(Protocol):
    name: str

    def create_intent(self, *, amount: int, order_number: str, attempt: int) -> Intent: ...
    def retrieve(self, intent_id: str) -> Intent: ...
    def cancel(self, intent_id: str) -> None: ...
    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> str: ...
    def fee(self, intent_id: str) -> int: ...  # gateways that report fees (Stripe)
    def parse_webhook(self, payload: bytes, signature: str | None) -> GatewayEvent: ...
    def pay_with_test_card(self, intent_id: str, card: str) -> Intent: ...


GATEWAYS = {}


def register(name):
    def decorator(cls):
        GATEWAYS[name] = cls
        return cls

    return decorator


def get_gateway(name=None) -> PaymentGateway:
    """The gateway `name` (the configured one by default). A gateway that names the settings
    it reads (`config_keys`) is made once per process and those settings: its HTTP session
    then keeps its connections to the gateway open between payments (no new TCP and TLS
    handshake per call), and the client is not built again for every request."""
    name = name or current_app.config["PAYMENT_GATEWAY"]
    if name not in GATEWAYS:
        # import the built-in gateways on first use
        from shop.payments import midtrans_gateway, stripe_gateway  # noqa: F401
    cls = GATEWAYS[name]
    keys = getattr(cls, "config_keys", None)
    if keys is None:
        return cls(current_app.config)
    config = current_app.config
    made = current_app.extensions.setdefault("payment_gateways", {})
    key = (cls, tuple(repr(config.get(k)) for k in keys))
    gateway = made.get(key)
    if gateway is None:
        gateway = made[key] = cls(config)
    return gateway
