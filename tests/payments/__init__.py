"""Payment tests. Small helpers shared with the order-expiry tests live here."""

import json
import time

import stripe


def stripe_client(app):
    """The real stripe library pointed where the app points (localstripe in these tests)."""
    return stripe.StripeClient(app.config["STRIPE_SECRET_KEY"],
                               base_addresses={"api": app.config["STRIPE_API_BASE"]})


def pay_at_stripe(app, intent_id, method="pm_card_visa"):
    """Confirm a PaymentIntent directly at localstripe, as Stripe.js would."""
    client = stripe_client(app)
    client.v1.payment_intents.update(intent_id, {"payment_method": method})
    return client.v1.payment_intents.confirm(intent_id)


def signed(payload: str, secret: str, timestamp=None) -> str:
    """The Stripe-Signature header Stripe computes: t=<ts>,v1=<hmac-sha256 of "<ts>.<body>">."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def event_json(event_id, event_type, intent: dict) -> str:
    return json.dumps({
        "id": event_id, "object": "event", "type": event_type, "api_version": "2024-06-20",
        "created": int(time.time()), "livemode": False, "data": {"object": intent},
    })


def wait_for(check, timeout=10.0, interval=0.1):
    """Poll `check()` until it returns something truthy; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
